import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidInputError } from '../../lib/errors';
import { codeTokens, HashEmbedder, hashEmbedding } from '../../lib/embed/hash';
import { BatchingEmbedder, createEmbedder } from '../../lib/embed/index';

const norm = (vector: number[]) => Math.hypot(...vector);
const cosine = (a: number[], b: number[]) => a.reduce((sum, value, i) => sum + value * b[i], 0);

describe('codeTokens', () => {
	it('splits identifiers into lower-case parts and keeps compound identifiers', () => {
		assert.deepEqual(codeTokens('parseHTTPResponse_v2(x) + snake_case'), [
			'parse',
			'http',
			'response',
			'v',
			'2',
			'parsehttpresponse_v2',
			'x',
			'snake',
			'case',
			'snake_case',
		]);
		assert.deepEqual(codeTokens('  // -- '), []);
	});
});

describe('HashEmbedder', () => {
	it('is deterministic, l2-normalised and of the given dimension', async () => {
		const embedder = new HashEmbedder({ dimensions: 64 });
		const [a, b] = await embedder.embed(['const fooBar = 1;', 'const fooBar = 1;']);
		assert.equal(embedder.modelId, 'hash:64');
		assert.equal(a.length, 64);
		assert.deepEqual(a, b);
		assert.ok(Math.abs(norm(a) - 1) < 1e-12);
	});

	it('maps a single token to one ±1 slot, and a token-less text to a unit vector', () => {
		const one = hashEmbedding('foo', 16);
		assert.equal(one.filter((value) => value !== 0).length, 1);
		assert.equal(Math.abs(one.find((value) => value !== 0) as number), 1);
		const empty = hashEmbedding('', 16);
		assert.equal(norm(empty), 1);
		assert.deepEqual(hashEmbedding('{ }', 16), empty);
	});

	it('puts texts sharing identifier parts closer than unrelated texts', () => {
		const query = hashEmbedding('parse the http response', 256);
		const related = hashEmbedding('function parseHttpResponse(response) {}', 256);
		const unrelated = hashEmbedding('SELECT name FROM users WHERE id = 7', 256);
		assert.ok(cosine(query, related) > 0.5, `related ${cosine(query, related)}`);
		assert.ok(cosine(query, unrelated) < 0.2, `unrelated ${cosine(query, unrelated)}`);
	});

	it('refuses a dimension that is not a positive integer', () => {
		assert.throws(() => new HashEmbedder({ dimensions: 0 }), InvalidInputError);
	});

	it('is what createEmbedder builds for provider hash, with batching around it', async () => {
		const embedder = createEmbedder({ provider: 'hash', dimensions: 32, batchSize: 2 });
		assert.ok(embedder instanceof BatchingEmbedder);
		assert.equal(embedder.modelId, 'hash:32');
		const texts = ['a', 'b c', 'dE', 'f_g', 'h'];
		assert.deepEqual(await embedder.embed(texts), texts.map((text) => hashEmbedding(text, 32)));
		assert.deepEqual(embedder.split(texts), [['a', 'b c'], ['dE', 'f_g'], ['h']]);
	});

	it('embeds a few thousand code chunks per second (measured)', async (t) => {
		const text = 'export function chunkFile(source: SourceFile, options: ChunkerOptions) {\n'.repeat(20);
		const texts = Array.from({ length: 2000 }, (_, i) => `${text}// ${i}`);
		const embedder = createEmbedder({ provider: 'hash', dimensions: 384 });
		const started = performance.now();
		const vectors = await embedder.embed(texts);
		const seconds = (performance.now() - started) / 1000;
		assert.equal(vectors.length, 2000);
		const rate = Math.round(texts.length / seconds);
		t.diagnostic(`hash:384 embedded ${texts.length} texts of ${text.length} chars: ${rate} texts/s`);
		assert.ok(rate > 500, `${rate} texts/s`);
	});
});
