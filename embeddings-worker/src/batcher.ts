/** Dynamic batching: a bounded queue whose items are grouped into model runs. */

export interface BatcherOptions<I, O> {
	/** Most items in one run. */
	maxBatchSize: number;
	/** Most tokens (sum of `cost`) in one run; a single larger item still runs alone. */
	maxBatchTokens: number;
	/** How long the oldest item may wait for a batch to fill before a smaller batch runs. */
	maxWaitMs: number;
	/** Most items waiting; a submit that would exceed it fails with QueueFullError. */
	maxQueue: number;
	/** Batches that may run at once (copies of the model). Default 1. */
	concurrency?: number;
	/** Token cost of an item. */
	cost(item: I): number;
	/** Runs one batch; answers one result per item, in order. */
	run(items: I[]): Promise<O[]>;
	/** Called after each run with its size, tokens and duration. */
	onBatch?(size: number, tokens: number, durationMs: number): void;
}

/** The queue cannot take the items now; `retryAfterMs` is an estimate of when it could. */
export class QueueFullError extends Error {
	constructor(readonly retryAfterMs: number) {
		super('The queue is full');
	}
}

/** When the first of a submission's items started running (performance.now()). */
export interface SubmitStats {
	firstRunAt?: number;
}

interface Entry<I, O> {
	item: I;
	cost: number;
	enqueuedAt: number;
	stats?: SubmitStats;
	resolve(value: O): void;
	reject(error: unknown): void;
}

/** Groups submitted items into batches up to a size or token bound, or after a maximum wait. */
export class DynamicBatcher<I, O> {
	private readonly queue: Array<Entry<I, O>> = [];
	private queuedTokens = 0;
	private running = 0;
	/** Items in the runs under way. */
	private runningItems = 0;
	private flushing = false;
	private timer?: NodeJS.Timeout;
	private msPerItem = 0;
	private idleWaiters: Array<() => void> = [];

	constructor(private readonly options: BatcherOptions<I, O>) {}

	/** Items waiting for a run. */
	get depth(): number {
		return this.queue.length;
	}

	/** Queue the items; resolves with their results in order, or throws QueueFullError at once. */
	submit(items: I[], stats?: SubmitStats): Promise<O[]> {
		if (this.queue.length + items.length > this.options.maxQueue) {
			const waitMs = Math.ceil((this.queue.length + items.length) * this.msPerItem);
			return Promise.reject(new QueueFullError(Math.max(1000, waitMs)));
		}
		const now = Date.now();
		const results = items.map(
			(item) =>
				new Promise<O>((resolve, reject) => {
					const cost = this.options.cost(item);
					this.queue.push({ item, cost, enqueuedAt: now, stats, resolve, reject });
					this.queuedTokens += cost;
				}),
		);
		this.schedule();
		return Promise.all(results);
	}

	/** Run everything queued without waiting for batches to fill; resolves when nothing is left. */
	drain(): Promise<void> {
		this.flushing = true;
		this.schedule();
		if (this.running === 0 && this.queue.length === 0) return Promise.resolve();
		return new Promise((resolve) => this.idleWaiters.push(resolve));
	}

	private schedule(): void {
		if (this.running >= (this.options.concurrency ?? 1) || this.queue.length === 0) return this.notifyIdle();
		const { maxBatchSize, maxBatchTokens, maxWaitMs } = this.options;
		const waitedMs = Date.now() - this.queue[0].enqueuedAt;
		const full = this.queue.length >= maxBatchSize || this.queuedTokens >= maxBatchTokens;
		if (full || this.flushing || waitedMs >= maxWaitMs) {
			clearTimeout(this.timer);
			this.timer = undefined;
			this.running += 1;
			void afterPendingIo().then(() => this.runBatch(this.take(this.shareOfQueue())));
		} else if (!this.timer) {
			this.timer = setTimeout(() => {
				this.timer = undefined;
				this.schedule();
			}, maxWaitMs - waitedMs);
		}
	}

	/**
	 * Most items for the run about to start: an even share, over all copies, of the items waiting and
	 * those running on other copies, up to a full batch. With 2 copies and 32 clients, each copy runs
	 * 16 side by side; a copy that frees while the other runs 4 takes 16 of the 28 waiting, not all
	 * 28 (which would leave the other copy a small batch and idle time, run after run). A long queue
	 * still gives every copy full batches.
	 */
	private shareOfQueue(): number {
		const copies = Math.max(1, this.options.concurrency ?? 1);
		const share = Math.ceil((this.queue.length + this.runningItems) / copies);
		return Math.min(this.options.maxBatchSize, Math.max(1, share));
	}

	private take(limit: number): Array<Entry<I, O>> {
		const batch: Array<Entry<I, O>> = [];
		let tokens = 0;
		while (this.queue.length > 0 && batch.length < limit) {
			const next = this.queue[0];
			if (batch.length > 0 && tokens + next.cost > this.options.maxBatchTokens) break;
			batch.push(this.queue.shift() as Entry<I, O>);
			tokens += next.cost;
			this.queuedTokens -= next.cost;
		}
		return batch;
	}

	private async runBatch(batch: Array<Entry<I, O>>): Promise<void> {
		if (batch.length === 0) {
			this.running -= 1;
			return this.schedule();
		}
		this.runningItems += batch.length;
		queueMicrotask(() => this.schedule());
		const started = performance.now();
		for (const entry of batch) if (entry.stats) entry.stats.firstRunAt ??= started;
		try {
			const results = await this.options.run(batch.map((entry) => entry.item));
			if (results.length !== batch.length) {
				throw new Error(`The model answered ${results.length} results for ${batch.length} inputs`);
			}
			batch.forEach((entry, i) => entry.resolve(results[i]));
		} catch (error) {
			for (const entry of batch) entry.reject(error);
		} finally {
			const durationMs = performance.now() - started;
			const tokens = batch.reduce((sum, entry) => sum + entry.cost, 0);
			const perItem = durationMs / batch.length;
			this.msPerItem = this.msPerItem === 0 ? perItem : 0.8 * this.msPerItem + 0.2 * perItem;
			this.options.onBatch?.(batch.length, tokens, durationMs);
			this.running -= 1;
			this.runningItems -= batch.length;
			this.schedule();
		}
	}

	private notifyIdle(): void {
		if (this.running > 0 || this.queue.length > 0) return;
		for (const resolve of this.idleWaiters.splice(0)) resolve();
	}
}

/**
 * Resolves after the event loop has polled I/O once: onnxruntime's run blocks the main thread, so
 * requests that arrived meanwhile are read (and join the batch) before the next run starts.
 */
function afterPendingIo(): Promise<void> {
	return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}
