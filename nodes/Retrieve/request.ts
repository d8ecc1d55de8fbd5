import type { IExecuteFunctions, ISupplyDataFunctions } from 'n8n-workflow';
import type { RetrieveMode, RetrieveRequest } from '../../lib/retrieve';

/** The Retrieve node's Options collection. */
export interface RetrieveOptions {
	vectorWeight?: number;
	lexicalWeight?: number;
	mmr?: boolean;
	mmrLambda?: number;
	rerankUrl?: string;
	rerankApiKey?: string;
	rerankTopN?: number;
	outputPerHit?: boolean;
}

type Context = Pick<IExecuteFunctions | ISupplyDataFunctions, 'getNodeParameter'>;

/** Where and how to retrieve, from the parameters shared by Retrieve and Code Search (all but the question). */
export function retrieveSettingsFrom(context: Context, itemIndex: number): Omit<RetrieveRequest, 'question'> {
	const options = context.getNodeParameter('options', itemIndex, {}) as RetrieveOptions;
	const text = (name: string, fallback = '') => String(context.getNodeParameter(name, itemIndex, fallback) ?? '').trim();
	const rerankUrl = options.rerankUrl?.trim();
	return {
		repoKey: text('repositoryKey'),
		ref: text('ref', 'main'),
		mode: context.getNodeParameter('mode', itemIndex, 'hybrid') as RetrieveMode,
		topK: context.getNodeParameter('topK', itemIndex, 10) as number,
		filters: context.getNodeParameter('filters', itemIndex, {}) as RetrieveRequest['filters'],
		weights: { vector: options.vectorWeight ?? 1, lexical: options.lexicalWeight ?? 1 },
		mmr: options.mmr ? { lambda: options.mmrLambda ?? 0.7 } : undefined,
		rerank: rerankUrl ? { url: rerankUrl, apiKey: options.rerankApiKey || undefined, topN: options.rerankTopN ?? 50 } : undefined,
	};
}
