import { InferenceClient } from '@huggingface/inference';
import { InvalidInputError, ServiceError } from '../errors';
import type { Embedder } from '../types';
import { embeddingError } from './errors';
import { endpointName } from './model-id';

export interface HuggingFaceEmbedderOptions {
	/** A model on the HF Inference API, e.g. `sentence-transformers/all-MiniLM-L6-v2`. */
	model?: string;
	/** Instead of a model: an endpoint URL, e.g. text-embeddings-inference's `<base>/embed`. */
	endpointUrl?: string;
	/** HF token or the endpoint's API key. */
	token?: string;
	/** Inference provider for `model`. Default `hf-inference`. */
	provider?: string;
	/** Ask the server to normalise vectors (text-embeddings-inference). */
	normalize?: boolean;
	/** Ask the server to truncate over-long inputs instead of failing. Default true. */
	truncate?: boolean;
}

type Answer = unknown[];

/** Embeddings from the HF Inference API or a text-embeddings-inference endpoint. */
export class HuggingFaceEmbedder implements Embedder {
	readonly modelId: string;
	/** Things worth telling a user once, e.g. that token-level answers were mean-pooled here. */
	readonly notes = new Set<string>();
	private readonly client: InferenceClient;
	private readonly target: string;

	constructor(private readonly options: HuggingFaceEmbedderOptions) {
		if (!options.model === !options.endpointUrl) {
			throw new InvalidInputError(
				'Give the Hugging Face embedder either a model or an endpoint URL',
			);
		}
		this.client = new InferenceClient(options.token);
		this.target = options.endpointUrl ?? 'the Hugging Face Inference API';
		this.modelId = `hf:${options.model ?? endpointName(options.endpointUrl as string)}`;
	}

	/** Embed texts in one request; errors become RepoMind errors that never contain the token. */
	async embed(texts: string[]): Promise<number[][]> {
		if (texts.length === 0) return [];
		let failedHeaders: Headers | undefined;
		const recordingFetch: typeof fetch = async (input, init) => {
			const response = await fetch(input, init);
			if (!response.ok) failedHeaders = response.headers;
			return response;
		};
		const { model, endpointUrl, normalize, truncate = true } = this.options;
		const target = endpointUrl
			? { endpointUrl }
			: { model, provider: (this.options.provider ?? 'hf-inference') as 'hf-inference' };
		try {
			const answer = await this.client.featureExtraction(
				{ ...target, inputs: texts, truncate, ...(normalize === undefined ? {} : { normalize }) },
				{ retry_on_error: false, fetch: recordingFetch },
			);
			return this.toVectors(answer, texts.length);
		} catch (error) {
			attachHeaders(error, failedHeaders);
			throw embeddingError(error, {
				modelId: this.modelId,
				target: this.target,
				secrets: [this.options.token],
			});
		}
	}

	/** One vector per text from any answer shape: batch, single vector, or token-level (pooled). */
	private toVectors(answer: Answer, count: number): number[][] {
		if (answer.length > 0 && answer.every((item) => typeof item === 'number')) {
			return [answer as number[]];
		}
		if (answer.every((item) => Array.isArray(item) && item.every((x) => typeof x === 'number'))) {
			const rows = answer as number[][];
			if (rows.length === count || count !== 1) return rows;
			this.notes.add('The server answered token-level vectors; they were mean-pooled here.');
			return [meanPool(rows)];
		}
		if (answer.every((item) => Array.isArray(item) && item.every((x) => Array.isArray(x)))) {
			this.notes.add('The server answered token-level vectors; they were mean-pooled here.');
			return (answer as number[][][]).map(meanPool);
		}
		throw new ServiceError(
			`Embedding with ${this.modelId} failed: the answer has an unknown shape`,
		);
	}
}

/** Mean of token vectors. */
export function meanPool(tokens: number[][]): number[] {
	const sum = new Array<number>(tokens[0]?.length ?? 0).fill(0);
	for (const token of tokens) token.forEach((value, i) => (sum[i] += value));
	return sum.map((value) => value / Math.max(1, tokens.length));
}

/** @huggingface/inference errors carry no response headers; add them so Retry-After is honoured. */
function attachHeaders(error: unknown, headers: Headers | undefined): void {
	const response = (error as { httpResponse?: Record<string, unknown> } | null)?.httpResponse;
	if (headers && response && typeof response === 'object' && !response.headers) {
		response.headers = Object.fromEntries(headers.entries());
	}
}
