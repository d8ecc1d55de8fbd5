import type { Embedder } from '../types';
import { BatchingEmbedder, type BatchingOptions } from './batching';
import { embeddingError } from './errors';
import { OpenAIEmbedder } from './openai';

/** Where a RepoMind embeddings worker runs. */
export interface WorkerConnection {
	/** Base URL, e.g. `http://gpu-box:8080`. */
	url: string;
	/** The worker's API key, sent as a bearer token. */
	apiKey?: string;
	/** Request timeout in ms. Default 60000. */
	timeoutMs?: number;
}

/** What `GET /info` of the worker answers (the fields used here). */
export interface WorkerInfo {
	model_id: string;
	dimension: number;
	max_batch_size: number;
	max_client_batch_size: number;
	device: string;
	/** Weight precision and pooling: with the model they fix the embedding space (older workers may omit them). */
	dtype?: string;
	pooling?: string;
}

const baseUrl = (url: string) => url.trim().replace(/\/+$/, '');

/** The worker's model and limits; errors name the URL and status and never contain the key. */
export async function fetchWorkerInfo(connection: WorkerConnection): Promise<WorkerInfo> {
	const url = baseUrl(connection.url);
	const context = { modelId: 'the embeddings worker', target: url, secrets: [connection.apiKey] };
	try {
		const headers: Record<string, string> = connection.apiKey ? { Authorization: `Bearer ${connection.apiKey}` } : {};
		const response = await fetch(`${url}/info`, { headers, signal: AbortSignal.timeout(connection.timeoutMs ?? 60_000) });
		if (!response.ok) {
			const detail = await response.text().catch(() => '');
			throw Object.assign(new Error(`GET /info answered ${response.status}: ${detail.slice(0, 200)}`), { response });
		}
		const info = (await response.json()) as WorkerInfo;
		if (typeof info.model_id !== 'string' || typeof info.dimension !== 'number') throw new TypeError('GET /info answered without model_id and dimension');
		return info;
	} catch (error) {
		throw embeddingError(error, context);
	}
}

/** The worker's OpenAI-compatible API under the model it serves: modelId `worker:<model>:<dtype>:<pooling>`. */
export class WorkerEmbedder implements Embedder {
	readonly modelId: string;
	/** The id before it named dtype and pooling (indexes made under it are adopted). */
	readonly legacyModelIds: string[];
	private readonly client: OpenAIEmbedder;

	constructor(connection: WorkerConnection, readonly info: WorkerInfo) {
		this.modelId = `worker:${info.model_id}:${info.dtype ?? 'fp32'}:${info.pooling ?? 'mean'}`;
		this.legacyModelIds = [`worker:${info.model_id}`];
		this.client = new OpenAIEmbedder({ model: info.model_id, apiKey: connection.apiKey || 'none', baseURL: `${baseUrl(connection.url)}/v1`, timeoutMs: connection.timeoutMs });
	}

	/** Embed texts in one request. */
	embed(texts: string[]): Promise<number[][]> {
		return this.client.embed(texts);
	}
}

/** Asks the worker for its model, then wraps it in batching with retries (429 honours Retry-After). */
export async function createWorkerEmbedder(connection: WorkerConnection, batching: BatchingOptions = {}): Promise<BatchingEmbedder> {
	const info = await fetchWorkerInfo(connection);
	const batchSize = batching.batchSize ?? Math.min(64, info.max_client_batch_size);
	return new BatchingEmbedder(new WorkerEmbedder(connection, info), { concurrency: 2, ...batching, batchSize });
}
