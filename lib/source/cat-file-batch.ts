import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { RefNotFoundError, ServiceError } from '../errors';
import { gitEnv, gitSpawnError } from './git-cli';

interface PendingRead {
	objectId: string;
	resolve(content: Buffer): void;
	reject(error: Error): void;
}

/** One `git cat-file --batch` child and the reads it still owes, answered in order. */
class BatchProcess {
	private readonly child: ChildProcessWithoutNullStreams;
	private pending: PendingRead[] = [];
	private chunks: Buffer[] = [];
	private bufferedLength = 0;
	/** Bytes needed before parsing can make progress (header + body of the current object). */
	private needed = 1;

	constructor(
		private readonly repoPath: string,
		private readonly onExit: (process: BatchProcess) => void,
	) {
		this.child = spawn('git', ['-C', repoPath, 'cat-file', '--batch'], { env: gitEnv });
		const stderr: string[] = [];
		this.child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
		this.child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
		this.child.stdin.on('error', () => undefined);
		this.child.on('error', (error) => this.fail(gitSpawnError(error)));
		this.child.on('close', (code) => {
			const detail = stderr.join('').trim();
			this.fail(new ServiceError(`git cat-file exited (code ${code}) in ${repoPath}: ${detail}`));
		});
		this.setActive(false);
	}

	read(objectId: string): Promise<Buffer> {
		return new Promise((resolve, reject) => {
			this.pending.push({ objectId, resolve, reject });
			if (this.pending.length === 1) this.setActive(true);
			this.child.stdin.write(`${objectId}\n`);
		});
	}

	/** Close stdin and wait for the child to exit (kept referenced meanwhile). */
	end(): Promise<void> {
		if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
		this.setActive(true);
		const exited = new Promise<void>((resolve) => this.child.once('close', () => resolve()));
		this.child.stdin.end();
		return exited;
	}

	private onData(chunk: Buffer): void {
		this.chunks.push(chunk);
		this.bufferedLength += chunk.length;
		if (this.bufferedLength < this.needed) return;
		let buffer = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
		while (this.pending.length) {
			const headerEnd = buffer.indexOf(10);
			if (headerEnd < 0) break;
			const [, type, sizeText] = buffer.subarray(0, headerEnd).toString('utf8').split(' ');
			const objectId = this.pending[0].objectId;
			if (type === 'missing' || type === 'ambiguous') {
				buffer = buffer.subarray(headerEnd + 1);
				const message = `Git object ${objectId} was not found in ${this.repoPath}.`;
				this.settle(new RefNotFoundError(message));
				continue;
			}
			const end = headerEnd + 1 + Number(sizeText);
			if (buffer.length < end + 1) {
				this.needed = end + 1;
				break;
			}
			const content = Buffer.from(buffer.subarray(headerEnd + 1, end));
			buffer = buffer.subarray(end + 1);
			this.needed = 1;
			const notBlob = `Git object ${objectId} is a ${type}, not a blob.`;
			this.settle(type === 'blob' ? content : new ServiceError(notBlob));
		}
		this.chunks = buffer.length ? [buffer] : [];
		this.bufferedLength = buffer.length;
	}

	private settle(result: Buffer | Error): void {
		const request = this.pending.shift();
		if (result instanceof Error) request?.reject(result);
		else request?.resolve(result);
		if (!this.pending.length) this.setActive(false);
	}

	private fail(error: Error): void {
		const pending = this.pending;
		this.pending = [];
		for (const request of pending) request.reject(error);
		this.onExit(this);
	}

	/** Keep Node alive only while reads are outstanding. */
	private setActive(active: boolean): void {
		const child = this.child;
		for (const handle of [child, child.stdout, child.stdin, child.stderr]) {
			const refable = handle as unknown as { ref?(): void; unref?(): void };
			if (active) refable.ref?.();
			else refable.unref?.();
		}
	}
}

/**
 * Blob reads through a long-lived `git cat-file --batch` process. It does not keep Node alive while
 * idle, and starts again on the next read after it exits or `close()` ends it.
 */
export class CatFileBatch {
	private process?: BatchProcess;

	constructor(private readonly repoPath: string) {}

	/** Read one blob by its object id. */
	read(objectId: string): Promise<Buffer> {
		this.process ??= new BatchProcess(this.repoPath, (exited) => {
			if (this.process === exited) this.process = undefined;
		});
		return this.process.read(objectId);
	}

	/** End the process after it answers the reads already asked; a later read starts a new one. */
	async close(): Promise<void> {
		const process = this.process;
		if (!process) return;
		this.process = undefined;
		await process.end();
	}
}
