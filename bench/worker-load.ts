import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/** The worker's CLI; BENCH_WORKER_CLI points at another checkout's for before/after runs. */
const CLI = process.env.BENCH_WORKER_CLI ?? join(__dirname, '..', 'embeddings-worker', 'src', 'cli.ts');

/** A worker started through its CLI in a child process. */
export interface WorkerProcess {
	url: string;
	/** SIGTERM: the worker finishes what is queued, then exits. */
	stop(): Promise<number | null>;
	/** SIGKILL: gone at once, queue and all. */
	kill(): Promise<number | null>;
	/** CPU seconds (user + system) the worker process has used so far (Linux /proc). */
	cpuSeconds(): number;
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
			resolve({ url: match[1], stop: () => (child.kill('SIGTERM'), exited), kill: () => (child.kill('SIGKILL'), exited), cpuSeconds: () => processCpuSeconds(child.pid as number) });
		};
		child.stdout?.on('data', onData);
		child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
		void exited.then((code) => reject(new Error(`the worker exited with ${code}: ${output}`)));
	});
}

/**
 * Keep-alive connections for the load: the clients run on the worker's own cores, and node:http costs
 * them about a third of the CPU per request that fetch does, leaving more of the machine to the worker.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 1024 });

/** utime + stime of a process from /proc (0 where there is no /proc). */
function processCpuSeconds(pid: number): number {
	try {
		const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
		return (Number(fields[11]) + Number(fields[12])) / 100;
	} catch {
		return 0;
	}
}

/** One POST /embed of these texts; answers status, latency and Retry-After (the body is read, not parsed). */
export function embedOnce(url: string, inputs: string[], apiKey: string | null): Promise<{ status: number; ms: number; retryAfter: string | null }> {
	const started = performance.now();
	const body = JSON.stringify({ inputs });
	const headers: Record<string, string | number> = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) };
	if (apiKey) headers.Authorization = `Bearer ${apiKey}`;
	return new Promise((resolve, reject) => {
		const request = httpRequest(`${url}/embed`, { method: 'POST', agent, headers }, (response) => {
			response.on('data', () => undefined);
			response.on('error', reject);
			response.on('end', () => {
				const retryAfter = response.headers['retry-after'];
				resolve({ status: response.statusCode ?? 0, ms: performance.now() - started, retryAfter: typeof retryAfter === 'string' ? retryAfter : null });
			});
		});
		request.on('error', reject);
		request.end(body);
	});
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

/**
 * `clients` loops, each sending `perRequest` texts per request back to back, for `seconds`; the rate
 * counts the texts answered after the first answer (the queue is full by then), so the start-up burst
 * of parsing every client's first request is not in it. Requests still queued at the end are left.
 */
export async function closedLoopLarge(url: string, texts: string[], apiKey: string, clients: number, perRequest: number, seconds: number): Promise<{ textsPerSecond: number; answered: number; errors: number; firstAnswerS: number }> {
	const started = performance.now();
	const deadline = started + seconds * 1000;
	let first = 0;
	let answered = 0;
	let errors = 0;
	const loops = Array.from({ length: clients }, async (_, client) => {
		for (let i = client; performance.now() < deadline; i += clients) {
			const offset = (i * perRequest) % texts.length;
			const batch = Array.from({ length: perRequest }, (_, j) => texts[(offset + j) % texts.length]);
			const answer = await embedOnce(url, batch, apiKey).catch(() => ({ status: 0 }));
			const now = performance.now();
			if (now > deadline) return;
			if (answer.status !== 200) errors += 1;
			else if (first === 0) first = now;
			else answered += perRequest;
		}
	});
	await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
	void Promise.all(loops);
	const window = (deadline - first) / 1000;
	return { textsPerSecond: first === 0 ? 0 : Math.round((answered / window) * 10) / 10, answered, errors, firstAnswerS: first === 0 ? -1 : Math.round(((first - started) / 1000) * 10) / 10 };
}

/** A sample value from the worker's /metrics. */
export async function scrape(url: string, apiKey: string, sample: string): Promise<number> {
	const text = await (await fetch(`${url}/metrics`, { headers: { Authorization: `Bearer ${apiKey}` } })).text();
	const line = text.split('\n').find((candidate) => candidate.startsWith(`${sample} `));
	return line ? Number(line.slice(sample.length + 1)) : 0;
}
