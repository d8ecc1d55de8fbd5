import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { EmbeddingsWorker } from '../../embeddings-worker/src';
import { WORKER_KEY, callWorker, metricValue, startTinyWorker, writeTinyModels, type TinyModels } from '../support/worker-server';

const VOCABULARY = 'function class return const let import export async await parse file path read write chunk embed vector index query search'.split(' ');
const textOf = (i: number) => Array.from({ length: 1 + (i % 5) }, (_, j) => VOCABULARY[(i * 7 + j * 3) % VOCABULARY.length]).join(' ');

describe('embeddings worker: batching, limits, auth, overload, metrics', () => {
	let models: TinyModels;
	let worker: EmbeddingsWorker;
	const workers: EmbeddingsWorker[] = [];
	const start = async (overrides: Parameters<typeof startTinyWorker>[1]) => {
		const started = await startTinyWorker(models, overrides);
		workers.push(started);
		return started;
	};

	before(async () => {
		models = writeTinyModels();
		worker = await start({ maxBodyBytes: 4096, maxClientBatchSize: 8, maxInputChars: 2000, maxQueue: 64 });
	});
	after(async () => {
		await Promise.all(workers.map((started) => started.close()));
		models.remove();
	});

	test('batched equals unbatched: the same vectors from batch size 1 and from dynamic batches', async () => {
		const unbatched = await start({ maxBatchSize: 1 });
		const batched = await start({ maxBatchSize: 32, maxWaitMs: 250 });
		const texts = Array.from({ length: 24 }, (_, i) => textOf(i));
		const embed = (target: EmbeddingsWorker) => Promise.all(texts.map((text) => callWorker(target.url, '/embed', { body: { inputs: [text] } })));
		const [one, many] = await Promise.all([embed(unbatched), embed(batched)]);
		assert.deepEqual(many.map((answer) => answer.body), one.map((answer) => answer.body));
		const runs = async (target: EmbeddingsWorker) => metricValue((await callWorker(target.url, '/metrics')).body as string, 'repomind_worker_batch_size_count{kind="embed"}');
		assert.equal(await runs(unbatched), 24, 'batch size 1: one model run per text');
		const batchedRuns = await runs(batched);
		assert.ok(batchedRuns >= 1 && batchedRuns <= 6, `24 concurrent texts ran in ${batchedRuns} model runs`);
	});

	test('401 without or with a wrong key (TEI and OpenAI error shapes); /health stays open', async () => {
		const missing = await callWorker(worker.url, '/embed', { body: { inputs: ['parse'] }, key: null });
		const message = 'Missing or wrong API key (send Authorization: Bearer <key>)';
		assert.deepEqual([missing.status, missing.body, missing.headers.get('www-authenticate')], [401, { error: message, error_type: 'Validation' }, 'Bearer']);
		const wrong = await callWorker(worker.url, '/v1/embeddings', { body: { input: 'parse' }, key: 'worker-test-KEY-wrong' });
		assert.deepEqual([wrong.status, wrong.body], [401, { error: { message, type: 'invalid_request_error', param: null, code: 'invalid_api_key' }, message, code: 401, error_type: 'Validation' }]);
		for (const path of ['/info', '/metrics', '/rerank']) assert.equal((await callWorker(worker.url, path, { key: null, method: path === '/rerank' ? 'POST' : 'GET' })).status, 401, path);
		const nearMisses = [WORKER_KEY.slice(0, -1), `${WORKER_KEY}x`, `${WORKER_KEY.slice(0, -1)}f`, WORKER_KEY.toLowerCase(), `${WORKER_KEY} ${WORKER_KEY}`];
		for (const key of nearMisses) assert.equal((await callWorker(worker.url, '/embed', { body: { inputs: ['parse'] }, key })).status, 401, key);
		assert.equal((await callWorker(worker.url, '/embed', { body: { inputs: ['parse'] } })).status, 200, 'the key itself');
		assert.equal((await callWorker(worker.url, '/health', { key: null })).status, 200);
	});

	test('400 for a body that is not JSON or an empty input, 422 naming the field for wrong fields', async () => {
		const cases: Array<[string, { body?: unknown; raw?: string }, number, string, string]> = [
			['/embed', { raw: '{"inputs": [' }, 400, 'Validation', 'The request body is not valid JSON: '],
			['/embed', { body: {} }, 422, 'Validation', 'Invalid request: inputs: Required'],
			['/embed', { body: { inputs: ['parse', ''] } }, 400, 'Empty', 'Input 1 is empty'],
			['/embed', { body: { inputs: 42 } }, 422, 'Validation', 'Invalid request: inputs: must be a string, token ids, or an array of strings or of token ids'],
			['/embed', { body: { inputs: ['parse'], normalize: 'yes' } }, 422, 'Validation', 'Invalid request: normalize: Expected boolean, received string'],
			['/rerank', { body: { query: 'parse', texts: [] } }, 400, 'Empty', '`texts` is empty'],
		];
		for (const [path, request, status, errorType, message] of cases) {
			const answer = await callWorker(worker.url, path, request);
			assert.equal(answer.status, status, message);
			const body = answer.body as { error: string; error_type: string };
			assert.equal(body.error_type, errorType);
			assert.ok(body.error.startsWith(message), `${body.error} should start with ${message}`);
		}
	});

	test('413: body over the byte limit, too many inputs, an input over the character limit; 422 over the token limit', async () => {
		const big = await callWorker(worker.url, '/embed', { body: { inputs: ['parse '.repeat(1000)] } });
		assert.deepEqual([big.status, big.body], [413, { error: 'The request body exceeds 4096 bytes', error_type: 'Validation' }]);
		const many = await callWorker(worker.url, '/embed', { body: { inputs: Array.from({ length: 9 }, () => 'parse') } });
		assert.deepEqual([many.status, many.body], [413, { error: 'batch size 9 > maximum allowed batch size 8', error_type: 'Validation' }]);
		const long = await callWorker(worker.url, '/embed', { body: { inputs: ['x'.repeat(2001)] } });
		assert.deepEqual([long.status, long.body], [413, { error: 'Input 0 has 2001 characters; the limit is 2000', error_type: 'Validation' }]);
		const manyTokens = 'a '.repeat(600);
		const refused = await callWorker(worker.url, '/embed', { body: { inputs: ['parse', manyTokens], truncate: false } });
		assert.deepEqual([refused.status, refused.body], [422, { error: 'Input 1 has 602 tokens; the model takes at most 512 (send truncate: true to cut it)', error_type: 'Validation' }]);
		const truncated = await callWorker(worker.url, '/embed', { body: { inputs: [manyTokens], truncate: true } });
		assert.equal(truncated.status, 200);
		assert.equal((truncated.body as number[][])[0].length, 64);
	});

	test('a full queue answers 429 with Retry-After; the queued request still succeeds', async () => {
		const small = await start({ maxQueue: 4, maxClientBatchSize: 4, maxBatchSize: 64, maxWaitMs: 400 });
		const waiting = callWorker(small.url, '/embed', { body: { inputs: ['parse', 'file', 'path'] } });
		await new Promise((resolve) => setTimeout(resolve, 100));
		const refused = await callWorker(small.url, '/embed', { body: { inputs: ['read', 'write'] } });
		assert.equal(refused.status, 429);
		assert.deepEqual(refused.body, { error: 'The queue is full (4 inputs); retry after 1 s', error_type: 'Overloaded' });
		assert.equal(refused.headers.get('retry-after'), '1');
		const openAi = await callWorker(small.url, '/v1/embeddings', { body: { input: ['read', 'write'] } });
		assert.deepEqual([openAi.status, (openAi.body as { error: { type: string } }).error.type], [429, 'rate_limit_exceeded']);
		const queued = await waiting;
		assert.equal(queued.status, 200);
		assert.equal((queued.body as number[][]).length, 3);
	});

	test('/metrics changes after requests: requests by route and status, latency, texts, batch sizes, queue depth', async () => {
		const before = (await callWorker(worker.url, '/metrics')).body as string;
		await callWorker(worker.url, '/embed', { body: { inputs: ['parse', 'file', 'path'] } });
		await callWorker(worker.url, '/embed', { body: {} });
		await callWorker(worker.url, '/rerank', { body: { query: 'parse', texts: ['file', 'path'] } });
		const afterText = (await callWorker(worker.url, '/metrics')).body as string;
		const delta = (sample: string) => metricValue(afterText, sample) - metricValue(before, sample);
		assert.equal(delta('repomind_worker_requests_total{route="/embed",status="200"}'), 1);
		assert.equal(delta('repomind_worker_requests_total{route="/embed",status="422"}'), 1);
		assert.equal(delta('repomind_worker_requests_total{route="/rerank",status="200"}'), 1);
		assert.equal(delta('repomind_worker_requests_total{route="/metrics",status="200"}'), 1);
		assert.equal(delta('repomind_worker_request_duration_seconds_count{route="/embed"}'), 2);
		assert.equal(delta('repomind_worker_texts_total{kind="embed"}'), 3);
		assert.equal(delta('repomind_worker_texts_total{kind="rerank"}'), 2);
		assert.equal(delta('repomind_worker_batch_size_sum{kind="embed"}'), 3);
		assert.equal(metricValue(afterText, 'repomind_worker_queue_depth'), 0);
		assert.ok(metricValue(afterText, 'repomind_worker_texts_per_second') > 0);
		assert.match(afterText, /# TYPE repomind_worker_request_duration_seconds histogram/);
	});
});
