import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServiceError } from '../../lib/errors';
import { BatchingEmbedder } from '../../lib/embed/batching';
import type { Embedder } from '../../lib/types';

/** A fake embedder: vector of text "t<n>" is [n, n + 0.5]; optional delay, failures and tampering. */
class FakeEmbedder implements Embedder {
	readonly modelId = 'fake:2';
	calls: string[][] = [];
	inFlight = 0;
	maxInFlight = 0;
	failures: unknown[] = [];
	tamper?: (vectors: number[][]) => unknown;

	constructor(private readonly delayMs = 0) {}

	async embed(texts: string[]): Promise<number[][]> {
		this.calls.push(texts);
		this.inFlight++;
		this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
		try {
			await new Promise((resolve) => setTimeout(resolve, this.delayMs * Math.random()));
			const failure = this.failures.shift();
			if (failure) throw failure;
			const vectors = texts.map((text) => [Number(text.slice(1)), Number(text.slice(1)) + 0.5]);
			return (this.tamper ? this.tamper(vectors) : vectors) as number[][];
		} finally {
			this.inFlight--;
		}
	}
}

const texts = (count: number) => Array.from({ length: count }, (_, i) => `t${i}`);
const status = (code: number) => Object.assign(new Error(`HTTP ${code}`), { status: code });

describe('BatchingEmbedder', () => {
	it('splits into batches and returns vectors in input order', async () => {
		const fake = new FakeEmbedder(10);
		const embedder = new BatchingEmbedder(fake, { batchSize: 3, concurrency: 3 });
		const vectors = await embedder.embed(texts(10));
		assert.deepEqual(vectors, texts(10).map((_, i) => [i, i + 0.5]));
		assert.deepEqual(fake.calls.map((batch) => batch.length).sort(), [1, 3, 3, 3]);
		assert.equal(embedder.modelId, 'fake:2');
		assert.equal(embedder.dimensions, 2);
	});

	it('never runs more than `concurrency` batches at once, and reaches it', async () => {
		const fake = new FakeEmbedder(15);
		await new BatchingEmbedder(fake, { batchSize: 1, concurrency: 3 }).embed(texts(12));
		assert.equal(fake.maxInFlight, 3);
		assert.equal(fake.calls.length, 12);
	});

	it('bounds batches by estimated tokens, a long text going alone', () => {
		const embedder = new BatchingEmbedder(new FakeEmbedder(), {
			batchSize: 10,
			maxBatchTokens: 10,
			countTokens: (text) => text.length,
		});
		const batches = embedder.split(['aaaa', 'bbbb', 'cc', 'dddddddddddddddd', 'e']);
		assert.deepEqual(batches, [['aaaa', 'bbbb', 'cc'], ['dddddddddddddddd'], ['e']]);
	});

	it('returns [] for no texts without calling the provider', async () => {
		const fake = new FakeEmbedder();
		assert.deepEqual(await new BatchingEmbedder(fake).embed([]), []);
		assert.equal(fake.calls.length, 0);
	});

	it('retries a batch on 503 and not on 400', async () => {
		const fake = new FakeEmbedder();
		fake.failures = [status(503), status(503)];
		const embedder = new BatchingEmbedder(fake, { batchSize: 5, retries: 3, baseDelayMs: 1 });
		assert.deepEqual(await embedder.embed(['t1', 't2']), [[1, 1.5], [2, 2.5]]);
		assert.equal(fake.calls.length, 3);

		fake.calls = [];
		fake.failures = [status(400)];
		await assert.rejects(embedder.embed(['t1']), /HTTP 400/);
		assert.equal(fake.calls.length, 1);
	});

	it('stops starting batches after one fails for good', async () => {
		const fake = new FakeEmbedder();
		fake.failures = [status(400)];
		const embedder = new BatchingEmbedder(fake, { batchSize: 1, concurrency: 1 });
		await assert.rejects(embedder.embed(texts(5)), /HTTP 400/);
		assert.equal(fake.calls.length, 1);
	});

	const mismatches: Array<[string, (vectors: number[][]) => unknown, string]> = [
		['too few vectors', (v) => v.slice(1), 'Embedder fake:2 answered 1 vectors for 2 texts'],
		['not an array', () => ({ data: [] }), 'Embedder fake:2 answered no vectors for 2 texts'],
		[
			'a different dimension',
			(v) => [v[0], [...v[1], 9]],
			'Embedder fake:2 answered a 3-d vector for text 1 of the batch; expected 2-d',
		],
		['an empty vector', (v) => [v[0], []], 'Embedder fake:2 answered an empty or missing vector for text 1 of the batch'],
		[
			'a NaN',
			(v) => [[Number.NaN, 1], v[1]],
			'Embedder fake:2 answered a vector with a non-finite or non-number value for text 0 of the batch',
		],
	];
	for (const [name, tamper, message] of mismatches) {
		it(`rejects ${name} with a clear ServiceError`, async () => {
			const fake = new FakeEmbedder();
			fake.tamper = tamper;
			const embedder = new BatchingEmbedder(fake, { retries: 3 });
			await assert.rejects(embedder.embed(['t1', 't2']), (error) => {
				assert.ok(error instanceof ServiceError);
				assert.equal(error.message, message);
				return true;
			});
			assert.equal(fake.calls.length, 1);
		});
	}

	it('rejects a later answer whose dimension differs from the first', async () => {
		const fake = new FakeEmbedder();
		const embedder = new BatchingEmbedder(fake);
		await embedder.embed(['t1']);
		fake.tamper = (v) => v.map((vector) => [...vector, 0]);
		await assert.rejects(embedder.embed(['t2']), /a 3-d vector for text 0 of the batch; expected 2-d/);
	});
});
