import { spawn, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';

/** A real Chroma server started as a child process on a free loopback port. */
export interface ChromaServer {
	url: string;
	pid: number;
	stop(): Promise<void>;
}

const CHROMA_BIN = join(__dirname, '..', '..', 'node_modules', '.bin', 'chroma');

/** Starts `chroma run` on a temp folder and waits for its heartbeat. */
export async function startChroma(options: { timeoutMs?: number } = {}): Promise<ChromaServer> {
	const dataDir = mkdtempSync(join(tmpdir(), 'repomind-chroma-'));
	const port = await freePort();
	const child: ChildProcess = spawn(
		CHROMA_BIN,
		['run', '--path', dataDir, '--host', '127.0.0.1', '--port', String(port)],
		{ stdio: ['ignore', 'ignore', 'pipe'] },
	);
	let stderr = '';
	child.stderr?.on('data', (data: Buffer) => (stderr = (stderr + data.toString()).slice(-4000)));
	const url = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + (options.timeoutMs ?? 30_000);
	for (;;) {
		if (child.exitCode !== null) throw new Error(`chroma exited (${child.exitCode}): ${stderr}`);
		if (await heartbeatOk(`${url}/api/v2/heartbeat`)) break;
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`chroma did not answer its heartbeat: ${stderr}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	return {
		url,
		pid: child.pid!,
		async stop() {
			if (child.exitCode === null) {
				const exited = new Promise((resolve) => child.once('exit', resolve));
				child.kill('SIGTERM');
				await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
				if (child.exitCode === null) child.kill('SIGKILL');
			}
			rmSync(dataDir, { recursive: true, force: true });
		},
	};
}

/** One heartbeat over a connection that is closed afterwards (a kept-alive one would hold the test process open). */
function heartbeatOk(url: string): Promise<boolean> {
	return new Promise((resolve) => {
		const request = get(url, { agent: false }, (response) => {
			response.resume();
			resolve(response.statusCode === 200);
		});
		request.on('error', () => resolve(false));
		request.setTimeout(2000, () => request.destroy());
	});
}
