import type { IndexStateStore } from '../store/index-state';
import { checkedTtl, type AnswerCache, type CacheStatus } from './answer-cache';
import { indexVersionOf, sameVersion } from './index-version';
import { cacheKey, type CacheScope } from './key';

/** A cache to use for one call: where it is stored, the index state it checks, and how long entries live. */
export interface CacheUse {
	cache: AnswerCache;
	state: IndexStateStore;
	ttlSeconds: number;
}

/** A value with whether it came from the cache. */
export interface Cached<T> {
	value: T;
	cache: CacheStatus;
}

/**
 * The value stored for `scope` at the ref's current index version, or `compute()`'s, then stored. The
 * index version is read before and after computing: a value is stored only under the version it was
 * computed at, and nothing is cached for a ref that is not indexed or is being re-indexed.
 */
export async function withCache<T>(use: CacheUse, scope: CacheScope, embeddingModel: string | undefined, compute: () => Promise<T>): Promise<Cached<T>> {
	checkedTtl(use.ttlSeconds);
	const before = await indexVersionOf(use.state, scope.repoKey, scope.ref, embeddingModel);
	if (!before.version) return { value: await compute(), cache: { hit: false, stored: false, reason: `not cached: ${before.reason}` } };
	const key = cacheKey(scope, before.version);
	const entry = await use.cache.get<T>(key);
	if (entry) return { value: entry.payload, cache: { hit: true, storedAt: entry.storedAt.toISOString(), expiresAt: entry.expiresAt.toISOString(), key } };
	const value = await compute();
	const after = await indexVersionOf(use.state, scope.repoKey, scope.ref, embeddingModel);
	if (!after.version || !sameVersion(before.version, after.version)) {
		return { value, cache: { hit: false, stored: false, key, reason: 'not stored: the index changed while answering' } };
	}
	try {
		await use.cache.put(key, scope, before.version, value, use.ttlSeconds);
	} catch (error) {
		return { value, cache: { hit: false, stored: false, key, reason: `not stored: ${error instanceof Error ? error.message : String(error)}` } };
	}
	return { value, cache: { hit: false, stored: true, key } };
}
