import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const CLI = join(__dirname, '..', 'embeddings-worker', 'src', 'cli.ts');

/** A worker started through its CLI in a child process. */
export interface WorkerProcess {
	url: string;
	stop(): Promise<number | null>;
}

/** Start `repomind-embeddings-worker` with these flags; resolves once it listens. */
export function startWorkerProcess(args: string[], apiKey: string): Promise<WorkerProcess> {
	const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', '0', ...args], {
		env: { ...process.env, REPOMIND_WORKER_API_KEY: apiKey },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
	return new Promise((resolve, reject) => {
		const onData = (chunk: Buffer) => {
			output += chunk.toString();
			const match = /listening on (http:\/\/[^\s/]+:\d+)/.exec(output);
			if (!match) return;
			child.stdout?.off('data', onData);
			resolve({ url: match[1], stop: () => (child.kill('SIGTERM'), exited) });
		};
		child.stdout?.on('data', onData);
		child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
		void exited.then((code) => reject(new Error(`the worker exited with ${code}: ${output}`)));
	});
}

/** One POST /embed of these texts; answers status, latency and Retry-After. */
export async function embedOnce(url: string, inputs: string[], apiKey: string | null): Promise<{ status: number; ms: number; retryAfter: string | null }> {
	const started = performance.now();
	const headers: Record<string, string> = { 'Content-Type': 'application/json' };
	if (apiKey) headers.Authorization = `Bearer ${apiKey}`;
	const response = await fetch(`${url}/embed`, { method: 'POST', headers, body: JSON.stringify({ inputs }) });
	await response.arrayBuffer();
	return { status: response.status, ms: performance.now() - started, retryAfter: response.headers.get('retry-after') };
}

export interface LoadResult {
	texts: number;
	seconds: number;
	textsPerSecond: number;
	p50Ms: number;
	p95Ms: number;
	errors: number;
}

/** `clients` loops, each sending one text per request back to back, for `seconds`. */
export async function closedLoop(url: string, texts: string[], apiKey: string, clients: number, seconds: number): Promise<LoadResult> {
	const latencies: number[] = [];
	let errors = 0;
	const started = performance.now();
	const deadline = started + seconds * 1000;
	await Promise.all(
		Array.from({ length: clients }, async (_, client) => {
			for (let i = client; performance.now() < deadline; i += clients) {
				const answer = await embedOnce(url, [texts[i % texts.length]], apiKey);
				if (answer.status === 200) latencies.push(answer.ms);
				else errors += 1;
			}
		}),
	);
	const elapsed = (performance.now() - started) / 1000;
	latencies.sort((a, b) => a - b);
	const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] * 10) / 10;
	return { texts: latencies.length, seconds: Math.round(elapsed * 100) / 100, textsPerSecond: Math.round((latencies.length / elapsed) * 10) / 10, p50Ms: at(0.5), p95Ms: at(0.95), errors };
}

/** A sample value from the worker's /metrics. */
export async function scrape(url: string, apiKey: string, sample: string): Promise<number> {
	const text = await (await fetch(`${url}/metrics`, { headers: { Authorization: `Bearer ${apiKey}` } })).text();
	const line = text.split('\n').find((candidate) => candidate.startsWith(`${sample} `));
	return line ? Number(line.slice(sample.length + 1)) : 0;
}
