import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { EmbeddingsWorker } from '../../embeddings-worker/src';
import { expectedTinyVector } from '../support/tiny-onnx-model';
import { expectedCrossEncoderLogit } from '../support/worker-models';
import { callWorker, closeTo, startTinyWorker, writeTinyModels, type TinyModels } from '../support/worker-server';

const TEXTS = ['parse file', 'commit tree blob hash', 'vector index query', 'retry request'];
const words = (text: string) => text.split(' ');
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

describe('embeddings worker: HTTP API on the tiny ONNX models', () => {
	let models: TinyModels;
	let worker: EmbeddingsWorker;
	const expected = (text: string) => expectedTinyVector(models.embed, words(text));

	before(async () => {
		models = writeTinyModels();
		worker = await startTinyWorker(models);
	});
	after(async () => {
		await worker.close();
		models.remove();
	});

	test('GET /health needs no key; GET /info names model, dimension, batching and device', async () => {
		assert.deepEqual(await callWorker(worker.url, '/health', { key: null }).then((a) => [a.status, a.body]), [200, { status: 'ok' }]);
		const info = await callWorker(worker.url, '/info');
		assert.equal(info.status, 200);
		assert.deepEqual(info.body, {
			model_id: 'tiny-embed', model_sha: null, model_dtype: 'float32', served_model_name: 'tiny-embed', model_type: { embedding: { pooling: 'mean' } },
			max_concurrent_requests: 4096, max_input_length: 512, max_batch_tokens: 16384, max_batch_requests: 32, max_client_batch_size: 2048, auto_truncate: true,
			tokenization_workers: 1, version: '0.1.0', sha: null, docker_label: null, rerank_model_id: 'tiny-rerank', dimension: 64, max_batch_size: 32, max_wait_ms: 2,
			max_queue: 4096, device: 'cpu', dtype: 'fp32', pooling: 'mean', backend: 'onnx',
		});
	});

	test('POST /embed: one normalised vector per input, in order; a single string; normalize false is the plain mean', async () => {
		const answer = await callWorker(worker.url, '/embed', { body: { inputs: TEXTS } });
		assert.equal(answer.status, 200);
		const vectors = answer.body as number[][];
		assert.equal(vectors.length, TEXTS.length);
		TEXTS.forEach((text, i) => assert.ok(closeTo(vectors[i], expected(text)), `vector ${i}`));

		const single = (await callWorker(worker.url, '/embed', { body: { inputs: 'parse file' } })).body as number[][];
		assert.equal(single.length, 1);
		assert.ok(closeTo(single[0], expected('parse file')));

		const raw = (await callWorker(worker.url, '/embed', { body: { inputs: ['parse file'], normalize: false } })).body as number[][];
		const { table, vocab, dimensions } = models.embed;
		const mean = Array.from({ length: dimensions }, (_, j) => (table[vocab.parse * dimensions + j] + table[vocab.file * dimensions + j]) / 4);
		assert.ok(closeTo(raw[0], mean), 'mean over [CLS] parse file [SEP], special tokens are zero rows');
	});

	test('POST /v1/embeddings: OpenAI shape with usage; base64 decodes to the same float32 vectors', async () => {
		const answer = await callWorker(worker.url, '/v1/embeddings', { body: { input: TEXTS.slice(0, 2), model: 'anything' } });
		assert.equal(answer.status, 200);
		const body = answer.body as { object: string; model: string; usage: object; data: Array<{ object: string; index: number; embedding: number[] }> };
		assert.deepEqual({ ...body, data: body.data.map(({ object, index }) => ({ object, index })) }, {
			object: 'list', model: 'tiny-embed', usage: { prompt_tokens: 4 + 6, total_tokens: 10 }, data: [{ object: 'embedding', index: 0 }, { object: 'embedding', index: 1 }],
		});
		body.data.forEach((item, i) => assert.ok(closeTo(item.embedding, expected(TEXTS[i]))));

		const encoded = await callWorker(worker.url, '/v1/embeddings', { body: { input: TEXTS[1], encoding_format: 'base64' } });
		const [item] = (encoded.body as { data: Array<{ embedding: string }> }).data;
		const bytes = Buffer.from(item.embedding, 'base64');
		assert.equal(bytes.length, 64 * 4);
		const decoded = Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, 64));
		assert.deepEqual(decoded, Array.from(new Float32Array(body.data[1].embedding)));
	});

	test('POST /rerank: indices sorted by sigmoid(cross-encoder logit); raw_scores and return_text', async () => {
		const texts = ['commit tree', 'parse file path', 'parse', 'error retry'];
		const logits = texts.map((text) => expectedCrossEncoderLogit(models.rerank, ['parse', 'file'], words(text)));
		const order = logits.map((logit, index) => ({ index, logit })).sort((a, b) => b.logit - a.logit);
		const answer = await callWorker(worker.url, '/rerank', { body: { query: 'parse file', texts } });
		assert.equal(answer.status, 200);
		const ranked = answer.body as Array<{ index: number; score: number }>;
		assert.deepEqual(ranked.map((item) => item.index), order.map((item) => item.index));
		ranked.forEach((item) => assert.ok(Math.abs(item.score - sigmoid(logits[item.index])) < 1e-6));

		const raw = (await callWorker(worker.url, '/rerank', { body: { query: 'parse file', texts, raw_scores: true, return_text: true } })).body as Array<{ index: number; score: number; text: string }>;
		assert.deepEqual(raw.map((item) => [item.index, item.text]), order.map((item) => [item.index, texts[item.index]]));
		raw.forEach((item) => assert.ok(Math.abs(item.score - logits[item.index]) < 1e-5));
	});

	test('40 concurrent requests each get the vectors of their own texts', async () => {
		const vocabulary = ['function', 'class', 'return', 'import', 'export', 'async', 'await', 'parse', 'file', 'path'];
		const requests = Array.from({ length: 40 }, (_, i) => [vocabulary[i % 10], vocabulary[(i * 3 + 1) % 10], vocabulary[(i * 7 + 2) % 10]].join(' '));
		const answers = await Promise.all(requests.map((text, i) => callWorker(worker.url, '/embed', { body: { inputs: [text, vocabulary[i % 10]] } })));
		answers.forEach((answer, i) => {
			const [first, second] = answer.body as number[][];
			assert.ok(closeTo(first, expected(requests[i])), `request ${i}`);
			assert.ok(closeTo(second, expected(vocabulary[i % 10])), `request ${i}, second text`);
		});
	});
});
