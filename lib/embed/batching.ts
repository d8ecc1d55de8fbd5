import { ServiceError } from '../errors';
import type { Embedder } from '../types';
import { isTransientHttpError, withRetry } from '../util/retry';

export interface BatchingOptions {
	/** Texts per request. Default 64. */
	batchSize?: number;
	/** Upper bound of estimated tokens per request (a longer single text still goes alone). */
	maxBatchTokens?: number;
	/** Requests in flight at once. Default 2. */
	concurrency?: number;
	/** Retries of a failed batch (429, 5xx, connection errors). Default 4. */
	retries?: number;
	/** First backoff delay. Default 500 ms. */
	baseDelayMs?: number;
	/** Longest wait between attempts, also for Retry-After. Default 30 s. */
	maxDelayMs?: number;
	/** Token estimate of a text. Default: characters / 4. */
	countTokens?: (text: string) => number;
	/** Called before a batch is retried. */
	onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/** Wraps an embedder with batching, bounded concurrency, retries and validation of the answers. */
export class BatchingEmbedder implements Embedder {
	readonly modelId: string;
	readonly legacyModelIds?: string[];
	/** The vector dimension, known after the first answer. */
	dimensions?: number;
	private readonly batchSize: number;
	private readonly concurrency: number;

	constructor(
		readonly inner: Embedder,
		private readonly options: BatchingOptions = {},
	) {
		this.modelId = inner.modelId;
		this.legacyModelIds = inner.legacyModelIds;
		this.batchSize = Math.max(1, Math.floor(options.batchSize ?? 64));
		this.concurrency = Math.max(1, Math.floor(options.concurrency ?? 2));
	}

	/** Embed texts in batches; vectors come back in input order. */
	async embed(texts: string[], signal?: AbortSignal): Promise<number[][]> {
		const batches = this.split(texts);
		const results: number[][][] = new Array(batches.length);
		let next = 0;
		let failed = false;
		const worker = async () => {
			while (!failed && next < batches.length) {
				const index = next++;
				try {
					results[index] = await this.embedBatch(batches[index], signal);
				} catch (error) {
					failed = true;
					throw error;
				}
			}
		};
		const workers = Math.min(this.concurrency, batches.length);
		await Promise.all(Array.from({ length: workers }, worker));
		return results.flat();
	}

	/** Consecutive batches bounded by batchSize and maxBatchTokens. */
	split(texts: string[]): string[][] {
		const countTokens = this.options.countTokens ?? ((text: string) => Math.ceil(text.length / 4));
		const maxTokens = this.options.maxBatchTokens ?? Infinity;
		const batches: string[][] = [];
		let current: string[] = [];
		let tokens = 0;
		for (const text of texts) {
			const cost = countTokens(text);
			if (current.length > 0 && (current.length >= this.batchSize || tokens + cost > maxTokens)) {
				batches.push(current);
				current = [];
				tokens = 0;
			}
			current.push(text);
			tokens += cost;
		}
		if (current.length > 0) batches.push(current);
		return batches;
	}

	private async embedBatch(texts: string[], signal?: AbortSignal): Promise<number[][]> {
		const vectors = await withRetry(() => this.inner.embed(texts), {
			retries: this.options.retries ?? 4,
			baseDelayMs: this.options.baseDelayMs ?? 500,
			maxDelayMs: this.options.maxDelayMs ?? 30_000,
			isRetryable: isTransientHttpError,
			onRetry: this.options.onRetry,
			signal,
		});
		this.validate(texts, vectors);
		return vectors;
	}

	private validate(texts: string[], vectors: unknown): asserts vectors is number[][] {
		const fail = (problem: string) => {
			throw new ServiceError(`Embedder ${this.modelId} answered ${problem}`);
		};
		if (!Array.isArray(vectors) || vectors.length !== texts.length) {
			fail(`${Array.isArray(vectors) ? vectors.length : 'no'} vectors for ${texts.length} texts`);
		}
		(vectors as unknown[]).forEach((vector, i) => {
			if (!Array.isArray(vector) || vector.length === 0) {
				return fail(`an empty or missing vector for text ${i} of the batch`);
			}
			this.dimensions ??= vector.length;
			if (vector.length !== this.dimensions) {
				const expected = `expected ${this.dimensions}-d`;
				fail(`a ${vector.length}-d vector for text ${i} of the batch; ${expected}`);
			}
			if (!vector.every((value) => typeof value === 'number' && Number.isFinite(value))) {
				fail(`a vector with a non-finite or non-number value for text ${i} of the batch`);
			}
		});
	}
}
