import { finishVector, sigmoid, type BackendInfo, type EmbeddingBackend, type ModelInput, type RerankPair } from './backend';
import { DynamicBatcher, QueueFullError, type SubmitStats } from './batcher';
import type { WorkerConfig } from './config';
import { HttpError } from './http';
import type { WorkerMetrics } from './metrics';
import type { TruncationDirection } from './tokenizer';

type Limits = Pick<WorkerConfig, 'maxBatchSize' | 'maxBatchTokens' | 'maxWaitMs' | 'maxQueue' | 'maxInputChars' | 'matryoshka'>;

interface Sized<T> {
	value: T;
	tokens: number;
}

/** How a request wants its inputs embedded. */
export interface EmbedOptions {
	normalize: boolean;
	truncate: boolean;
	direction?: TruncationDirection;
	/** A sentence-transformers prompt of the model, put before each input. */
	promptName?: string;
	/** Keep the first `dimensions` components (Matryoshka models only). */
	dimensions?: number;
}

/** A text or the model's token ids. */
export type EmbedInput = string | number[];

/** Embedding and rerank requests in front of the backend: limits, dynamic batching, normalisation. */
export class EmbeddingService {
	private embedBatcher?: DynamicBatcher<Sized<ModelInput>, Float32Array>;
	private rerankBatcher?: DynamicBatcher<Sized<RerankPair>, number>;
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

	/** The model's tokenizer, for /tokenize and /decode; 424 for a remote backend. */
	get tokenizer() {
		const tokenizer = this.backend.tokenizer;
		if (!tokenizer) throw new HttpError(424, 'The huggingface backend has no local tokenizer', 'Backend');
		return tokenizer;
	}

	/** Load the model(s) and set up the batch queues. */
	async start(): Promise<BackendInfo> {
		const info = await this.backend.load();
		const batching = { ...this.limits, concurrency: this.backend.concurrency ?? 1, cost: (item: Sized<unknown>) => item.tokens };
		this.embedBatcher = new DynamicBatcher<Sized<ModelInput>, Float32Array>({
			...batching,
			run: (items) => this.backend.embed(items.map((item) => item.value)),
			onBatch: (size, tokens) => this.metrics.observeBatch('embed', size, tokens),
		});
		const scorePairs = this.backend.scorePairs;
		if (scorePairs) {
			this.rerankBatcher = new DynamicBatcher<Sized<RerankPair>, number>({
				...batching,
				run: (items) => scorePairs(items.map((item) => item.value)),
				onBatch: (size, tokens) => this.metrics.observeBatch('rerank', size, tokens),
			});
		}
		this.loadedInfo = info;
		return info;
	}

	/** One vector per input, in order; `tokens` is what the model saw in total. */
	async embed(inputs: EmbedInput[], options: EmbedOptions): Promise<{ vectors: Float32Array[]; tokens: number }> {
		this.metrics.requestStarted('embed', inputs.length);
		const started = performance.now();
		const dimensions = this.checkDimensions(options.dimensions);
		const prompt = this.prompt(options.promptName);
		const items = inputs.map((input, index) => this.prepare(input, index, options, prompt));
		const vectors = await this.timed('embed', started, items, this.ready(this.embedBatcher));
		const tokens = items.reduce((sum, item) => sum + item.tokens, 0);
		return { vectors: vectors.map((vector) => finishVector(vector, options.normalize, dimensions)), tokens };
	}

	/** Relevance of each text to the query: sigmoid of the cross-encoder logit, or the raw logit. */
	async rerank(query: string, texts: string[], options: { rawScores: boolean; truncate: boolean; direction?: TruncationDirection }): Promise<number[]> {
		const batcher = this.rerankBatcher;
		if (!batcher) throw new HttpError(424, 'This worker has no rerank model (start it with --rerank-model)', 'Backend');
		this.metrics.requestStarted('rerank', texts.length);
		const started = performance.now();
		const items = texts.map((text, index) => this.sizedPair([query, text, options.direction], index, options.truncate));
		const logits = await this.timed('rerank', started, items, batcher);
		return options.rawScores ? logits : logits.map(sigmoid);
	}

	/** Run everything queued at once and wait until it is done. */
	async drain(): Promise<void> {
		await Promise.all([this.embedBatcher?.drain(), this.rerankBatcher?.drain()]);
	}

	private checkDimensions(dimensions: number | undefined): number | undefined {
		const { dimension } = this.info;
		if (dimensions === undefined || dimensions === dimension) return undefined;
		if (dimensions < 1) throw new HttpError(422, '`dimensions` should be positive', 'Validation');
		if (dimensions > dimension) throw new HttpError(422, `\`dimensions\` should be at most the model's ${dimension}`, 'Validation');
		if (!this.limits.matryoshka) {
			const message = `This model answers ${dimension}-d vectors; dimensions ${dimensions} needs a Matryoshka model (start the worker with --matryoshka true if it is one)`;
			throw new HttpError(422, message, 'Validation');
		}
		return dimensions;
	}

	private prompt(name: string | undefined): string | undefined {
		return name === undefined ? undefined : this.promptText(name);
	}

	/** The text of one of the model's sentence-transformers prompts; 422 naming the known ones. */
	promptText(name: string): string {
		const prompts = this.backend.tokenizer?.prompts ?? {};
		if (name in prompts) return prompts[name];
		const known = Object.keys(prompts);
		const message = `prompt_name ${JSON.stringify(name)} is not one of the model's prompts (${known.length > 0 ? known.join(', ') : 'it has none'})`;
		throw new HttpError(422, message, 'Validation');
	}

	private prepare(input: EmbedInput, index: number, options: EmbedOptions, prompt: string | undefined): Sized<ModelInput> {
		if (input.length === 0) throw new HttpError(400, `Input ${index} is empty`, 'Empty');
		if (typeof input === 'string' && input.length > this.limits.maxInputChars) {
			throw new HttpError(413, `Input ${index} has ${input.length} characters; the limit is ${this.limits.maxInputChars}`, 'Validation');
		}
		const tokenizer = this.backend.tokenizer;
		if (tokenizer) {
			const { ids, tokens } = tokenizer.encode(input, { truncate: options.truncate, direction: options.direction, prompt }, index);
			return { value: ids, tokens };
		}
		if (typeof input !== 'string' || prompt !== undefined || options.direction === 'Left') {
			throw new HttpError(422, 'The huggingface backend takes texts only, truncated on the right, without prompts', 'Validation');
		}
		return { value: input, tokens: this.checkedTokens(input, index, options.truncate) };
	}

	private sizedPair(pair: RerankPair, index: number, truncate: boolean): Sized<RerankPair> {
		const [query, text] = pair;
		if (text.length === 0) throw new HttpError(400, `Text ${index} is empty`, 'Empty');
		const joined = `${query} ${text}`;
		if (joined.length > this.limits.maxInputChars) {
			throw new HttpError(413, `Input ${index} has ${joined.length} characters; the limit is ${this.limits.maxInputChars}`, 'Validation');
		}
		const tokens = this.backend.countPairTokens ? this.backend.countPairTokens(query, text) : this.backend.countTokens(joined);
		return { value: pair, tokens: this.checkedCount(tokens, index, truncate) };
	}

	private checkedTokens(text: string, index: number, truncate: boolean): number {
		return this.checkedCount(this.backend.countTokens(text), index, truncate);
	}

	private checkedCount(tokens: number, index: number, truncate: boolean): number {
		const { maxInputTokens } = this.info;
		if (tokens > maxInputTokens && !truncate) {
			const message = `Input ${index} has ${tokens} tokens; the model takes at most ${maxInputTokens} (send truncate: true to cut it)`;
			throw new HttpError(422, message, 'Validation');
		}
		return Math.min(tokens, maxInputTokens);
	}

	/** Submit, then record TEI's per-request timings: tokenization (since `started`), queue, inference. */
	private async timed<I extends Sized<unknown>, O>(kind: 'embed' | 'rerank', started: number, items: I[], batcher: DynamicBatcher<I, O>): Promise<O[]> {
		const queued = performance.now();
		const stats: SubmitStats = {};
		const results = await this.submit(batcher, items, stats);
		const runAt = stats.firstRunAt ?? queued;
		const timings = { tokenizationMs: queued - started, queueMs: runAt - queued, inferenceMs: performance.now() - runAt };
		this.metrics.requestDone(kind, items.map((item) => item.tokens), timings);
		return results;
	}

	private async submit<I, O>(batcher: DynamicBatcher<I, O>, items: I[], stats: SubmitStats): Promise<O[]> {
		try {
			return await batcher.submit(items, stats);
		} catch (error) {
			if (error instanceof QueueFullError) {
				const seconds = String(Math.ceil(error.retryAfterMs / 1000));
				throw new HttpError(429, `The queue is full (${this.limits.maxQueue} inputs); retry after ${seconds} s`, 'Overloaded', { 'Retry-After': seconds });
			}
			if (error instanceof HttpError) throw error;
			throw new HttpError(424, `The model failed: ${error instanceof Error ? error.message : String(error)}`, 'Backend');
		}
	}

	private ready<B>(batcher: B | undefined): B {
		if (!batcher) throw new HttpError(503, 'The model is still loading', 'Unhealthy');
		return batcher;
	}
}
