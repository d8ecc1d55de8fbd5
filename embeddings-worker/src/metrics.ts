import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const WINDOW_MS = 10_000;

/** The worker's Prometheus metrics, in a registry of its own. */
export class WorkerMetrics {
	readonly registry = new Registry();
	readonly requests: Counter<'route' | 'status'>;
	readonly latency: Histogram<'route'>;
	readonly batchSize: Histogram<'kind'>;
	readonly texts: Counter<'kind'>;
	private readonly recent: Array<[number, number]> = [];

	constructor(queueDepth: () => number, processMetrics = true) {
		const registers = [this.registry];
		this.requests = new Counter({
			name: 'repomind_worker_requests_total',
			help: 'HTTP requests by route and status',
			labelNames: ['route', 'status'],
			registers,
		});
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
		this.texts = new Counter({
			name: 'repomind_worker_texts_total',
			help: 'Inputs run through the model (embed: texts, rerank: pairs)',
			labelNames: ['kind'],
			registers,
		});
		new Gauge({ name: 'repomind_worker_queue_depth', help: 'Inputs waiting for a model run', registers, collect() {
			this.set(queueDepth());
		} });
		const throughput = () => this.textsPerSecond();
		new Gauge({ name: 'repomind_worker_texts_per_second', help: 'Inputs per second over the last 10 s', registers, collect() {
			this.set(throughput());
		} });
		if (processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'repomind_worker_' });
	}

	/** Record one model run. */
	observeBatch(kind: 'embed' | 'rerank', size: number): void {
		this.batchSize.observe({ kind }, size);
		this.texts.inc({ kind }, size);
		this.recent.push([Date.now(), size]);
	}

	/** Inputs per second over the last 10 seconds. */
	textsPerSecond(now = Date.now()): number {
		while (this.recent.length > 0 && this.recent[0][0] < now - WINDOW_MS) this.recent.shift();
		const count = this.recent.reduce((sum, [, size]) => sum + size, 0);
		return count / (WINDOW_MS / 1000);
	}
}
