import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { retrieveWithCache } from '../../lib/cache';
import { retrieve, type RetrieveRequest, type RetrieveResult } from '../../lib/retrieve';
import type { ChromaVectorStore } from '../../lib/vector/chroma';
import { repoMindCredentialTests } from '../shared/credential-test';
import { chromaFrom, embedderFrom, mysqlStoresFrom, type IndexStores } from '../shared/connections';
import { mapItems } from '../shared/items';
import { repositoryListSearch, repositorySubtitle } from '../shared/repository-locator';
import { EMBEDDINGS_SINCE, MODEL_PICKER_SINCE, PICKERS_SINCE, retrieveProperties } from './description';
import { embeddingModelListSearch } from '../shared/embedding-model-locator';
import { embeddingsInputsSince } from '../shared/descriptions';
import { changeContextItem } from './changeContext';
import { resultCacheFrom, retrieveSettingsFrom, type RetrieveOptions } from './request';
import { similarItem } from './similar';

const SUBTITLE = `={{$parameter["mode"] + ": " + ${repositorySubtitle}}}`;

export class Retrieve implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RepoMind Retrieve',
		name: 'repoMindRetrieve',
		icon: 'file:retrieve.svg',
		group: ['transform'],
		version: [1, 1.1, 1.2, PICKERS_SINCE, MODEL_PICKER_SINCE],
		defaultVersion: MODEL_PICKER_SINCE,
		subtitle: SUBTITLE,
		description: 'Find the code chunks of an indexed repository that answer a question (vector, full-text or hybrid search)',
		defaults: { name: 'Retrieve' },
		usableAsTool: true,
		inputs: embeddingsInputsSince(EMBEDDINGS_SINCE),
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'repoMindChromaApi', displayName: 'Chroma Server', required: true },
			// eslint-disable-next-line n8n-nodes-base/node-class-description-credentials-name-unsuffixed -- a database credential, like n8n's mySql; renaming breaks saved workflows
			{ name: 'repoMindMySql', displayName: 'MySQL for Index State', required: true, testedBy: 'repoMindMySqlConnectionTest' },
			{ name: 'repoMindOpenAiApi', displayName: 'Embeddings API', required: true, testedBy: 'repoMindOpenAiConnectionTest', displayOptions: { show: { embeddingProvider: ['openAiCompatible'] } } },
			{ name: 'repoMindHuggingFaceApi', displayName: 'Embeddings API (Hugging Face)', required: true, testedBy: 'repoMindHuggingFaceConnectionTest', displayOptions: { show: { embeddingProvider: ['huggingFace'] } } },
			{ name: 'repoMindEmbeddingsWorkerApi', displayName: 'Embeddings Worker', required: true, testedBy: 'repoMindEmbeddingsWorkerConnectionTest', displayOptions: { show: { embeddingProvider: ['embeddingsWorker'] } } },
			{ name: 'repoMindRerankApi', displayName: 'Rerank Server', required: true, displayOptions: { show: { rerank: [true] } } },
			{ name: 'repoMindGitHubApi', displayName: 'GitHub Access', required: false, testedBy: 'repoMindGitHubConnectionTest', displayOptions: { show: { mode: ['similar'], relatedFiles: [true] } } },
		],
		properties: retrieveProperties,
	};

	methods = { credentialTest: repoMindCredentialTests, listSearch: { ...repositoryListSearch, ...embeddingModelListSearch } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		let vectors: ChromaVectorStore | undefined;
		let stores: IndexStores | undefined;
		try {
			const output = await mapItems(this, async (itemIndex, item) => {
				const options = this.getNodeParameter('options', itemIndex, {}) as RetrieveOptions;
				vectors ??= await chromaFrom(this);
				stores ??= await mysqlStoresFrom(this);
				const embedder = await embedderFrom(this, itemIndex, EMBEDDINGS_SINCE);
				const mode = this.getNodeParameter('mode', itemIndex, 'hybrid');
				if (mode === 'changeContext') return [await changeContextItem(this, itemIndex, item.json, { state: stores.state, vectors, embedder })];
				if (mode === 'similar') {
					const topK = this.getNodeParameter('topK', itemIndex, 10) as number;
					const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
					return [await similarItem(this, itemIndex, { state: stores.state, vectors, embedder }, topK, filters)];
				}
				const settings = await retrieveSettingsFrom(this, itemIndex, this.getNode().typeVersion < 1.1);
				const request: RetrieveRequest = { ...settings, question: String(this.getNodeParameter('question', itemIndex, '') ?? '').trim() };
				const deps = { state: stores.state, vectors, embedder };
				const cache = resultCacheFrom(options, stores.state);
				const result = cache ? await retrieveWithCache(deps, request, cache) : await retrieve(deps, request);
				return options.outputPerHit ? perHit(result) : [result as unknown as IDataObject];
			});
			return [output];
		} finally {
			await stores?.close();
		}
	}
}

/** One item per hit: the question's fields, the hit's rank, then the hit. */
function perHit(result: RetrieveResult): IDataObject[] {
	const { hits, ...question } = result;
	if (hits.length === 0) return [question as unknown as IDataObject];
	return hits.map((hit, index) => ({ question: result.question, mode: result.mode, embeddingModel: result.embeddingModel, commit: result.commit, ...(result.cache && { cache: result.cache }), rank: index + 1, ...hit }) as unknown as IDataObject);
}
