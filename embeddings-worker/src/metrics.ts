import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const WINDOW_MS = 10_000;

/** TEI's buckets: durations 1.5e-5 s × 1.5^n (35), sizes and tokens in powers of two. */
const DURATION_BUCKETS: number[] = [];
for (let value = 0.00001, i = 0; i < 35; i++) DURATION_BUCKETS.push((value *= 1.5));
const powersOfTwo = (count: number, max = Infinity) => Array.from({ length: count }, (_, i) => 2 ** i).filter((value) => value <= max);

/** Per-input timings of one request, in milliseconds. */
export interface InferTimings {
	tokenizationMs: number;
	queueMs: number;
	inferenceMs: number;
}

type Kind = 'embed' | 'rerank';
/** TEI's `te_request_failure` reasons. */
export type FailureReason = 'validation' | 'batch_size' | 'overloaded' | 'tokenization' | 'inference' | 'model_type';

/**
 * The worker's Prometheus metrics, in a registry of its own: `repomind_worker_*`, and the `te_*`
 * metrics of text-embeddings-inference 1.9 (names, labels and buckets) so TEI dashboards work.
 */
export class WorkerMetrics {
	readonly registry = new Registry();
	readonly requests: Counter<'route' | 'status'>;
	readonly latency: Histogram<'route'>;
	readonly batchSize: Histogram<'kind'>;
	readonly texts: Counter<'kind'>;
	private readonly recent: Array<[number, number]> = [];
	private readonly tei;

	constructor(queueDepth: () => number, processMetrics = true, maxInputTokens = 512) {
		const registers = [this.registry];
		this.requests = new Counter({ name: 'repomind_worker_requests_total', help: 'HTTP requests by route and status', labelNames: ['route', 'status'], registers });
		this.latency = new Histogram({
			name: 'repomind_worker_request_duration_seconds',
			help: 'HTTP request latency by route',
			labelNames: ['route'],
			buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
			registers,
		});
		this.batchSize = new Histogram({
			name: 'repomind_worker_batch_size',
			help: 'Inputs per model run (embed: texts, rerank: pairs)',
			labelNames: ['kind'],
			buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
			registers,
		});
		this.texts = new Counter({ name: 'repomind_worker_texts_total', help: 'Inputs run through the model (embed: texts, rerank: pairs)', labelNames: ['kind'], registers });
		new Gauge({ name: 'repomind_worker_queue_depth', help: 'Inputs waiting for a model run', registers, collect() {
			this.set(queueDepth());
		} });
		const throughput = () => this.textsPerSecond();
		new Gauge({ name: 'repomind_worker_texts_per_second', help: 'Inputs per second over the last 10 s', registers, collect() {
			this.set(throughput());
		} });
		const counter = (name: string, help: string, labelNames: string[] = []) => new Counter({ name, help, labelNames, registers });
		const seconds = (name: string, help: string) => new Histogram({ name, help, buckets: DURATION_BUCKETS, registers });
		const phases = (prefix: string, what: string) => ({
			count: counter(`${prefix}_count`, `${what} inputs received`),
			success: counter(`${prefix}_success`, `${what} inputs answered`),
			duration: seconds(`${prefix}_duration`, `${what} time per input (s)`),
			tokenization: seconds(`${prefix}_tokenization_duration`, `${what} tokenization time per input (s)`),
			queue: seconds(`${prefix}_queue_duration`, `${what} queue time per input (s)`),
			inference: seconds(`${prefix}_inference_duration`, `${what} inference time per input (s)`),
		});
		this.tei = {
			count: counter('te_request_count', 'Inference requests by method (single or batch)', ['method']),
			success: counter('te_request_success', 'Inference requests answered, by method', ['method']),
			failure: counter('te_request_failure', 'Inference requests refused or failed, by reason', ['err']),
			duration: seconds('te_request_duration', 'Inference request time (s)'),
			tokenization: seconds('te_request_tokenization_duration', 'Request tokenization time (s)'),
			queue: seconds('te_request_queue_duration', 'Request queue time (s)'),
			inference: seconds('te_request_inference_duration', 'Request inference time (s)'),
			inputLength: new Histogram({ name: 'te_request_input_length', help: 'Tokens per input', buckets: powersOfTwo(20, maxInputTokens), registers }),
			queueSize: new Gauge({ name: 'te_queue_size', help: 'Inputs waiting for a model run', registers, collect() {
				this.set(queueDepth());
			} }),
			batchSize: new Histogram({ name: 'te_batch_next_size', help: 'Inputs per model run', buckets: powersOfTwo(13), registers }),
			batchTokens: new Histogram({ name: 'te_batch_next_tokens', help: 'Tokens per model run', buckets: powersOfTwo(21), registers }),
			embed: phases('te_embed', 'Embedding'),
			rerank: phases('te_predict', 'Rerank (prediction)'),
		};
		if (processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'repomind_worker_' });
	}

	/** Record one model run. */
	observeBatch(kind: Kind, size: number, tokens: number): void {
		this.batchSize.observe({ kind }, size);
		this.texts.inc({ kind }, size);
		this.tei.batchSize.observe(size);
		this.tei.batchTokens.observe(tokens);
		this.recent.push([Date.now(), size]);
	}

	/** An inference request arrived with `inputs` inputs. */
	requestStarted(kind: Kind, inputs: number): void {
		this.tei.count.inc({ method: inputs === 1 ? 'single' : 'batch' });
		this.tei[kind].count.inc(inputs);
	}

	/** An inference request was answered: per-input lengths and timings. */
	requestDone(kind: Kind, lengths: number[], timings: InferTimings): void {
		const { tokenizationMs, queueMs, inferenceMs } = timings;
		const total = (tokenizationMs + queueMs + inferenceMs) / 1000;
		this.tei.success.inc({ method: lengths.length === 1 ? 'single' : 'batch' });
		this.tei.duration.observe(total);
		this.tei.tokenization.observe(tokenizationMs / 1000);
		this.tei.queue.observe(queueMs / 1000);
		this.tei.inference.observe(inferenceMs / 1000);
		const phases = this.tei[kind];
		phases.success.inc(lengths.length);
		for (const length of lengths) {
			if (kind === 'embed') this.tei.inputLength.observe(length);
			phases.duration.observe(total);
			phases.tokenization.observe(tokenizationMs / 1000 / lengths.length);
			phases.queue.observe(queueMs / 1000);
			phases.inference.observe(inferenceMs / 1000);
		}
	}

	/** An inference request failed (TEI's `te_request_failure{err}`). */
	requestFailed(reason: FailureReason): void {
		this.tei.failure.inc({ err: reason });
	}

	/** Inputs per second over the last 10 seconds. */
	textsPerSecond(now = Date.now()): number {
		while (this.recent.length > 0 && this.recent[0][0] < now - WINDOW_MS) this.recent.shift();
		const count = this.recent.reduce((sum, [, size]) => sum + size, 0);
		return count / (WINDOW_MS / 1000);
	}
}
