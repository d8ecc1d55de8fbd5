import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { retrieve, type FusionMethod, type RetrieveMode, type RetrieveRequest, type RetrieveResult } from '../../lib/retrieve';
import type { ChromaVectorStore } from '../../lib/vector/chroma';
import { repoMindCredentialTests } from '../shared/credential-test';
import { chromaFrom, embedderFrom, mysqlStoresFrom, type IndexStores } from '../shared/connections';
import { mapItems } from '../shared/items';
import { retrieveProperties } from './description';
import { changeContextItem } from './changeContext';
import { similarItem } from './similar';

interface RetrieveOptions {
	fusion?: FusionMethod;
	vectorWeight?: number;
	lexicalWeight?: number;
	mmr?: boolean;
	mmrLambda?: number;
	rerankUrl?: string;
	rerankApiKey?: string;
	rerankTopN?: number;
	outputPerHit?: boolean;
}

export class Retrieve implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RepoMind Retrieve',
		name: 'repoMindRetrieve',
		icon: 'file:retrieve.svg',
		group: ['transform'],
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{$parameter["mode"] + ": " + $parameter["repositoryKey"]}}',
		description: 'Find the code chunks of an indexed repository that answer a question (vector, full-text or hybrid search)',
		defaults: { name: 'Retrieve' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'repoMindChromaApi', displayName: 'Chroma Server', required: true },
			// eslint-disable-next-line n8n-nodes-base/node-class-description-credentials-name-unsuffixed -- a database credential, like n8n's mySql; renaming breaks saved workflows
			{ name: 'repoMindMySql', displayName: 'MySQL for Index State', required: true, testedBy: 'repoMindMySqlConnectionTest' },
			{ name: 'repoMindOpenAiApi', displayName: 'Embeddings API', required: true, testedBy: 'repoMindOpenAiConnectionTest', displayOptions: { show: { embeddingProvider: ['openAiCompatible'] } } },
			{ name: 'repoMindHuggingFaceApi', displayName: 'Embeddings API (Hugging Face)', required: true, displayOptions: { show: { embeddingProvider: ['huggingFace'] } } },
			{ name: 'repoMindEmbeddingsWorkerApi', displayName: 'Embeddings Worker', required: true, displayOptions: { show: { embeddingProvider: ['embeddingsWorker'] } } },
			{ name: 'repoMindRerankApi', displayName: 'Rerank Server', required: true, displayOptions: { show: { rerank: [true] } } },
			{ name: 'repoMindGitHubApi', displayName: 'GitHub Access', required: false, testedBy: 'repoMindGitHubConnectionTest', displayOptions: { show: { mode: ['similar'], relatedFiles: [true] } } },
		],
		properties: retrieveProperties,
	};

	methods = { credentialTest: repoMindCredentialTests };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		let vectors: ChromaVectorStore | undefined;
		let stores: IndexStores | undefined;
		try {
			const output = await mapItems(this, async (itemIndex, item) => {
				const options = this.getNodeParameter('options', itemIndex, {}) as RetrieveOptions;
				vectors ??= await chromaFrom(this);
				stores ??= await mysqlStoresFrom(this);
				const embedder = await embedderFrom(this, itemIndex);
				const mode = this.getNodeParameter('mode', itemIndex, 'hybrid');
				if (mode === 'changeContext') return [await changeContextItem(this, itemIndex, item.json, { state: stores.state, vectors, embedder })];
				if (mode === 'similar') {
					const topK = this.getNodeParameter('topK', itemIndex, 10) as number;
					const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
					return [await similarItem(this, itemIndex, { state: stores.state, vectors, embedder }, topK, filters)];
				}
				const request = { ...requestFrom(this, itemIndex, options), rerank: await rerankFrom(this, itemIndex, options) };
				const result = await retrieve({ state: stores.state, vectors, embedder }, request);
				return options.outputPerHit ? perHit(result) : [result as unknown as IDataObject];
			});
			return [output];
		} finally {
			await stores?.close();
		}
	}
}

function requestFrom(context: IExecuteFunctions, itemIndex: number, options: RetrieveOptions): RetrieveRequest {
	const text = (name: string, fallback = '') => String(context.getNodeParameter(name, itemIndex, fallback) ?? '').trim();
	return {
		question: text('question'),
		repoKey: text('repositoryKey'),
		ref: text('ref', 'main'),
		mode: context.getNodeParameter('mode', itemIndex, 'hybrid') as RetrieveMode,
		topK: context.getNodeParameter('topK', itemIndex, 10) as number,
		filters: context.getNodeParameter('filters', itemIndex, {}) as RetrieveRequest['filters'],
		fusion: options.fusion,
		weights: { vector: options.vectorWeight, lexical: options.lexicalWeight },
		mmr: options.mmr ? { lambda: options.mmrLambda ?? 0.7 } : undefined,
	};
}

/** The reranker: from the RepoMind Rerank API credential (version 1.1+), or version 1's URL and key options. */
async function rerankFrom(context: IExecuteFunctions, itemIndex: number, options: RetrieveOptions): Promise<RetrieveRequest['rerank']> {
	const topN = options.rerankTopN ?? 50;
	if (context.getNode().typeVersion < 1.1) {
		const url = options.rerankUrl?.trim();
		return url ? { url, apiKey: options.rerankApiKey || undefined, topN } : undefined;
	}
	if (!context.getNodeParameter('rerank', itemIndex, false)) return undefined;
	const credentials = await context.getCredentials('repoMindRerankApi', itemIndex);
	return { url: String(credentials.url ?? '').trim(), apiKey: (credentials.apiKey as string) || undefined, topN };
}

/** One item per hit: the question's fields, the hit's rank, then the hit. */
function perHit(result: RetrieveResult): IDataObject[] {
	const { hits, ...question } = result;
	if (hits.length === 0) return [question as unknown as IDataObject];
	return hits.map((hit, index) => ({ question: result.question, mode: result.mode, embeddingModel: result.embeddingModel, commit: result.commit, rank: index + 1, ...hit }) as unknown as IDataObject);
}
