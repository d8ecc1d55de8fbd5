import { OpenAIEmbeddings } from '@langchain/openai';
import type { Embedder } from '../types';
import { embeddingError } from './errors';
import { endpointName } from './model-id';

const OPENAI_ENDPOINT = 'api.openai.com/v1';

export interface OpenAIEmbedderOptions {
	/** Model name, e.g. `text-embedding-3-small`. */
	model: string;
	apiKey: string;
	/** Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8080/v1`. Default: OpenAI. */
	baseURL?: string;
	/** Output dimensions (text-embedding-3 and later). */
	dimensions?: number;
	/** Request timeout in ms. Default 60000. */
	timeoutMs?: number;
}

/** `openai:<model>[:<dimensions>]`, plus `@<host/path>` of a base URL other than OpenAI's: one id per embedding space. */
export function openAiModelId(model: string, baseURL?: string, dimensions?: number): string {
	const id = `openai:${model}${dimensions ? `:${dimensions}` : ''}`;
	const endpoint = baseURL ? endpointName(baseURL) : OPENAI_ENDPOINT;
	return endpoint === OPENAI_ENDPOINT ? id : `${id}@${endpoint}`;
}

/** Embeddings from an OpenAI-compatible API through LangChain; one request per `embed` call. */
export class OpenAIEmbedder implements Embedder {
	/** `openai:<model>[:<dimensions>]`, plus `@<host/path>` of any base URL other than OpenAI's. */
	readonly modelId: string;
	/** The id before it named the base URL (indexes made under it are adopted). */
	readonly legacyModelIds: string[] = [];
	private readonly client: OpenAIEmbeddings;
	private readonly apiKey: string;
	private readonly target: string;

	constructor(options: OpenAIEmbedderOptions) {
		this.apiKey = options.apiKey;
		this.target = options.baseURL ?? 'https://api.openai.com/v1';
		this.modelId = openAiModelId(options.model, options.baseURL, options.dimensions);
		const legacy = openAiModelId(options.model, undefined, options.dimensions);
		if (this.modelId !== legacy) this.legacyModelIds.push(legacy);
		this.client = new OpenAIEmbeddings({
			model: options.model,
			apiKey: options.apiKey,
			dimensions: options.dimensions,
			encodingFormat: 'float',
			stripNewLines: false,
			batchSize: Number.MAX_SAFE_INTEGER,
			maxRetries: 0,
			maxConcurrency: 1,
			timeout: options.timeoutMs ?? 60_000,
			configuration: { baseURL: options.baseURL, maxRetries: 0 },
		});
	}

	/** Embed texts in one request; errors become RepoMind errors that never contain the API key. */
	async embed(texts: string[]): Promise<number[][]> {
		if (texts.length === 0) return [];
		try {
			return await this.client.embedDocuments(texts);
		} catch (error) {
			throw embeddingError(error, {
				modelId: this.modelId,
				target: this.target,
				secrets: [this.apiKey],
			});
		}
	}
}
