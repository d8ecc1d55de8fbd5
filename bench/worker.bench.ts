/**
 * `npm run bench:worker`: throughput of the embeddings worker at 32 concurrent clients sending one
 * text each, with dynamic batching and with batch size 1, on a 6-layer, 384-wide BERT encoder with
 * random weights (all-MiniLM-L6-v2's shape and compute per token), in fp32 and in q8 (int8 weights,
 * as `quantize_dynamic` writes them). Before each, the model backend alone (no HTTP, no queue) at batch
 * 1 and batch 32: the most batching can give on this machine. Then an overload burst (429) and a request
 * without the key (401). Progress lines first; the last line is one JSON object.
 * Then 256 clients sending 512 texts per request (a queue of 131,072 texts), rate measured once the
 * queue is full. BENCH_WORKER_DTYPES=fp32,q8 BENCH_WORKER_SECONDS=10 BENCH_WORKER_LARGE_SECONDS=30
 * BENCH_WORKER_WORDS=14 are the defaults.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { OnnxBackend } from '../embeddings-worker/src/onnx-backend';
import { closedLoop, closedLoopLarge, embedOnce, scrape, startWorkerProcess, type WorkerProcess } from './worker-load';
import { writeRandomBertModel, type BertDtype } from '../test/support/random-bert-model';

const API_KEY = 'bench-worker-key-5e1c9a';
const CLIENTS = 32;
const SECONDS = Number(process.env.BENCH_WORKER_SECONDS ?? 10);
const LARGE_CLIENTS = 256;
const LARGE_INPUTS = 512;
const LARGE_SECONDS = Number(process.env.BENCH_WORKER_LARGE_SECONDS ?? 30);
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

const DTYPES = (process.env.BENCH_WORKER_DTYPES ?? 'fp32,q8').split(',') as BertDtype[];
/** Worker flags added to the batched runs, to try settings (e.g. BENCH_WORKER_FLAGS="--model-copies 1 --threads 2"). */
const EXTRA_FLAGS = (process.env.BENCH_WORKER_FLAGS ?? '').split(' ').filter(Boolean);

/** Texts per second of the model backend alone (no HTTP, no queue) at this batch size, in each of `windows` windows of ~1.5 s. */
async function backendRates(backend: OnnxBackend, texts: string[], batch: number, windows: number): Promise<number[]> {
	for (let i = 0; i < 3; i++) await backend.embed(texts.slice(0, batch));
	const rates: number[] = [];
	for (let window = 0; window < windows; window++) {
		let done = 0;
		const started = performance.now();
		while (performance.now() - started < 1500) {
			await backend.embed(texts.slice(done % texts.length, (done % texts.length) + batch));
			done += batch;
		}
		rates.push(done / ((performance.now() - started) / 1000));
	}
	return rates;
}

/**
 * The most batching can give on this machine: the backend's own batch-32 and batch-1 rates. On these
 * VMs the two-thread batch-32 rate of one 1.5 s window swings by a quarter or more from window to
 * window (host noise hits threads that wait on each other), so it is measured in 4 windows before the
 * worker runs and 4 after, and the ceiling is their mean: the worker's rate is a mean over its 10 s, and
 * a mean set against the best of 8 noisy windows would count the noise against the worker. The best
 * and worst windows are printed, and the share against the best window is in the JSON too.
 */
async function backendCeiling(folder: string, dtype: BertDtype, texts: string[], when: string) {
	const backend = new OnnxBackend({ model: folder, dtype });
	await backend.load();
	try {
		const single = await backendRates(backend, texts, 1, 2);
		const batched = await backendRates(backend, texts.slice(0, 480), CLIENTS, 4);
		const spread = (rates: number[]) => `${Math.min(...rates).toFixed(1)}-${Math.max(...rates).toFixed(1)}`;
		log(`${dtype} backend alone, no HTTP (${when}): batch 1 ${spread(single)} texts/s, batch ${CLIENTS} ${spread(batched)} texts/s over ${batched.length} windows`);
		return { single, batched };
	} finally {
		await backend.close();
	}
}

async function measure(folder: string, label: string, flags: string[], texts: string[]) {
	const worker = await startWorkerProcess(['--model', folder, ...flags], API_KEY);
	try {
		await closedLoop(worker.url, texts, API_KEY, CLIENTS, 2);
		const runsBefore = await scrape(worker.url, API_KEY, 'repomind_worker_batch_size_count{kind="embed"}');
		const textsBefore = await scrape(worker.url, API_KEY, 'repomind_worker_batch_size_sum{kind="embed"}');
		const [workerCpu, clientCpu] = [worker.cpuSeconds(), process.cpuUsage()];
		const load = await closedLoop(worker.url, texts, API_KEY, CLIENTS, SECONDS);
		const perText = (seconds: number) => round((seconds * 1000) / load.texts, 2);
		const cpu = { worker: perText(worker.cpuSeconds() - workerCpu), clients: perText(sumCpu(process.cpuUsage(clientCpu))) };
		const runs = (await scrape(worker.url, API_KEY, 'repomind_worker_batch_size_count{kind="embed"}')) - runsBefore;
		const meanBatch = ((await scrape(worker.url, API_KEY, 'repomind_worker_batch_size_sum{kind="embed"}')) - textsBefore) / runs;
		log(`${label}: ${load.textsPerSecond} texts/s, p50 ${load.p50Ms} ms, p95 ${load.p95Ms} ms, mean batch ${meanBatch.toFixed(1)}, errors ${load.errors}; CPU ms per text: worker ${cpu.worker}, clients ${cpu.clients}`);
		return { load, meanBatch, worker, cpu };
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

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const sumCpu = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1e6;

/** 256 clients each sending 512 texts per request, with dynamic batching; the worker is killed after. */
async function measureLarge(folder: string, dtype: BertDtype, texts: string[]) {
	const queue = String(LARGE_CLIENTS * LARGE_INPUTS * 2);
	const flags = ['--dtype', dtype, '--max-batch-size', '32', '--max-wait-ms', '2', '--max-queue', queue, '--max-client-batch-size', String(LARGE_INPUTS), ...EXTRA_FLAGS];
	const worker = await startWorkerProcess(['--model', folder, ...flags], API_KEY);
	try {
		const load = await closedLoopLarge(worker.url, texts, API_KEY, LARGE_CLIENTS, LARGE_INPUTS, LARGE_SECONDS);
		log(`${dtype}, ${LARGE_CLIENTS} clients x ${LARGE_INPUTS} texts per request: ${load.textsPerSecond} texts/s once the queue was full (first answer after ${load.firstAnswerS} s, ${load.answered} texts answered after it, errors ${load.errors})`);
		return load;
	} finally {
		await worker.kill();
	}
}

/** Backend ceiling, then the worker with batch size 1 and with dynamic batching, for one dtype. */
async function measureDtype(folder: string, dtype: BertDtype, texts: string[], last: boolean) {
	const before = await backendCeiling(folder, dtype, texts, 'before the worker runs');
	const unbatched = await measure(folder, `${dtype}, batch size 1, 32 clients`, ['--dtype', dtype, '--max-batch-size', '1'], texts);
	await unbatched.worker.stop();
	const flags = ['--dtype', dtype, '--max-batch-size', '32', '--max-wait-ms', '2', '--max-queue', '64', '--max-client-batch-size', '32', ...EXTRA_FLAGS];
	const batched = await measure(folder, `${dtype}, dynamic batching (max 32, 2 ms), 32 clients`, flags, texts);
	const guard = last ? await protection(batched.worker, texts) : null;
	const exitCode = await batched.worker.stop();
	log(`worker stopped on SIGTERM with exit code ${exitCode}`);
	const large = await measureLarge(folder, dtype, texts);
	const afterRuns = await backendCeiling(folder, dtype, texts, 'after them');
	const mean = (rates: number[]) => rates.reduce((sum, rate) => sum + rate, 0) / rates.length;
	const windows = [...before.batched, ...afterRuns.batched];
	const ceiling = { single: mean([...before.single, ...afterRuns.single]), batched: mean(windows) };
	const [worst, best] = [Math.min(...windows), Math.max(...windows)];
	log(`${dtype} ceiling: batch ${CLIENTS} ${ceiling.batched.toFixed(1)} texts/s (mean of ${windows.length} windows; worst ${worst.toFixed(1)}, best ${best.toFixed(1)})`);
	const speedup = batched.load.textsPerSecond / unbatched.load.textsPerSecond;
	const run = {
		dtype,
		texts_per_s_batched_c32: batched.load.textsPerSecond,
		texts_per_s_unbatched_c32: unbatched.load.textsPerSecond,
		batching_speedup: round(speedup, 2),
		p95_ms_c32: batched.load.p95Ms,
		p50_ms_c32: batched.load.p50Ms,
		p95_ms_unbatched_c32: unbatched.load.p95Ms,
		mean_batch_size_c32: round(batched.meanBatch),
		backend_texts_per_s_b1: round(ceiling.single),
		backend_texts_per_s_b32: round(ceiling.batched),
		backend_texts_per_s_b32_worst_window: round(worst),
		backend_texts_per_s_b32_best_window: round(best),
		backend_speedup_b32_vs_b1: round(ceiling.batched / ceiling.single, 2),
		worker_share_of_backend_b32: round(batched.load.textsPerSecond / ceiling.batched, 2),
		worker_share_of_backend_b32_best_window: round(batched.load.textsPerSecond / best, 2),
		cpu_ms_per_text_worker_c32: batched.cpu.worker,
		cpu_ms_per_text_clients_c32: batched.cpu.clients,
		texts_per_s_c256x512: large.textsPerSecond,
		worker_share_of_backend_b32_c256x512: round(large.textsPerSecond / ceiling.batched, 2),
		worker_share_of_backend_b32_c256x512_best_window: round(large.textsPerSecond / best, 2),
		errors: batched.load.errors + unbatched.load.errors,
	};
	return { run, guard };
}

async function main(): Promise<void> {
	const folder = mkdtempSync(join(tmpdir(), 'repomind-bench-worker-'));
	try {
		const { parameters } = writeRandomBertModel(folder, {}, { words: VOCABULARY }, DTYPES);
		log(`model: BERT 6 layers x 384, 12 heads, FFN 1536, random weights (${(parameters / 1e6).toFixed(1)} M parameters), ${WORDS_PER_TEXT + 2} tokens per text; dtypes ${DTYPES.join(', ')}`);
		log('random weights: the vectors mean nothing; the figures are throughput and latency only');
		const texts = benchTexts(512);
		const measured = [];
		for (const [i, dtype] of DTYPES.entries()) measured.push(await measureDtype(folder, dtype, texts, i === DTYPES.length - 1));
		const runs = measured.map(({ run }) => run);
		const guard = measured[measured.length - 1].guard;
		const best = runs.reduce((a, b) => (b.texts_per_s_batched_c32 > a.texts_per_s_batched_c32 ? b : a));
		const result = {
			model: 'random-bert-L6-H384 (all-MiniLM-L6-v2 shape, random weights: throughput figures only)',
			device: 'cpu',
			cpu_cores: availableParallelism(),
			tokens_per_text: WORDS_PER_TEXT + 2,
			seconds_per_run: SECONDS,
			...best,
			speedup_target: 5,
			speedup_target_met: best.batching_speedup >= 5,
			overload_429: guard?.overload429 ?? false,
			overload_429_count: guard?.count429 ?? 0,
			auth_rejected: guard?.authStatus === 401,
			by_dtype: Object.fromEntries(runs.map((run) => [run.dtype, run])),
			note: 'headline = the dtype with the highest batched throughput; batching_speedup is bounded by about backend_speedup_b32_vs_b1 (the model alone at batch 32 vs batch 1, no HTTP), which on a CPU is small: the 5x target needs a GPU',
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
