import {
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { textHash } from '../../lib/ids';
import type { CacheableText } from '../../lib/store/embedding-cache';
import { toFloat32 } from '../../lib/store/embedding-cache';
import { repoMindCredentialTests } from '../shared/credential-test';
import { embedderFrom, mysqlStoresFrom } from '../shared/connections';
import { embeddingPropertiesSince, embeddingsInputsSince } from '../shared/descriptions';
import { reportNodeError } from '../shared/errors';

/** The first version with an Embeddings input. */
const SUB_NODE_SINCE = 1.1;

// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool -- embeds fields of items from other nodes; nothing an AI agent could call
export class Embed implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RepoMind Embed',
		name: 'repoMindEmbed',
		icon: 'file:embed.svg',
		group: ['transform'],
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{$parameter["embeddingProvider"]}}',
		description: 'Add an embedding vector to each item (OpenAI-compatible API, Hugging Face, local ONNX), with an optional MySQL cache',
		defaults: { name: 'Embed' },
		inputs: embeddingsInputsSince(SUB_NODE_SINCE),
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'repoMindOpenAiApi', displayName: 'Embeddings API', required: true, testedBy: 'repoMindOpenAiConnectionTest', displayOptions: { show: { embeddingProvider: ['openAiCompatible'] } } },
			{ name: 'repoMindHuggingFaceApi', displayName: 'Embeddings API (Hugging Face)', required: true, testedBy: 'repoMindHuggingFaceConnectionTest', displayOptions: { show: { embeddingProvider: ['huggingFace'] } } },
			{ name: 'repoMindEmbeddingsWorkerApi', displayName: 'Embeddings Worker', required: true, testedBy: 'repoMindEmbeddingsWorkerConnectionTest', displayOptions: { show: { embeddingProvider: ['embeddingsWorker'] } } },
			// eslint-disable-next-line n8n-nodes-base/node-class-description-credentials-name-unsuffixed -- a database credential, like n8n's mySql; renaming breaks saved workflows
			{ name: 'repoMindMySql', displayName: 'MySQL for Embedding Cache', required: true, testedBy: 'repoMindMySqlConnectionTest', displayOptions: { show: { useCache: [true] } } },
		],
		properties: [
			...embeddingPropertiesSince(SUB_NODE_SINCE),
			{
				displayName: 'Text Field',
				name: 'textField',
				type: 'string',
				default: 'embeddingText',
				description: 'Field holding the text to embed (RepoMind Chunk items: embeddingText)',
			},
			{
				displayName: 'Vector Field',
				name: 'vectorField',
				type: 'string',
				default: 'vector',
				description: 'Field the vector is written to',
			},
			{
				displayName: 'Use Embedding Cache',
				name: 'useCache',
				type: 'boolean',
				default: false,
				description: 'Whether to keep vectors in MySQL by (model, text hash) so identical text is never embedded twice',
			},
		],
	};

	methods = { credentialTest: repoMindCredentialTests };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const textField = this.getNodeParameter('textField', 0) as string;
		const vectorField = this.getNodeParameter('vectorField', 0) as string;
		const output: INodeExecutionData[] = new Array(items.length);
		const pending: Array<{ itemIndex: number } & CacheableText> = [];
		const fail = (itemIndex: number, error: unknown) => {
			const continued = this.continueOnFail();
			const nodeError = reportNodeError(this, error, itemIndex, continued);
			if (!continued) throw nodeError;
			output[itemIndex] = { json: { ...items[itemIndex].json, error: nodeError.message }, pairedItem: { item: itemIndex } };
		};
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			const json = items[itemIndex].json;
			const text = json[textField];
			if (typeof text !== 'string' || text.trim() === '') {
				fail(itemIndex, new NodeOperationError(this.getNode(), `Field "${textField}" is missing or empty`, { itemIndex, description: 'Set "Text Field" to the field that holds the text, e.g. embeddingText for RepoMind Chunk items' }));
				continue;
			}
			pending.push({ itemIndex, key: textHash(text), text });
		}
		if (pending.length > 0) {
			try {
				const embedder = await embedderFrom(this, 0, SUB_NODE_SINCE);
				const stores = this.getNodeParameter('useCache', 0) ? await mysqlStoresFrom(this) : null;
				try {
					const vectors = stores
						? (await stores.cache.embed(embedder, pending)).vectors
						: (await embedder.embed(pending.map((entry) => entry.text))).map(toFloat32);
					pending.forEach(({ itemIndex }, i) => {
						output[itemIndex] = { json: { ...items[itemIndex].json, [vectorField]: vectors[i], embeddingModel: embedder.modelId }, pairedItem: { item: itemIndex } };
					});
				} finally {
					await stores?.close();
				}
			} catch (error) {
				for (const { itemIndex } of pending) fail(itemIndex, error);
			}
		}
		return [output];
	}
}
