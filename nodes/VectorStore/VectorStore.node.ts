import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import type { ChromaVectorStore } from '../../lib/vector/chroma';
import { repoMindCredentialTests } from '../shared/credential-test';
import { chromaFrom, mysqlStoresFrom, type IndexStores } from '../shared/connections';
import { mapItems } from '../shared/items';
import { deleteChunks, deleteProperties } from './operations/delete';
import { deleteRefOperation, deleteRefProperties } from './operations/deleteRef';
import { queryByVector, queryProperties } from './operations/query';
import { EMBEDDINGS_SINCE, syncOperation, syncProperties } from './operations/sync';
import { embeddingsInputsSince } from '../shared/descriptions';
import { upsert, upsertProperties } from './operations/upsert';

// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool -- syncs, upserts and deletes; write operations are never offered to agents (they search through Retrieve)
export class VectorStore implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RepoMind Vector Store',
		name: 'repoMindVectorStore',
		icon: 'file:vectorStore.svg',
		group: ['output'],
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Chroma index of a repository: sync it exactly with a ref, upsert, delete or query chunks',
		defaults: { name: 'Vector Store' },
		inputs: embeddingsInputsSince(EMBEDDINGS_SINCE, "$parameter.operation === 'syncRepository'"),
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'repoMindChromaApi', displayName: 'Chroma Server', required: true },
			// eslint-disable-next-line n8n-nodes-base/node-class-description-credentials-name-unsuffixed -- a database credential, like n8n's mySql; renaming breaks saved workflows
			{ name: 'repoMindMySql', displayName: 'MySQL for Index State', required: true, testedBy: 'repoMindMySqlConnectionTest', displayOptions: { show: { operation: ['syncRepository', 'deleteRefIndex'] } } },
			{ name: 'repoMindGitHubApi', displayName: 'GitHub Access', required: true, testedBy: 'repoMindGitHubConnectionTest', displayOptions: { show: { operation: ['syncRepository', 'deleteRefIndex'], source: ['github'] } } },
			{ name: 'repoMindOpenAiApi', displayName: 'Embeddings API', required: true, testedBy: 'repoMindOpenAiConnectionTest', displayOptions: { show: { operation: ['syncRepository'], embeddingProvider: ['openAiCompatible'] } } },
			{ name: 'repoMindHuggingFaceApi', displayName: 'Embeddings API (Hugging Face)', required: true, testedBy: 'repoMindHuggingFaceConnectionTest', displayOptions: { show: { operation: ['syncRepository'], embeddingProvider: ['huggingFace'] } } },
			{ name: 'repoMindEmbeddingsWorkerApi', displayName: 'Embeddings Worker', required: true, testedBy: 'repoMindEmbeddingsWorkerConnectionTest', displayOptions: { show: { operation: ['syncRepository'], embeddingProvider: ['embeddingsWorker'] } } },
		],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Create or Update', value: 'upsert', action: 'Create or update chunks', description: 'Create a new record, or update the current one if it already exists (upsert)' },
					{ name: 'Delete', value: 'delete', action: 'Delete chunks', description: 'Delete the chunks of files, or chunks by ID' },
					{ name: 'Delete Ref Index', value: 'deleteRefIndex', action: 'Delete the index of a ref', description: 'Remove every chunk, file row and state of a branch or tag (e.g. after the branch was deleted)' },
					{ name: 'Query', value: 'query', action: 'Query by vector', description: 'Nearest chunks to a query vector' },
					{ name: 'Sync Repository', value: 'syncRepository', action: 'Sync a repository into the index', description: 'Fetch, chunk, embed and index a ref; only what changed is re-embedded; stale chunks are removed' },
				],
				default: 'syncRepository',
			},
			...syncProperties,
			...upsertProperties,
			...deleteProperties,
			...deleteRefProperties,
			...queryProperties,
		],
	};

	methods = { credentialTest: repoMindCredentialTests };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as string;
		let vectors: ChromaVectorStore | undefined;
		let stores: IndexStores | undefined;
		try {
			const output = await mapItems(this, async (itemIndex, item) => {
				vectors ??= await chromaFrom(this);
				if (operation === 'syncRepository') {
					stores ??= await mysqlStoresFrom(this);
					return syncOperation(this, itemIndex, vectors, stores);
				}
				if (operation === 'deleteRefIndex') {
					stores ??= await mysqlStoresFrom(this);
					return deleteRefOperation(this, itemIndex, vectors, stores);
				}
				if (operation === 'upsert') return upsert(this, itemIndex, item.json, vectors);
				if (operation === 'delete') return deleteChunks(this, itemIndex, vectors);
				return queryByVector(this, itemIndex, item.json, vectors);
			});
			return [output];
		} finally {
			await stores?.close();
		}
	}
}
