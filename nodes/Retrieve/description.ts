import type { DisplayCondition, INodeCredentialDescription, INodeProperties } from 'n8n-workflow';
import { embeddingPropertiesSince } from '../shared/descriptions';
import { withModelPickers } from '../shared/embedding-model-locator';
import { beforeVersion, refLocator, repositoryLocator } from '../shared/repository-locator';

/** The first version with an Embeddings input. */
export const EMBEDDINGS_SINCE = 1.2;
import { changeContextProperties } from './changeContext';
import { similarProperties } from './similar';

/** The indexed repository and ref searched: typed before `since` (saved workflows keep them), picked from the index from `since` on. Code Search shares them. */
export function indexedRepositoryProperties(since: number): INodeProperties[] {
	return [
		...beforeVersion([
			{ displayName: 'Repository Key', name: 'repositoryKey', type: 'string', default: '', required: true, placeholder: 'github:owner/repo', description: 'The repository as the index knows it: github:owner/repo, or local:&lt;name&gt; for a local clone' },
			{ displayName: 'Ref', name: 'ref', type: 'string', default: 'main', required: true, description: 'Branch, tag or commit the index was synced for' },
		], since),
		repositoryLocator({ since }),
		refLocator({ since, description: 'Branch, tag or commit the index was synced for; the list shows the refs indexed for the repository, with their commit and embedding model' }),
	];
}

/** The first version of Retrieve that picks the repository and ref from the index (resource locators). */
export const PICKERS_SINCE = 1.3;

/** The first version of Retrieve that picks the embedding model from those the index was built with. */
export const MODEL_PICKER_SINCE = 1.4;

/** The Retrieve node's parameters: what to ask, where, how to rank, and the index's embedder. */
export const retrieveProperties: INodeProperties[] = [
	...indexedRepositoryProperties(PICKERS_SINCE),
	{ displayName: 'Question', name: 'question', type: 'string', default: '={{ $json.chatInput }}', required: true, typeOptions: { rows: 2 }, displayOptions: { hide: { mode: ['similar', 'changeContext'] } }, description: 'What to search for: plain words or identifiers (the Chat Trigger puts the message in chatInput)' },
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		options: [
			{ name: 'Change Context', value: 'changeContext', description: 'For each diff hunk of a change: definitions of the names it uses, callers of what it changes, similar code (for a review)' },
			{ name: 'Full Text', value: 'lexical', description: 'MySQL FULLTEXT match, identifiers split into words' },
			{ name: 'Hybrid', value: 'hybrid', description: 'Vector and full-text rankings fused by reciprocal rank' },
			{ name: 'Similar Code', value: 'similar', description: 'The chunks nearest to a file, line range, chunk or code hunk (never its own lines); optionally its related files' },
			{ name: 'Vector', value: 'vector', description: 'Nearest neighbours of the question embedding' },
		],
		default: 'hybrid',
	},
	...similarProperties,
	...changeContextProperties,
	{ displayName: 'Top K', name: 'topK', type: 'number', default: 10, typeOptions: { minValue: 1, maxValue: 200 }, description: 'Number of chunks to return' },
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{ displayName: 'Path Prefix', name: 'pathPrefix', type: 'string', default: '', placeholder: 'src/parser/', description: 'Only files whose path starts with this' },
			{ displayName: 'Path Glob', name: 'pathGlob', type: 'string', default: '', placeholder: 'src/**/*.ts', description: 'Only files matching this glob' },
			{ displayName: 'Language', name: 'language', type: 'string', default: '', placeholder: 'typescript', description: 'Only chunks of this language (typescript, python, go, markdown, …)' },
		],
	},
	{ displayName: 'Rerank', name: 'rerank', type: 'boolean', default: false, displayOptions: { show: { '@version': [{ _cnd: { gte: 1.1 } }] }, hide: { mode: ['similar'] } }, description: 'Whether to reorder the candidates with a cross-encoder server (RepoMind Rerank API credential)' },
	retrieveOptions([1], [
		{ displayName: 'Rerank API Key', name: 'rerankApiKey', type: 'string', typeOptions: { password: true }, default: '', description: 'Sent as a bearer token to the rerank server (version 1 of this node; later versions keep it in the RepoMind Rerank API credential)' },
		{ displayName: 'Rerank URL', name: 'rerankUrl', type: 'string', default: '', placeholder: 'http://127.0.0.1:8080', description: 'A text-embeddings-inference compatible server; POST /rerank reorders the candidates' },
	]),
	retrieveOptions([{ _cnd: { gte: 1.1 } }], []),
	...withModelPickers(embeddingPropertiesSince(EMBEDDINGS_SINCE), MODEL_PICKER_SINCE),
];

/** The Options collection for some node versions: the shared options plus `extra` (version 1 keeps the rerank URL and key here). */
function retrieveOptions(versions: Array<number | DisplayCondition>, extra: INodeProperties[]): INodeProperties {
	const options: INodeProperties[] = [
		{ displayName: 'Cache Results', name: 'cacheResults', type: 'boolean', default: false, description: 'Whether to reuse the result of an identical search (same question, index commit, embedding model and settings) stored in MySQL (repomind_answer_cache); a new indexed commit is never served an old result' },
		{ displayName: 'Cache TTL (Seconds)', name: 'cacheTtlSeconds', type: 'number', default: 86400, typeOptions: { minValue: 1, maxValue: 31536000 }, description: 'How long a cached result is served (with Cache Results)' },
		{ displayName: 'Diversify (MMR)', name: 'mmr', type: 'boolean', default: false, description: 'Whether to reorder by maximal marginal relevance so near-duplicate chunks do not crowd the top' },
		{ displayName: 'Full-Text Weight', name: 'lexicalWeight', type: 'number', default: 0.8, typeOptions: { minValue: 0, numberPrecision: 2 }, description: 'Weight of the full-text ranking in hybrid fusion' },
		{
			displayName: 'Fusion',
			name: 'fusion',
			type: 'options',
			options: [
				{ name: 'Normalised Scores', value: 'convex', description: 'Weighted sum of min-max normalised scores (default weights 0.2 vector, 0.8 full-text)' },
				{ name: 'Reciprocal Rank', value: 'rrf', description: 'Weighted reciprocal rank fusion, k = 60 (default weights 1 and 1)' },
			],
			default: 'convex',
			description: 'How hybrid mode combines the vector and full-text rankings',
		},
		{ displayName: 'MMR Lambda', name: 'mmrLambda', type: 'number', default: 0.7, typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 }, description: '1: relevance only, 0: diversity only' },
		{ displayName: 'Output One Item per Hit', name: 'outputPerHit', type: 'boolean', default: false, description: 'Whether to output each hit as its own item instead of one item per question with a hits list' },
		{ displayName: 'Rerank Candidates', name: 'rerankTopN', type: 'number', default: 50, typeOptions: { minValue: 1, maxValue: 200 }, description: 'How many fused candidates the reranker scores' },
		{ displayName: 'Vector Weight', name: 'vectorWeight', type: 'number', default: 0.2, typeOptions: { minValue: 0, numberPrecision: 2 }, description: 'Weight of the vector ranking in hybrid fusion' },
		...extra,
	];
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { '@version': versions } },
		options: options.sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

/** Credentials of RepoMind's search nodes (Retrieve, Code Search, Code Retriever): the index's stores, the embedding provider it was built with, the rerank server. */
export const searchCredentials: INodeCredentialDescription[] = [
	{ name: 'repoMindChromaApi', displayName: 'Chroma Server', required: true },
	{ name: 'repoMindMySql', displayName: 'MySQL for Index State', required: true, testedBy: 'repoMindMySqlConnectionTest' },
	{ name: 'repoMindOpenAiApi', displayName: 'Embeddings API', required: true, testedBy: 'repoMindOpenAiConnectionTest', displayOptions: { show: { embeddingProvider: ['openAiCompatible'] } } },
	{ name: 'repoMindHuggingFaceApi', displayName: 'Embeddings API (Hugging Face)', required: true, testedBy: 'repoMindHuggingFaceConnectionTest', displayOptions: { show: { embeddingProvider: ['huggingFace'] } } },
	{ name: 'repoMindEmbeddingsWorkerApi', displayName: 'Embeddings Worker', required: true, testedBy: 'repoMindEmbeddingsWorkerConnectionTest', displayOptions: { show: { embeddingProvider: ['embeddingsWorker'] } } },
	{ name: 'repoMindRerankApi', displayName: 'Rerank Server', required: true, displayOptions: { show: { rerank: [true] } } },
];
