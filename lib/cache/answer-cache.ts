import type { Pool, RowDataPacket } from 'mysql2/promise';
import { InvalidInputError } from '../errors';
import type { IndexVersion } from './index-version';
import { cacheKey, normaliseQuestion, type CacheScope } from './key';

/** A stored answer or search result, with when it was stored and when it stops being served. */
export interface CacheEntry<T> {
	payload: T;
	storedAt: Date;
	expiresAt: Date;
}

/** What a cache-enabled call reports next to its result. */
export type CacheStatus =
	| { hit: true; storedAt: string; expiresAt: string; key: string }
	| { hit: false; stored: boolean; key?: string; reason?: string };

/** Longest TTL accepted: one year. */
export const MAX_TTL_SECONDS = 365 * 24 * 3600;
/** Default TTL of the nodes' cache options: one day. */
export const DEFAULT_TTL_SECONDS = 24 * 3600;

const TEXT_CHARS = 16_000;
const CLEANUP_EVERY_MS = 60_000;
const CLEANUP_BATCH = 1000;

/** A TTL as given (seconds), or an InvalidInputError that says what to fix. */
export function checkedTtl(ttlSeconds: unknown): number {
	const ttl = Number(ttlSeconds);
	if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL_SECONDS) {
		throw new InvalidInputError(`Cache TTL must be a whole number of seconds from 1 to ${MAX_TTL_SECONDS}: ${String(ttlSeconds)}`, 'Set Cache TTL (Seconds), e.g. 86400 for a day');
	}
	return ttl;
}

/**
 * Answers and search results in MySQL (repomind_answer_cache) under the SHA-256 of their scope. Rows
 * carry an expiry set by the database clock; expired rows are never returned and are deleted lazily.
 */
export class AnswerCache {
	private lastCleanup = 0;

	constructor(private readonly pool: Pool) {}

	/** The live entry stored under `key`, or null. */
	async get<T>(key: string): Promise<CacheEntry<T> | null> {
		const [rows] = await this.pool.query<RowDataPacket[]>(
			'SELECT payload, created_at, expires_at FROM repomind_answer_cache WHERE cache_key = ? AND expires_at > CURRENT_TIMESTAMP(3)',
			[key],
		);
		if (rows.length === 0) return null;
		await this.pool.query('UPDATE repomind_answer_cache SET hit_count = hit_count + 1 WHERE cache_key = ?', [key]).catch(() => undefined);
		return { payload: JSON.parse(rows[0].payload as string) as T, storedAt: rows[0].created_at as Date, expiresAt: rows[0].expires_at as Date };
	}

	/** Stores `payload` under `key` for `ttlSeconds` (replacing what was there), then deletes expired rows now and then. */
	async put(key: string, scope: CacheScope, index: IndexVersion, payload: unknown, ttlSeconds: number): Promise<void> {
		const ttl = checkedTtl(ttlSeconds);
		await this.pool.query(
			`INSERT INTO repomind_answer_cache (cache_key, kind, repo_key, ref, commit_sha, model, question, payload, created_at, expires_at)
			 VALUES (?, ?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP(3), CURRENT_TIMESTAMP(3) + INTERVAL ? SECOND)
			 ON DUPLICATE KEY UPDATE payload = VALUES(payload), created_at = VALUES(created_at), expires_at = VALUES(expires_at), hit_count = 0`,
			[
				key,
				scope.kind,
				cut(scope.repoKey, 255),
				cut(scope.ref, 255),
				index.commit,
				cut(scope.model.label, 191),
				cut(normaliseQuestion(scope.question), TEXT_CHARS),
				JSON.stringify(payload),
				ttl,
			],
		);
		if (Date.now() - this.lastCleanup > CLEANUP_EVERY_MS) {
			this.lastCleanup = Date.now();
			await this.expire().catch(() => undefined);
		}
	}

	/** Deletes expired rows (at most 1000 per call); returns how many. */
	async expire(): Promise<number> {
		const [result] = await this.pool.query('DELETE FROM repomind_answer_cache WHERE expires_at <= CURRENT_TIMESTAMP(3) LIMIT ?', [CLEANUP_BATCH]);
		return (result as { affectedRows: number }).affectedRows;
	}

	/** Deletes every entry of a repository (optionally one ref); returns how many. */
	async forget(repoKey: string, ref?: string): Promise<number> {
		const [result] = await this.pool.query(
			`DELETE FROM repomind_answer_cache WHERE repo_key = ?${ref === undefined ? '' : ' AND ref = ?'}`,
			ref === undefined ? [repoKey] : [repoKey, ref],
		);
		return (result as { affectedRows: number }).affectedRows;
	}

	/** The key of a scope at an index version (see lib/cache/key). */
	keyOf(scope: CacheScope, index: IndexVersion): string {
		return cacheKey(scope, index);
	}
}

function cut(value: string, max: number): string {
	return value.length > max ? value.slice(0, max) : value;
}
