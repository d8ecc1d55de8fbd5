import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** `npm start`'s script as a child process with its output collected. */
export class StartProcess {
	readonly child: ChildProcess;
	stdout = '';
	stderr = '';
	readonly exited: Promise<number | null>;

	constructor(env: Record<string, string>) {
		const inherited = { ...process.env };
		delete inherited.NODE_TEST_CONTEXT;
		this.child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/start.ts')], { cwd: ROOT, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
		this.child.stdout?.on('data', (chunk: Buffer) => (this.stdout += chunk.toString('utf8')));
		this.child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
		this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
	}

	/** Resolves once stdout contains `text`; fails when the process exits first or time runs out. */
	async waitFor(text: string, timeoutMs: number): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (!this.stdout.includes(text)) {
			if (this.child.exitCode !== null) throw new Error(`npm start exited (${this.child.exitCode}):\n${this.stdout}\n${this.stderr}`);
			if (Date.now() > deadline) throw new Error(`no "${text}" after ${timeoutMs} ms:\n${this.stdout}\n${this.stderr}`);
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	}

	/** Sends a signal and returns the exit code and how long stopping took. */
	async signal(signal: NodeJS.Signals): Promise<{ code: number | null; ms: number }> {
		const started = Date.now();
		this.child.kill(signal);
		const code = await this.exited;
		return { code, ms: Date.now() - started };
	}

	/** After a failure: SIGINT (so the script stops its children), SIGKILL if it hangs. */
	async ensureStopped(): Promise<void> {
		if (this.child.exitCode !== null || this.child.signalCode !== null) return;
		const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
		await this.signal('SIGINT');
		clearTimeout(timer);
	}
}
