import { retrieve, type RetrieveDependencies, type RetrieveRequest, type RetrieveResult } from '../retrieve';
import type { CacheStatus } from './answer-cache';
import { withCache, type CacheUse } from './cached';
import { endpointOf, type CacheScope } from './key';

/**
 * retrieve() with the cache: keyed by the normalised question, repository, ref, the indexed commit of
 * the embedder's index, the embedding space (the embedder's model id) and every ranking setting (mode,
 * top K, filters, fusion and weights, lexical scoring, MMR, the rerank server's host and candidates —
 * never its key). The result carries `cache`.
 */
export async function retrieveWithCache(deps: RetrieveDependencies, request: RetrieveRequest, use: CacheUse): Promise<RetrieveResult & { cache: CacheStatus }> {
	const { value, cache } = await withCache(use, searchScope(deps.embedder.modelId, request), deps.embedder.modelId, () => retrieve(deps, request));
	return { ...value, question: cache.hit ? request.question.trim() : value.question, cache };
}

/** What a search result is keyed by, besides the index version. */
export function searchScope(embeddingModel: string, request: RetrieveRequest): CacheScope {
	const { question, repoKey, ref, rerank, ...ranking } = request;
	return {
		kind: 'search',
		question,
		repoKey,
		ref,
		model: { label: embeddingModel },
		settings: { ...ranking, rerank: rerank ? { endpoint: endpointOf(rerank.url), topN: rerank.topN } : undefined },
	};
}
