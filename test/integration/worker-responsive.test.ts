import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, before, describe, test } from 'node:test';
import type { Worker } from 'node:worker_threads';
import { EmbeddingsWorker, ThreadedOnnxBackend } from '../../embeddings-worker/src';
import { writeRandomBertModel } from '../support/random-bert-model';
import { callWorker, WORKER_KEY, writeTinyModels, type TinyModels } from '../support/worker-server';

const WORDS = 'function class return const import export async await parse file path read write chunk embed vector'.split(' ');
const longText = (seed: number) => Array.from({ length: 400 }, (_, i) => WORDS[(seed * 7 + i * 3 + i * i) % WORDS.length]).join(' ');

describe('embeddings worker: the model runs off the event loop', () => {
	let folder: string;
	let worker: EmbeddingsWorker;

	before(async () => {
		folder = mkdtempSync(join(tmpdir(), 'repomind-worker-responsive-'));
		writeRandomBertModel(folder, { layers: 4, hidden: 256, heads: 8, intermediate: 1024 }, { words: WORDS });
		worker = await EmbeddingsWorker.start({ model: folder, port: 0, apiKey: WORKER_KEY, maxBatchSize: 32 }, { processMetrics: false });
	});
	after(async () => {
		await worker.close();
		rmSync(folder, { recursive: true, force: true });
	});

	test('/health and /metrics answer promptly while a long batch runs', async (t) => {
		const texts = Array.from({ length: 32 }, (_, i) => longText(i));
		const started = performance.now();
		let embedDone = false;
		const embedding = callWorker(worker.url, '/embed', { body: { inputs: texts } }).then((answer) => {
			embedDone = true;
			return { answer, ms: performance.now() - started };
		});
		await new Promise((resolve) => setTimeout(resolve, 20));
		const probes: number[] = [];
		while (!embedDone) {
			const probeStarted = performance.now();
			const [health, metrics] = await Promise.all([callWorker(worker.url, '/health', { key: null }), callWorker(worker.url, '/metrics')]);
			assert.equal(health.status, 200);
			assert.equal(metrics.status, 200);
			if (!embedDone) probes.push(performance.now() - probeStarted);
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
		const { answer, ms } = await embedding;
		assert.equal(answer.status, 200);
		assert.equal((answer.body as number[][]).length, 32);
		const slowest = Math.max(...probes);
		t.diagnostic(`${probes.length} probes during a ${ms.toFixed(0)} ms batch, slowest ${slowest.toFixed(1)} ms`);
		assert.ok(probes.length >= 5, `${probes.length} probes answered during a ${ms.toFixed(0)} ms batch`);
		assert.ok(slowest < ms / 4, `slowest probe ${slowest.toFixed(0)} ms during a ${ms.toFixed(0)} ms batch`);
	});
});

describe('embeddings worker: a model thread that dies', () => {
	let models: TinyModels;
	let backend: ThreadedOnnxBackend;
	let worker: EmbeddingsWorker;

	before(async () => {
		models = writeTinyModels();
		backend = new ThreadedOnnxBackend({ model: models.embed.folder });
		worker = await EmbeddingsWorker.start({ model: models.embed.folder, port: 0, apiKey: WORKER_KEY }, { backend, processMetrics: false });
	});
	after(async () => {
		await worker.close();
		models.remove();
	});

	test('/health turns 503 with the reason, and embedding answers 424 at once instead of hanging', async () => {
		assert.equal((await callWorker(worker.url, '/embed', { body: { inputs: ['parse file'] } })).status, 200);
		// what an out-of-memory kill or a native crash of the thread looks like from the HTTP side
		await (backend as unknown as { threads: Worker[] }).threads[0].terminate();
		const health = await callWorker(worker.url, '/health', { key: null });
		assert.equal(health.status, 503);
		assert.deepEqual(health.body, { status: 'model failed', error: 'The model thread exited (code 1)', error_type: 'Unhealthy' });
		const embed = await callWorker(worker.url, '/embed', { body: { inputs: ['parse file'] } });
		assert.equal(embed.status, 424, "TEI's Backend error");
		assert.match((embed.body as { error: string }).error, /The model thread exited/);
	});
});
