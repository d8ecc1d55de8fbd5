import type { IExecuteFunctions, ISupplyDataFunctions } from 'n8n-workflow';
import { AnswerCache, checkedTtl, DEFAULT_TTL_SECONDS, type CacheUse } from '../../lib/cache';
import type { FusionMethod, RetrieveMode, RetrieveRequest } from '../../lib/retrieve';
import type { IndexStateStore } from '../../lib/store/index-state';
import { repositoryFrom } from '../shared/repository-locator';

/** The Retrieve node's Options collection. */
export interface RetrieveOptions {
	fusion?: FusionMethod;
	vectorWeight?: number;
	lexicalWeight?: number;
	mmr?: boolean;
	mmrLambda?: number;
	rerankUrl?: string;
	rerankApiKey?: string;
	rerankTopN?: number;
	outputPerHit?: boolean;
	cacheResults?: boolean;
	cacheTtlSeconds?: number;
}

/** The search-result cache when the Cache Results option is on (stored beside the index state). */
export function resultCacheFrom(options: RetrieveOptions, state: IndexStateStore): CacheUse | undefined {
	if (!options.cacheResults) return undefined;
	return { cache: new AnswerCache(state.pool), state, ttlSeconds: checkedTtl(options.cacheTtlSeconds ?? DEFAULT_TTL_SECONDS) };
}

type Context = Pick<IExecuteFunctions | ISupplyDataFunctions, 'getNodeParameter' | 'getCredentials'>;

/**
 * Where and how to retrieve, from the parameters Retrieve and Code Search share (all but the question).
 * `rerankInOptions`: Retrieve version 1 kept the rerank URL and key in Options; later versions and Code
 * Search use the Rerank switch and the RepoMind Rerank API credential.
 */
export async function retrieveSettingsFrom(context: Context, itemIndex: number, rerankInOptions: boolean): Promise<Omit<RetrieveRequest, 'question'>> {
	const options = context.getNodeParameter('options', itemIndex, {}) as RetrieveOptions;
	return {
		...repositoryFrom(context, itemIndex, undefined, 'main'),
		mode: context.getNodeParameter('mode', itemIndex, 'hybrid') as RetrieveMode,
		topK: context.getNodeParameter('topK', itemIndex, 10) as number,
		filters: context.getNodeParameter('filters', itemIndex, {}) as RetrieveRequest['filters'],
		fusion: options.fusion,
		weights: { vector: options.vectorWeight, lexical: options.lexicalWeight },
		mmr: options.mmr ? { lambda: options.mmrLambda ?? 0.7 } : undefined,
		rerank: await rerankFrom(context, itemIndex, options, rerankInOptions),
	};
}

async function rerankFrom(context: Context, itemIndex: number, options: RetrieveOptions, inOptions: boolean): Promise<RetrieveRequest['rerank']> {
	const topN = options.rerankTopN ?? 50;
	if (inOptions) {
		const url = options.rerankUrl?.trim();
		return url ? { url, apiKey: options.rerankApiKey || undefined, topN } : undefined;
	}
	if (!context.getNodeParameter('rerank', itemIndex, false)) return undefined;
	const credentials = await context.getCredentials('repoMindRerankApi', itemIndex);
	return { url: String(credentials.url ?? '').trim(), apiKey: (credentials.apiKey as string) || undefined, topN };
}
