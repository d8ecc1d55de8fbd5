import type { Pool } from 'mysql2/promise';
import { resolve } from 'node:path';
import { NodeConnectionTypes, NodeOperationError, type IExecuteFunctions, type ISupplyDataFunctions, type ResolvedFilePath } from 'n8n-workflow';
import { Chunker } from '../../lib/chunk';
import { createEmbedder, type EmbedderConfig } from '../../lib/embed';
import { createLangChainEmbedder, isLangChainEmbeddings } from '../../lib/embed/langchain';
import { InvalidInputError } from '../../lib/errors';
import { createWorkerEmbedder } from '../../lib/embed/worker';
import { FileFilter } from '../../lib/filter';
import { createSource, type ClosableSource } from '../../lib/source';
import { EmbeddingCache } from '../../lib/store/embedding-cache';
import { IndexStateStore } from '../../lib/store/index-state';
import { migrateOnce } from '../../lib/store/migrate';
import { mysqlError, openPool, type MySqlConfig } from '../../lib/store/mysql';
import type { ChunkerOptions, Embedder } from '../../lib/types';
import { ChromaVectorStore, type ChromaConfig } from '../../lib/vector/chroma';
import { EMBEDDINGS_SUB_NODE } from './descriptions';
import { isLocator, parameterText } from './locator-value';
import { splitList } from './items';

/** What these helpers read: parameters and credentials of a node run or a sub-node's supplyData. */
type Context = Pick<IExecuteFunctions | ISupplyDataFunctions, 'getNodeParameter' | 'getCredentials'>;
/** A context that can also read the node's sub-node inputs. */
type NodeContext = Context & Pick<IExecuteFunctions | ISupplyDataFunctions, 'getNode' | 'getInputConnectionData'>;

/** The repository source described by the node's Source parameters for one item. */
export async function sourceFrom(context: IExecuteFunctions, itemIndex: number): Promise<ClosableSource> {
	const kind = context.getNodeParameter('source', itemIndex) as 'github' | 'local';
	if (kind === 'local') {
		const path = context.getNodeParameter('repositoryPath', itemIndex) as string;
		const repoKey = (context.getNodeParameter('repositoryKey', itemIndex, '') as string) || undefined;
		await assertReadableByN8n(context, path, itemIndex);
		return createSource({ kind: 'local', path, repoKey });
	}
	const credentials = await context.getCredentials('repoMindGitHubApi', itemIndex);
	return createSource({
		kind: 'github',
		owner: (context.getNodeParameter('owner', itemIndex) as string).trim(),
		repo: (context.getNodeParameter('repository', itemIndex) as string).trim(),
		token: (credentials.accessToken as string) || undefined,
		baseUrl: (credentials.baseUrl as string) || undefined,
	});
}

/** n8n's own file-access rule (N8N_RESTRICT_FILE_ACCESS_TO, N8N_BLOCK_FILE_PATTERNS, n8n's files) for the repository folder. */
async function assertReadableByN8n(context: IExecuteFunctions, path: string, itemIndex: number): Promise<void> {
	const resolved = await context.helpers.resolvePath(path).catch(() => resolve(path) as ResolvedFilePath);
	if (!context.helpers.isFilePathBlocked(resolved)) return;
	throw new NodeOperationError(context.getNode(), `The repository path ${path} is outside the folders n8n may read`, {
		itemIndex,
		description: 'Clone the repository inside a folder listed in N8N_RESTRICT_FILE_ACCESS_TO (folders separated by ";"; n8n 2.x defaults to ~/.n8n-files), or add its folder there and restart n8n.',
	});
}

/** The file filter from the node's filter options (collection parameter `filters`). */
export function filterFrom(context: Context, itemIndex: number): FileFilter {
	const options = context.getNodeParameter('filters', itemIndex, {}) as { include?: string; exclude?: string; maxFileKb?: number; useDefaultExcludes?: boolean };
	return new FileFilter({
		include: splitList(options.include),
		exclude: splitList(options.exclude),
		maxFileBytes: (options.maxFileKb ?? 1024) * 1024,
		useDefaultExcludes: options.useDefaultExcludes ?? true,
	});
}

/**
 * The embedder of the Embeddings sub-node connected to the node (versions from `subNodeSince` on have
 * that input), otherwise the one chosen by the Embedding Provider parameter and its credential.
 */
export async function embedderFrom(context: NodeContext, itemIndex: number, subNodeSince?: number): Promise<Embedder> {
	const provider = context.getNodeParameter('embeddingProvider', itemIndex) as string;
	const batchSize = (context.getNodeParameter('embeddingBatchSize', itemIndex, 0) as number) || undefined;
	if (subNodeSince !== undefined && context.getNode().typeVersion >= subNodeSince) {
		const connected = await context.getInputConnectionData(NodeConnectionTypes.AiEmbedding, itemIndex);
		if (isLangChainEmbeddings(connected)) return createLangChainEmbedder(connected, { batchSize });
		if (connected !== undefined) throw new InvalidInputError('The sub-node connected to the Embeddings input supplies no embeddings', 'Connect an Embeddings sub-node there (e.g. Embeddings OpenAI, Embeddings Ollama)');
	}
	if (provider === EMBEDDINGS_SUB_NODE) {
		throw new InvalidInputError('No Embeddings sub-node is connected', 'Plug an Embeddings sub-node (e.g. Embeddings OpenAI, Embeddings Ollama) into the Embeddings input, or choose another Embedding Provider');
	}
	if (provider === 'embeddingsWorker') {
		const credentials = await context.getCredentials('repoMindEmbeddingsWorkerApi', itemIndex);
		return createWorkerEmbedder({ url: credentials.url as string, apiKey: (credentials.apiKey as string) || undefined }, { batchSize });
	}
	let config: EmbedderConfig;
	if (provider === 'openAiCompatible') {
		const credentials = await context.getCredentials('repoMindOpenAiApi', itemIndex);
		const dimensions = (context.getNodeParameter('openAiDimensions', itemIndex, 0) as number) || undefined;
		config = { provider: 'openai', model: modelNameFrom(context, 'openAiModel', itemIndex), apiKey: (credentials.apiKey as string) || 'none', baseURL: credentials.baseUrl as string, dimensions, batchSize };
	} else if (provider === 'huggingFace') {
		const credentials = await context.getCredentials('repoMindHuggingFaceApi', itemIndex);
		const endpoint = (credentials.endpointUrl as string | undefined)?.replace(/\/$/, '');
		config = endpoint
			? { provider: 'huggingface', endpointUrl: `${endpoint}/embed`, token: (credentials.accessToken as string) || undefined, batchSize }
			: { provider: 'huggingface', model: modelNameFrom(context, 'huggingFaceModel', itemIndex), token: credentials.accessToken as string, batchSize };
	} else if (provider === 'onnx') {
		config = {
			provider: 'onnx',
			model: modelNameFrom(context, 'onnxModel', itemIndex),
			cacheDir: (context.getNodeParameter('onnxCacheDir', itemIndex, '') as string) || undefined,
			allowRemote: context.getNodeParameter('onnxAllowDownload', itemIndex, false) as boolean,
			batchSize,
		};
	} else if (provider === 'static') {
		config = { provider: 'static' };
	} else {
		config = { provider: 'hash', dimensions: context.getNodeParameter('hashDimensions', itemIndex, 384) as number };
	}
	return createEmbedder(config);
}

/** A provider's Model: a text field, or a picker's value (picked from the index or typed By Name). */
function modelNameFrom(context: Context, name: string, itemIndex: number): string {
	const raw = context.getNodeParameter(name, itemIndex) as unknown;
	if (!isLocator(raw)) return raw as string;
	const value = parameterText(raw).trim();
	if (!value) throw new InvalidInputError('No embedding model is chosen', 'Pick the model the repository was indexed with from the list, or type its name By Name');
	return value;
}

/** Chroma settings from the repoMindChromaApi credential. */
export async function chromaFrom(context: Context): Promise<ChromaVectorStore> {
	const credentials = await context.getCredentials('repoMindChromaApi');
	const headers: Record<string, string> = {};
	if (credentials.authType === 'bearer') headers.Authorization = `Bearer ${credentials.token as string}`;
	if (credentials.authType === 'xChromaToken') headers['X-Chroma-Token'] = credentials.token as string;
	const config: ChromaConfig = {
		url: credentials.url as string,
		headers,
		tenant: (credentials.tenant as string) || undefined,
		database: (credentials.database as string) || undefined,
	};
	return new ChromaVectorStore(config);
}

/** MySQL settings from the repoMindMySql credential. */
export function mysqlConfigFromCredentials(credentials: Record<string, unknown>): MySqlConfig {
	const ca = credentials.caCertificate as string | undefined;
	return {
		host: credentials.host as string,
		port: Number(credentials.port ?? 3306),
		user: credentials.user as string,
		password: (credentials.password as string) ?? '',
		database: credentials.database as string,
		ssl: credentials.ssl ? (ca ? { ca, rejectUnauthorized: true } : true) : undefined,
	};
}

/** The MySQL-backed stores, with the schema migrated; close() ends the pool. */
export interface IndexStores {
	state: IndexStateStore;
	cache: EmbeddingCache;
	close(): Promise<void>;
}

/** Opens the MySQL pool from the repoMindMySql credential and brings the schema up to date. */
export async function mysqlStoresFrom(context: Context): Promise<IndexStores> {
	const pool = await migratedPoolFrom(context);
	return { state: new IndexStateStore(pool), cache: new EmbeddingCache(pool), close: () => pool.end() };
}

/** A MySQL pool from the repoMindMySql credential, with RepoMind's schema brought up to date (once per process). */
export async function migratedPoolFrom(context: Pick<Context, 'getCredentials'>, connectionLimit?: number): Promise<Pool> {
	const config = mysqlConfigFromCredentials(await context.getCredentials('repoMindMySql'));
	const pool = openPool({ ...config, connectionLimit });
	try {
		await migrateOnce(pool, config);
	} catch (error) {
		await pool.end().catch(() => undefined);
		throw mysqlError(error, config);
	}
	return pool;
}

const chunkers = new Map<string, Promise<Chunker>>();

/** A process-wide chunker per option set (tree-sitter grammars load once). */
export function sharedChunker(options: ChunkerOptions = {}): Promise<Chunker> {
	const key = `${options.maxTokens ?? ''}:${options.overlapLines ?? ''}`;
	let chunker = chunkers.get(key);
	if (!chunker) {
		chunker = Chunker.create(options);
		chunker.catch(() => chunkers.delete(key));
		chunkers.set(key, chunker);
	}
	return chunker;
}
