import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BackendInfo, EmbeddingBackend } from './backend';
import { loadTokenizer, type OnnxBackendOptions } from './onnx-backend';

/** What the HTTP side asks the model thread. */
export type ModelRequest = { op: 'embed'; id: number; texts: string[] } | { op: 'score'; id: number; pairs: Array<[string, string]> } | { op: 'close' };

/** What the model thread answers. */
export type ModelReply =
	| { type: 'ready'; info: BackendInfo }
	| { type: 'failed'; message: string }
	| { type: 'result'; id: number; result: number[][] | number[] }
	| { type: 'error'; id: number; message: string };

/** The thread's script; from TypeScript sources (tests, benchmarks) tsx is registered in the thread first. */
function threadEntry(): { file: string; code?: string } {
	const file = join(__dirname, `onnx-thread${extname(__filename)}`);
	if (extname(__filename) !== '.ts') return { file };
	return { file, code: `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(file)});` };
}

/**
 * On a CPU the model's threads leave one core to the HTTP thread, which then never waits behind the
 * model (on 2 cores, 32 clients, q8: 471 texts/s with one model thread against 384 with two, one run
 * each, within this machine's run-to-run noise); on a GPU onnxruntime's own default stays.
 */
function withDefaultThreads(options: OnnxBackendOptions): OnnxBackendOptions {
	if (options.threads || (options.device ?? 'cpu') !== 'cpu') return options;
	return { ...options, threads: Math.max(1, availableParallelism() - 1) };
}

interface Pending {
	resolve(result: unknown): void;
	reject(error: Error): void;
}

type Tokenizer = Awaited<ReturnType<typeof loadTokenizer>>;

/**
 * The local ONNX backend with its model in a worker thread: runs (which block their thread) no longer
 * stall the event loop, so /health, /metrics and new requests are served, and the next batch forms,
 * while a batch runs. Token counts come from a copy of the tokenizer on the calling thread.
 */
export class ThreadedOnnxBackend implements EmbeddingBackend {
	readonly scorePairs?: (pairs: Array<[string, string]>) => Promise<number[]>;
	private thread?: Worker;
	private tokenizer?: Tokenizer;
	private readonly pending = new Map<number, Pending>();
	private nextId = 0;
	private broken?: Error;
	private closing = false;

	constructor(private readonly options: OnnxBackendOptions) {
		if (options.rerankModel) this.scorePairs = (pairs) => this.call({ op: 'score', id: this.nextId++, pairs }) as Promise<number[]>;
	}

	/** Start the thread, wait until it has loaded the model(s), and load the tokenizer here. */
	async load(): Promise<BackendInfo> {
		const entry = threadEntry();
		const thread = new Worker(entry.code ?? entry.file, { eval: entry.code !== undefined, workerData: withDefaultThreads(this.options) });
		this.thread = thread;
		const ready = new Promise<BackendInfo>((resolve, reject) => {
			this.pending.set(-1, { resolve: (info) => resolve(info as BackendInfo), reject });
		});
		thread.on('message', (reply: ModelReply) => this.settle(reply));
		thread.on('error', (error) => this.fail(error));
		thread.on('exit', (code) => this.fail(new Error(`The model thread exited (code ${code})`)));
		const info = await ready;
		this.tokenizer = await loadTokenizer(await import('@huggingface/transformers'), this.options.model, this.options);
		return info;
	}

	/** Set once the model thread has died: every call fails with it, and /health reports it. */
	get failure(): Error | undefined {
		return this.closing ? undefined : this.broken;
	}

	/** Tokens of the text with special tokens, as the model sees it before truncation. */
	countTokens(text: string): number {
		if (!this.tokenizer) throw new Error('The model is not loaded');
		return this.tokenizer.encode(text).length;
	}

	/** Pooled vectors from the model thread. */
	embed(texts: string[]): Promise<number[][]> {
		return this.call({ op: 'embed', id: this.nextId++, texts }) as Promise<number[][]>;
	}

	/** Release the sessions and end the thread. */
	async close(): Promise<void> {
		const thread = this.thread;
		if (!thread || this.broken) return;
		this.closing = true;
		const exited = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
		thread.postMessage({ op: 'close' } satisfies ModelRequest);
		await exited;
	}

	private call(request: Exclude<ModelRequest, { op: 'close' }>): Promise<unknown> {
		if (this.broken) return Promise.reject(this.broken);
		if (!this.thread) return Promise.reject(new Error('The model is not loaded'));
		const result = new Promise((resolve, reject) => this.pending.set(request.id, { resolve, reject }));
		this.thread.postMessage(request);
		return result;
	}

	private settle(reply: ModelReply): void {
		const id = reply.type === 'ready' || reply.type === 'failed' ? -1 : reply.id;
		const waiter = this.pending.get(id);
		this.pending.delete(id);
		if (reply.type === 'ready') waiter?.resolve(reply.info);
		else if (reply.type === 'result') waiter?.resolve(reply.result);
		else waiter?.reject(new Error(reply.message));
	}

	private fail(error: Error): void {
		this.broken ??= error;
		for (const waiter of this.pending.values()) waiter.reject(error);
		this.pending.clear();
	}
}
