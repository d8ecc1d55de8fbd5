import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { AuthError, RateLimitError, ServiceError } from '../../lib/errors';
import { createEmbedder } from '../../lib/embed/index';
import { OpenAIEmbedder } from '../../lib/embed/openai';
import { expectedVector, startEmbeddingServer, type EmbeddingServer } from '../support/embedding-server';

const API_KEY = 'sk-test-4f9c2a7d1e';

describe('OpenAI-compatible embedder against the local server', () => {
	let server: EmbeddingServer;
	before(async () => {
		server = await startEmbeddingServer({ apiKey: API_KEY, dimensions: 32 });
	});
	after(() => server.close());

	const embedder = (extra: Record<string, unknown> = {}) =>
		createEmbedder({
			provider: 'openai',
			model: 'hash-embed',
			apiKey: API_KEY,
			baseURL: `${server.url}/v1`,
			baseDelayMs: 1,
			...extra,
		});

	it('embeds in batches with float encoding and the API key, vectors in order', async () => {
		server.requests.length = 0;
		const texts = ['function parse(a) {\n\treturn a;\n}', 'class Foo', 'bar_baz', 'qux', 'x y z'];
		const vectors = await embedder({ batchSize: 2, concurrency: 1 }).embed(texts);
		assert.deepEqual(vectors, texts.map((text) => expectedVector(text, 32)));
		assert.deepEqual(server.requests.map((r) => r.batchSize), [2, 2, 1]);
		assert.deepEqual(server.requests.map((r) => r.encodingFormat), ['float', 'float', 'float']);
		assert.ok(server.requests.every((r) => r.authorization === `Bearer ${API_KEY}`));
		assert.equal(server.requests[0].texts[0], texts[0], 'newlines are kept');
	});

	it('passes dimensions and names them in the model id', async () => {
		const direct = new OpenAIEmbedder({
			model: 'hash-embed',
			apiKey: API_KEY,
			baseURL: `${server.url}/v1`,
			dimensions: 16,
		});
		const endpoint = `${new URL(server.url).host}/v1`;
		assert.equal(direct.modelId, `openai:hash-embed:16@${endpoint}`);
		assert.equal(embedder().modelId, `openai:hash-embed@${endpoint}`);
		assert.deepEqual(embedder().legacyModelIds, ['openai:hash-embed']);
		assert.deepEqual(await direct.embed(['abc']), [expectedVector('abc', 16)]);
	});

	it('answers base64 when asked, as the OpenAI SDK decodes it', async () => {
		const answer = await fetch(`${server.url}/v1/embeddings`, {
			method: 'POST',
			headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
			body: JSON.stringify({ model: 'hash-embed', input: 'fooBar', encoding_format: 'base64' }),
		}).then((response) => response.json() as Promise<{ data: Array<{ embedding: string }> }>);
		const bytes = Buffer.from(answer.data[0].embedding, 'base64');
		const decoded = [...new Float32Array(new Uint8Array(bytes).buffer)];
		assert.deepEqual(decoded, [...new Float32Array(expectedVector('fooBar', 32))]);
	});

	it('lists the model at GET /v1/models', async () => {
		const answer = (await fetch(`${server.url}/v1/models`).then((r) => r.json())) as { data: Array<{ id: string }> };
		assert.deepEqual(answer.data.map((model: { id: string }) => model.id), ['hash-embed']);
	});

	it('waits for Retry-After on 429, then succeeds; no hidden SDK retries', async () => {
		server.requests.length = 0;
		server.failNext(1, 'rate-limit', '1');
		const started = Date.now();
		const vectors = await embedder().embed(['retry me']);
		assert.ok(Date.now() - started >= 990, `waited ${Date.now() - started} ms`);
		assert.deepEqual(vectors, [expectedVector('retry me', 32)]);
		assert.deepEqual(server.requests.map((r) => r.status), [429, 200]);
	});

	it('retries a 500 and gives up with a RateLimitError after the retries', async () => {
		server.requests.length = 0;
		server.failNext(1, 'server-error');
		assert.deepEqual(await embedder().embed(['a']), [expectedVector('a', 32)]);
		assert.deepEqual(server.requests.map((r) => r.status), [500, 200]);

		server.requests.length = 0;
		server.failNext(3, 'rate-limit');
		await assert.rejects(embedder({ retries: 2 }).embed(['a']), (error) => {
			assert.ok(error instanceof RateLimitError);
			assert.match(error.message, /^Embedding with openai:hash-embed@\S+ failed: rate limited \(HTTP 429\)/);
			return true;
		});
		assert.equal(server.requests.length, 3);
	});

	it('reports a malformed answer clearly, without retrying', async () => {
		server.requests.length = 0;
		server.failNext(1, 'malformed');
		await assert.rejects(embedder().embed(['a']), (error) => {
			assert.ok(error instanceof ServiceError);
			assert.match(error.message, /^Embedding with openai:hash-embed@\S+ failed: the answer was malformed/);
			return true;
		});
		assert.equal(server.requests.length, 1);
	});

	it('turns 401 into an AuthError that never contains the API key', async () => {
		server.requests.length = 0;
		const wrongKey = 'sk-wrong-8b1d3c5e7f';
		await assert.rejects(embedder({ apiKey: wrongKey }).embed(['a']), (error) => {
			assert.ok(error instanceof AuthError);
			assert.equal(
				error.message,
				`Embedding with openai:hash-embed@${new URL(server.url).host}/v1 failed: the service rejected the credentials (HTTP 401)`,
			);
			assert.equal(error.hint, 'Check the API key or token, and that it may use this model.');
			const everything = `${String(error)} ${error.stack} ${inspect(error, { depth: 10 })}`;
			assert.ok(!everything.includes(wrongKey));
			return true;
		});
		assert.equal(server.requests.length, 1, '401 is not retried');
		assert.equal(server.requests[0].authorization, `Bearer ${wrongKey}`);
	});

	it('reports an unreachable server as a ServiceError naming the URL', async () => {
		const down = createEmbedder({
			provider: 'openai',
			model: 'm',
			apiKey: API_KEY,
			baseURL: 'http://127.0.0.1:9/v1',
			retries: 1,
			baseDelayMs: 1,
		});
		await assert.rejects(down.embed(['a']), (error) => {
			assert.ok(error instanceof ServiceError);
			assert.match(error.message, /^Embedding with openai:m@127\.0\.0\.1:9\/v1 failed: could not reach http:\/\/127\.0\.0\.1:9\/v1/);
			return true;
		});
	});
});
