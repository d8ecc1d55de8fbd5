import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { AuthError, InvalidInputError } from '../../lib/errors';
import { HuggingFaceEmbedder } from '../../lib/embed/huggingface';
import { createEmbedder } from '../../lib/embed/index';
import { expectedVector, startEmbeddingServer, type EmbeddingServer } from '../support/embedding-server';

const TOKEN = 'hf_test_token_93b2c1';

function assertClose(actual: number[][], expected: number[][]) {
	assert.equal(actual.length, expected.length);
	actual.forEach((vector, i) => {
		assert.equal(vector.length, expected[i].length);
		vector.forEach((value, j) => assert.ok(Math.abs(value - expected[i][j]) < 1e-12, `[${i}][${j}]`));
	});
}

describe('Hugging Face embedder against a text-embeddings-inference endpoint', () => {
	let server: EmbeddingServer;
	before(async () => {
		server = await startEmbeddingServer({ apiKey: TOKEN, dimensions: 24 });
	});
	after(() => server.close());

	const embedder = (extra: Record<string, unknown> = {}) =>
		createEmbedder({
			provider: 'huggingface',
			endpointUrl: `${server.url}/embed`,
			token: TOKEN,
			baseDelayMs: 1,
			...extra,
		});

	it('posts batches to the endpoint URL and returns vectors in order', async () => {
		server.requests.length = 0;
		const texts = ['def parse(x):', 'class Foo:', 'import os'];
		const hf = embedder({ batchSize: 2 });
		assert.equal(hf.modelId, `hf:${new URL(server.url).host}/embed`);
		assert.deepEqual(await hf.embed(texts), texts.map((text) => expectedVector(text, 24)));
		assert.deepEqual(server.requests.map((r) => [r.path, r.batchSize]), [['/embed', 2], ['/embed', 1]]);
		assert.ok(server.requests.every((r) => r.authorization === `Bearer ${TOKEN}`));
	});

	it('passes normalize to the server', async () => {
		const vectors = await embedder({ normalize: false }).embed(['abc']);
		assert.deepEqual(vectors, [expectedVector('abc', 24).map((value) => value * 2)]);
	});

	it('waits for Retry-After on 429 (headers kept from the failed response), then succeeds', async () => {
		server.requests.length = 0;
		server.failNext(1, 'rate-limit', '1');
		const started = Date.now();
		assert.deepEqual(await embedder().embed(['again']), [expectedVector('again', 24)]);
		assert.ok(Date.now() - started >= 990, `waited ${Date.now() - started} ms`);
		assert.deepEqual(server.requests.map((r) => r.status), [429, 200]);
	});

	it('does not let the client retry 503 by itself', async () => {
		server.requests.length = 0;
		server.failNext(2, 'unavailable');
		await assert.rejects(embedder({ retries: 1 }).embed(['a']), /server error \(HTTP 503\)/);
		assert.equal(server.requests.length, 2);
	});

	it('turns 401 into an AuthError that never contains the token', async () => {
		server.requests.length = 0;
		const wrong = 'hf_wrong_token_5a6b7c';
		await assert.rejects(embedder({ token: wrong }).embed(['a']), (error) => {
			assert.ok(error instanceof AuthError);
			assert.equal(
				error.message,
				`Embedding with hf:${new URL(server.url).host}/embed failed: the service rejected the credentials (HTTP 401)`,
			);
			assert.ok(!`${String(error)} ${error.stack} ${inspect(error, { depth: 10 })}`.includes(wrong));
			return true;
		});
		assert.equal(server.requests.length, 1);
	});

	it('needs exactly one of model and endpoint URL', () => {
		assert.throws(() => new HuggingFaceEmbedder({}), InvalidInputError);
		assert.throws(() => new HuggingFaceEmbedder({ model: 'a/b', endpointUrl: 'http://x/embed' }), InvalidInputError);
		assert.equal(new HuggingFaceEmbedder({ model: 'BAAI/bge-small-en-v1.5' }).modelId, 'hf:BAAI/bge-small-en-v1.5');
	});
});

describe('Hugging Face embedder with token-level answers', () => {
	let server: EmbeddingServer;
	before(async () => {
		server = await startEmbeddingServer({ dimensions: 8, tokenLevel: true });
	});
	after(() => server.close());

	it('mean-pools number[][][] per text and notes it', async () => {
		const hf = new HuggingFaceEmbedder({ endpointUrl: `${server.url}/embed` });
		const texts = ['alpha beta', 'gamma'];
		assertClose(await hf.embed(texts), texts.map((text) => expectedVector(text, 8)));
		assert.deepEqual([...hf.notes], ['The server answered token-level vectors; they were mean-pooled here.']);
	});
});
