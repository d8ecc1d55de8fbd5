import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BackendInfo, EmbeddingBackend, ModelInput, RerankPair } from './backend';
import type { OnnxBackendOptions } from './onnx-backend';
import { InputTokenizer } from './tokenizer';

/** What the HTTP side asks a model thread. */
export type ModelRequest = { op: 'embed'; id: number; ids: Int32Array; lengths: Int32Array } | { op: 'score'; id: number; pairs: RerankPair[] } | { op: 'close' };

/** What a model thread answers. */
export type ModelReply =
	| { type: 'ready'; info: BackendInfo }
	| { type: 'failed'; message: string }
	| { type: 'vectors'; id: number; data: Float32Array; dimension: number }
	| { type: 'scores'; id: number; scores: number[] }
	| { type: 'error'; id: number; message: string };

export interface ThreadedOnnxOptions extends OnnxBackendOptions {
	/** Copies of the model, each in a thread of its own, running batches side by side. */
	copies?: number;
}

/** The thread's script; from TypeScript sources (tests, benchmarks) tsx is registered in the thread first. */
function threadEntry(): { file: string; code?: string } {
	const file = join(__dirname, `onnx-thread${extname(__filename)}`);
	if (extname(__filename) !== '.ts') return { file };
	return { file, code: `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(file)});` };
}

/**
 * On a CPU: two copies of the model (one per core on 2 cores), each with an equal share of the
 * cores as intra-op threads. A single-threaded onnxruntime session does not spin-wait, so the HTTP
 * thread gets a core whenever it needs one, and one copy runs while the other's batch is answered
 * and the next one formed: the model never waits for the event loop. On a GPU: one copy, with
 * onnxruntime's own thread default.
 */
export function threadPlan(options: ThreadedOnnxOptions, cores = availableParallelism()): { copies: number; threads?: number } {
	const cpu = (options.device ?? 'cpu') === 'cpu';
	const copies = options.copies ?? (cpu ? Math.min(2, cores) : 1);
	const threads = options.threads ?? (cpu ? Math.max(1, Math.floor(cores / copies)) : undefined);
	return { copies, threads };
}

interface Pending {
	resolve(result: unknown): void;
	reject(error: Error): void;
}

/**
 * The local ONNX backend with its model in worker threads: runs (which block their thread) no longer
 * stall the event loop, so /health, /metrics and new requests are served, and the next batch forms,
 * while batches run. Inputs arrive as token ids, made once by the tokenizer on the calling thread;
 * vectors come back as one transferred Float32Array per batch.
 */
export class ThreadedOnnxBackend implements EmbeddingBackend {
	readonly scorePairs?: (pairs: RerankPair[]) => Promise<number[]>;
	readonly concurrency: number;
	private readonly threads: Worker[] = [];
	private readonly busy = new Map<Worker, number>();
	private loadedTokenizer?: InputTokenizer;
	private rerankTokenizer?: InputTokenizer;
	private readonly pending = new Map<number, Pending>();
	private nextId = 0;
	private broken?: Error;
	private closing = false;
	private readonly plan: { copies: number; threads?: number };

	constructor(private readonly options: ThreadedOnnxOptions) {
		this.plan = threadPlan(options);
		this.concurrency = this.plan.copies;
		if (options.rerankModel) this.scorePairs = (pairs) => this.call({ op: 'score', id: this.nextId++, pairs }) as Promise<number[]>;
	}

	/** The tokenizer on this thread (after load). */
	get tokenizer(): InputTokenizer | undefined {
		return this.loadedTokenizer;
	}

	/** Start the threads, wait until each has loaded the model(s), and load the tokenizer here. */
	async load(): Promise<BackendInfo> {
		const entry = threadEntry();
		const { copies, threads } = this.plan;
		const workerData: OnnxBackendOptions = { ...this.options, threads };
		const infos = await Promise.all(
			Array.from({ length: copies }, (_, copy) => {
				const thread = new Worker(entry.code ?? entry.file, { eval: entry.code !== undefined, workerData });
				this.threads.push(thread);
				this.busy.set(thread, 0);
				const ready = new Promise<BackendInfo>((resolve, reject) => {
					this.pending.set(-1 - copy, { resolve: (info) => resolve(info as BackendInfo), reject });
				});
				thread.on('message', (reply: ModelReply) => this.settle(reply, -1 - copy));
				thread.on('error', (error) => this.fail(error));
				thread.on('exit', (code) => this.fail(new Error(`The model thread exited (code ${code})`)));
				return ready;
			}),
		);
		const transformers = await import('@huggingface/transformers');
		this.loadedTokenizer = await InputTokenizer.load(transformers, this.options.model, this.options);
		if (this.options.rerankModel) this.rerankTokenizer = await InputTokenizer.load(transformers, this.options.rerankModel, this.options);
		return infos[0];
	}

	/** Set once a model thread has died: every call fails with it, and /health reports it. */
	get failure(): Error | undefined {
		return this.closing ? undefined : this.broken;
	}

	/** Tokens of the text with special tokens, as the model sees it before truncation. */
	countTokens(text: string): number {
		if (!this.loadedTokenizer) throw new Error('The model is not loaded');
		return this.loadedTokenizer.countTokens(text);
	}

	/** Tokens of a (query, text) pair as the cross-encoder sees it (its own tokenizer, loaded here too), before truncation. */
	countPairTokens(query: string, text: string): number {
		if (!this.rerankTokenizer) throw new Error('No rerank model is loaded');
		return this.rerankTokenizer.countPairTokens(query, text);
	}

	/** Pooled vectors from a model thread; texts are tokenized here first (truncated on the right). */
	async embed(inputs: ModelInput[]): Promise<Float32Array[]> {
		const tokenizer = this.loadedTokenizer;
		if (!tokenizer) throw new Error('The model is not loaded');
		const ids = inputs.map((input) => (typeof input === 'string' ? tokenizer.encode(input, { truncate: true }).ids : input));
		const flat = new Int32Array(ids.reduce((sum, row) => sum + row.length, 0));
		let offset = 0;
		for (const row of ids) {
			flat.set(row, offset);
			offset += row.length;
		}
		const lengths = Int32Array.from(ids, (row) => row.length);
		const request: ModelRequest = { op: 'embed', id: this.nextId++, ids: flat, lengths };
		const { data, dimension } = (await this.call(request, [flat.buffer, lengths.buffer])) as { data: Float32Array; dimension: number };
		return ids.map((_, row) => data.subarray(row * dimension, (row + 1) * dimension));
	}

	/** Release the sessions and end the threads. */
	async close(): Promise<void> {
		if (this.threads.length === 0) return;
		if (this.broken) {
			await Promise.all(this.threads.map((thread) => thread.terminate()));
			return;
		}
		this.closing = true;
		await Promise.all(
			this.threads.map((thread) => {
				const exited = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
				thread.postMessage({ op: 'close' } satisfies ModelRequest);
				return exited;
			}),
		);
	}

	private call(request: Exclude<ModelRequest, { op: 'close' }>, transfer: ArrayBuffer[] = []): Promise<unknown> {
		if (this.broken) return Promise.reject(this.broken);
		if (this.threads.length === 0) return Promise.reject(new Error('The model is not loaded'));
		const thread = this.threads.reduce((a, b) => ((this.busy.get(b) ?? 0) < (this.busy.get(a) ?? 0) ? b : a));
		this.busy.set(thread, (this.busy.get(thread) ?? 0) + 1);
		const done = () => this.busy.set(thread, (this.busy.get(thread) ?? 1) - 1);
		const result = new Promise((resolve, reject) => {
			this.pending.set(request.id, { resolve: (value) => (done(), resolve(value)), reject: (error) => (done(), reject(error)) });
		});
		thread.postMessage(request, transfer);
		return result;
	}

	private settle(reply: ModelReply, readyId: number): void {
		const id = reply.type === 'ready' || reply.type === 'failed' ? readyId : reply.id;
		const waiter = this.pending.get(id);
		this.pending.delete(id);
		if (reply.type === 'ready') waiter?.resolve(reply.info);
		else if (reply.type === 'vectors') waiter?.resolve({ data: reply.data, dimension: reply.dimension });
		else if (reply.type === 'scores') waiter?.resolve(reply.scores);
		else waiter?.reject(new Error(reply.message));
	}

	/** One thread died: the backend is broken (a copy short is a restart's job), the other copies end too. */
	private fail(error: Error): void {
		if (!this.broken && !this.closing) for (const thread of this.threads) void thread.terminate();
		this.broken ??= error;
		for (const waiter of this.pending.values()) waiter.reject(error);
		this.pending.clear();
	}
}
