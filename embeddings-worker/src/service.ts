import { l2Normalize, sigmoid, type BackendInfo, type EmbeddingBackend } from './backend';
import { DynamicBatcher, QueueFullError } from './batcher';
import type { WorkerConfig } from './config';
import { HttpError } from './http';
import type { WorkerMetrics } from './metrics';

type Limits = Pick<WorkerConfig, 'maxBatchSize' | 'maxBatchTokens' | 'maxWaitMs' | 'maxQueue' | 'maxInputChars'>;

interface Sized<T> {
	value: T;
	tokens: number;
}

/** Embedding and rerank requests in front of the backend: limits, dynamic batching, normalisation. */
export class EmbeddingService {
	private embedBatcher?: DynamicBatcher<Sized<string>, number[]>;
	private rerankBatcher?: DynamicBatcher<Sized<[string, string]>, number>;
	private loadedInfo?: BackendInfo;

	constructor(
		private readonly backend: EmbeddingBackend,
		private readonly limits: Limits,
		private readonly metrics: WorkerMetrics,
	) {}

	/** What the backend loaded (after start). */
	get info(): BackendInfo {
		if (!this.loadedInfo) throw new HttpError(503, 'The model is still loading', 'Unhealthy');
		return this.loadedInfo;
	}

	/** Inputs waiting in both queues. */
	get depth(): number {
		return (this.embedBatcher?.depth ?? 0) + (this.rerankBatcher?.depth ?? 0);
	}

	/** The batching limits in force. */
	get batching(): Limits {
		return this.limits;
	}

	/** Whether /rerank can be served. */
	get canRerank(): boolean {
		return this.rerankBatcher !== undefined;
	}

	/** Load the model(s) and set up the batch queues. */
	async start(): Promise<BackendInfo> {
		const info = await this.backend.load();
		const batching = { ...this.limits, cost: (item: Sized<unknown>) => item.tokens };
		this.embedBatcher = new DynamicBatcher<Sized<string>, number[]>({
			...batching,
			run: (items) => this.backend.embed(items.map((item) => item.value)),
			onBatch: (size) => this.metrics.observeBatch('embed', size),
		});
		const scorePairs = this.backend.scorePairs;
		if (scorePairs) {
			this.rerankBatcher = new DynamicBatcher<Sized<[string, string]>, number>({
				...batching,
				run: (items) => scorePairs(items.map((item) => item.value)),
				onBatch: (size) => this.metrics.observeBatch('rerank', size),
			});
		}
		this.loadedInfo = info;
		return info;
	}

	/** One vector per text, in order; `tokens` is what the model saw in total. */
	async embed(texts: string[], options: { normalize: boolean; truncate: boolean }): Promise<{ vectors: number[][]; tokens: number }> {
		const items = texts.map((text, index) => this.sized(text, text, index, options.truncate));
		const vectors = await this.submit(this.ready(this.embedBatcher), items);
		const tokens = items.reduce((sum, item) => sum + item.tokens, 0);
		return { vectors: options.normalize ? vectors.map(l2Normalize) : vectors, tokens };
	}

	/** Relevance of each text to the query: sigmoid of the cross-encoder logit, or the raw logit. */
	async rerank(query: string, texts: string[], options: { rawScores: boolean; truncate: boolean }): Promise<number[]> {
		const batcher = this.rerankBatcher;
		if (!batcher) throw new HttpError(424, 'This worker has no rerank model (start it with --rerank-model)', 'Backend');
		const items = texts.map((text, index) => this.sized<[string, string]>([query, text], `${query} ${text}`, index, options.truncate));
		const logits = await this.submit(batcher, items);
		return options.rawScores ? logits : logits.map(sigmoid);
	}

	/** Run everything queued at once and wait until it is done. */
	async drain(): Promise<void> {
		await Promise.all([this.embedBatcher?.drain(), this.rerankBatcher?.drain()]);
	}

	private sized<T>(value: T, text: string, index: number, truncate: boolean): Sized<T> {
		const { maxInputTokens } = this.info;
		if (text.length > this.limits.maxInputChars) {
			throw new HttpError(413, `Input ${index} has ${text.length} characters; the limit is ${this.limits.maxInputChars}`, 'Validation');
		}
		const tokens = this.backend.countTokens(text);
		if (tokens > maxInputTokens && !truncate) {
			const message = `Input ${index} has ${tokens} tokens; the model takes at most ${maxInputTokens} (send truncate: true to cut it)`;
			throw new HttpError(413, message, 'Validation');
		}
		return { value, tokens: Math.min(tokens, maxInputTokens) };
	}

	private async submit<I, O>(batcher: DynamicBatcher<I, O>, items: I[]): Promise<O[]> {
		try {
			return await batcher.submit(items);
		} catch (error) {
			if (error instanceof QueueFullError) {
				const seconds = String(Math.ceil(error.retryAfterMs / 1000));
				throw new HttpError(429, `The queue is full (${this.limits.maxQueue} inputs); retry after ${seconds} s`, 'Overloaded', { 'Retry-After': seconds });
			}
			throw error;
		}
	}

	private ready<B>(batcher: B | undefined): B {
		if (!batcher) throw new HttpError(503, 'The model is still loading', 'Unhealthy');
		return batcher;
	}
}
