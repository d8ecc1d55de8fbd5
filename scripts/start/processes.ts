import type { ChildProcess } from 'node:child_process';

const LOG_CHARS = 20_000;

/** A child process started by `npm start`, with its recent output and a clean stop. */
export class ManagedProcess {
	private output = '';

	constructor(
		readonly name: string,
		readonly child: ChildProcess,
		logChars = LOG_CHARS,
	) {
		const record = (chunk: Buffer) => {
			this.output = (this.output + chunk.toString('utf8')).slice(-logChars);
		};
		child.stdout?.on('data', record);
		child.stderr?.on('data', record);
	}

	/** The last output of the process (for a message when it fails). */
	log(): string {
		return this.output;
	}

	/** Whether the process is still running. */
	get running(): boolean {
		return this.child.exitCode === null && this.child.signalCode === null;
	}

	/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
	async stop(graceMs = 10_000): Promise<void> {
		if (!this.running) return;
		await new Promise<void>((done) => {
			const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
			this.child.once('exit', () => {
				clearTimeout(timer);
				done();
			});
			this.child.kill('SIGTERM');
		});
	}
}

/** Polls `check` every 100 ms until it is true; fails when the process exits or time runs out. */
export async function waitUntil(process: ManagedProcess, check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (!process.running) throw new Error(`${process.name} exited before ${what}:\n${process.log().slice(-3000)}`);
		if (await check()) return;
		if (Date.now() > deadline) throw new Error(`${process.name}: no ${what} after ${timeoutMs} ms:\n${process.log().slice(-3000)}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}
