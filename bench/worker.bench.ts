/**
 * `npm run bench:worker`: throughput of the embeddings worker at 32 concurrent clients sending one
 * text each, with dynamic batching and with batch size 1, on a 6-layer, 384-wide BERT encoder with
 * random weights (all-MiniLM-L6-v2's shape and compute per token); then an overload burst (429)
 * and a request without the key (401). Progress lines first; the last line is one JSON object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedLoop, embedOnce, scrape, startWorkerProcess, type WorkerProcess } from './worker-load';
import { writeRandomBertModel } from './worker-model';

const API_KEY = 'bench-worker-key-5e1c9a';
const CLIENTS = 32;
const SECONDS = Number(process.env.BENCH_WORKER_SECONDS ?? 10);
const WORDS_PER_TEXT = Number(process.env.BENCH_WORKER_WORDS ?? 14);
const VOCABULARY = (
	'function class return const let import export async await parse file path read write chunk embed vector ' +
	'index query search repo commit tree blob hash token model error retry request response server client ' +
	'config test value string number array map list node user'
).split(' ');

const log = (line: string) => process.stdout.write(`[bench] ${line}\n`);

/** Distinct texts of vocabulary words (one token each). */
function benchTexts(count: number): string[] {
	return Array.from({ length: count }, (_, i) => Array.from({ length: WORDS_PER_TEXT }, (_, j) => VOCABULARY[(i * 13 + j * 7 + j * j) % VOCABULARY.length]).join(' '));
}

async function measure(folder: string, label: string, flags: string[], texts: string[]) {
	const worker = await startWorkerProcess(['--model', folder, ...flags], API_KEY);
	try {
		await closedLoop(worker.url, texts, API_KEY, CLIENTS, 2);
		const runsBefore = await scrape(worker.url, API_KEY, 'repomind_worker_batch_size_count{kind="embed"}');
		const textsBefore = await scrape(worker.url, API_KEY, 'repomind_worker_batch_size_sum{kind="embed"}');
		const load = await closedLoop(worker.url, texts, API_KEY, CLIENTS, SECONDS);
		const runs = (await scrape(worker.url, API_KEY, 'repomind_worker_batch_size_count{kind="embed"}')) - runsBefore;
		const meanBatch = ((await scrape(worker.url, API_KEY, 'repomind_worker_batch_size_sum{kind="embed"}')) - textsBefore) / runs;
		log(`${label}: ${load.textsPerSecond} texts/s, p50 ${load.p50Ms} ms, p95 ${load.p95Ms} ms, mean batch ${meanBatch.toFixed(1)}, errors ${load.errors}`);
		return { load, meanBatch, worker };
	} catch (error) {
		await worker.stop();
		throw error;
	}
}

/** A burst far above the queue bound, and a request without the key, against a running worker. */
async function protection(worker: WorkerProcess, texts: string[]) {
	const burst = await Promise.all(Array.from({ length: 48 }, (_, i) => embedOnce(worker.url, texts.slice(i * 8, i * 8 + 16), API_KEY)));
	const refused = burst.filter((answer) => answer.status === 429);
	const served = burst.filter((answer) => answer.status === 200).length;
	log(`burst of 48 requests of 16 texts, queue bound 64: ${served} served, ${refused.length} answered 429 (Retry-After ${refused[0]?.retryAfter ?? '-'} s)`);
	const anonymous = await embedOnce(worker.url, [texts[0]], null);
	log(`request without the API key: HTTP ${anonymous.status}`);
	return { overload429: refused.length > 0 && refused.every((answer) => answer.retryAfter !== null), count429: refused.length, served, authStatus: anonymous.status };
}

async function main(): Promise<void> {
	const folder = mkdtempSync(join(tmpdir(), 'repomind-bench-worker-'));
	try {
		const { parameters } = writeRandomBertModel(folder, {}, { words: VOCABULARY });
		log(`model: BERT 6 layers x 384, 12 heads, FFN 1536, random weights (${(parameters / 1e6).toFixed(1)} M parameters), ${WORDS_PER_TEXT + 2} tokens per text`);
		const texts = benchTexts(512);
		log('random weights: the vectors mean nothing; the figures are throughput and latency only');
		const unbatched = await measure(folder, 'batch size 1, 32 clients', ['--max-batch-size', '1'], texts);
		await unbatched.worker.stop();
		const batched = await measure(folder, 'dynamic batching (max 32, 2 ms), 32 clients', ['--max-batch-size', '32', '--max-wait-ms', '2', '--max-queue', '64', '--max-client-batch-size', '32'], texts);
		const guard = await protection(batched.worker, texts);
		const exitCode = await batched.worker.stop();
		log(`worker stopped on SIGTERM with exit code ${exitCode}`);
		const speedup = Math.round((batched.load.textsPerSecond / unbatched.load.textsPerSecond) * 100) / 100;
		const result = {
			model: 'random-bert-L6-H384 (all-MiniLM-L6-v2 shape, random weights: throughput figures only)',
			device: 'cpu',
			dtype: 'fp32',
			tokens_per_text: WORDS_PER_TEXT + 2,
			seconds_per_run: SECONDS,
			texts_per_s_batched_c32: batched.load.textsPerSecond,
			texts_per_s_unbatched_c32: unbatched.load.textsPerSecond,
			batching_speedup: speedup,
			speedup_target: 5,
			speedup_target_met: speedup >= 5,
			p95_ms_c32: batched.load.p95Ms,
			p50_ms_c32: batched.load.p50Ms,
			p95_ms_unbatched_c32: unbatched.load.p95Ms,
			mean_batch_size_c32: Math.round(batched.meanBatch * 10) / 10,
			overload_429: guard.overload429,
			overload_429_count: guard.count429,
			auth_rejected: guard.authStatus === 401,
			errors: batched.load.errors + unbatched.load.errors,
		};
		process.stdout.write(`${JSON.stringify(result)}\n`);
	} finally {
		rmSync(folder, { recursive: true, force: true });
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
