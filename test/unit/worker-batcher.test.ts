import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DynamicBatcher, QueueFullError, type BatcherOptions } from '../../embeddings-worker/src/batcher';

/** A batcher over numbers whose run doubles them and records each batch. */
function doubling(options: Partial<BatcherOptions<number, number>> = {}) {
	const batches: number[][] = [];
	let release: (() => void) | undefined;
	const batcher = new DynamicBatcher<number, number>({
		maxBatchSize: 4,
		maxBatchTokens: 1000,
		maxWaitMs: 20,
		maxQueue: 100,
		cost: (item) => item,
		async run(items) {
			batches.push(items);
			if (options.maxQueue !== undefined) await new Promise<void>((resolve) => (release = resolve));
			return items.map((item) => item * 2);
		},
		...options,
	});
	return { batcher, batches, release: () => release?.() };
}

/** Resolves once `count` batches have started (the batcher starts runs after pending I/O, so not at once). */
async function untilBatches(batches: number[][], count: number): Promise<void> {
	const deadline = Date.now() + 5000;
	while (batches.length < count) {
		if (Date.now() > deadline) throw new Error(`${batches.length} batches started, expected ${count}`);
		await new Promise((resolve) => setTimeout(resolve, 1));
	}
}

describe('DynamicBatcher', () => {
	test('groups concurrent submits up to the batch size, results in order', async () => {
		const { batcher, batches } = doubling();
		const results = await Promise.all([batcher.submit([1, 2]), batcher.submit([3]), batcher.submit([4, 5, 6]), batcher.submit([7])]);
		assert.deepEqual(results, [[2, 4], [6], [8, 10, 12], [14]]);
		assert.deepEqual(batches, [[1, 2, 3, 4], [5, 6, 7]]);
	});

	test('a batch stops at the token bound; a single larger item runs alone', async () => {
		const { batcher, batches } = doubling({ maxBatchTokens: 10 });
		const results = await batcher.submit([4, 5, 2, 30, 1]);
		assert.deepEqual(results, [8, 10, 4, 60, 2]);
		assert.deepEqual(batches, [[4, 5], [2], [30], [1]]);
	});

	test('requests that arrive while a run is about to start join it (pending I/O is read first)', async () => {
		const { batcher, batches } = doubling({ maxWaitMs: 0 });
		const first = batcher.submit([1]);
		const second = new Promise((resolve) => setImmediate(() => resolve(batcher.submit([2]))));
		assert.deepEqual(await Promise.all([first, second]), [[2], [4]]);
		assert.deepEqual(batches, [[1, 2]]);
	});

	test('a lone item waits maxWaitMs for company, then runs', async () => {
		const { batcher, batches } = doubling({ maxWaitMs: 250 });
		const started = Date.now();
		const first = batcher.submit([1]);
		await new Promise((resolve) => setTimeout(resolve, 20));
		const second = batcher.submit([2]);
		assert.deepEqual(await Promise.all([first, second]), [[2], [4]]);
		const waited = Date.now() - started;
		assert.ok(waited >= 245 && waited < 2000, `waited ${waited} ms`);
		assert.deepEqual(batches, [[1, 2]]);
	});

	test('a full queue refuses at once with a retry estimate; drain runs the rest without waiting', async () => {
		const { batcher, batches, release } = doubling({ maxQueue: 3, maxBatchSize: 2, maxWaitMs: 10_000 });
		const running = batcher.submit([1, 2]);
		await untilBatches(batches, 1);
		assert.equal(batcher.depth, 0, 'the first batch is running');
		const queued = batcher.submit([3, 4, 5]);
		assert.equal(batcher.depth, 3);
		await assert.rejects(batcher.submit([6]), (error: unknown) => error instanceof QueueFullError && error.retryAfterMs >= 1000);
		const drained = batcher.drain();
		release();
		assert.deepEqual(await running, [2, 4]);
		await untilBatches(batches, 2);
		release();
		await untilBatches(batches, 3);
		release();
		await drained;
		assert.deepEqual(await queued, [6, 8, 10]);
		assert.deepEqual(batches, [[1, 2], [3, 4], [5]]);
		assert.equal(batcher.depth, 0);
	});

	test('a failed run rejects only the requests of that batch', async () => {
		let calls = 0;
		const batcher = new DynamicBatcher<number, number>({
			maxBatchSize: 1, maxBatchTokens: 100, maxWaitMs: 0, maxQueue: 10, cost: () => 1,
			async run(items) {
				calls += 1;
				if (items.includes(13)) throw new Error('bad input 13');
				return items;
			},
		});
		const [bad, good] = await Promise.allSettled([batcher.submit([13]), batcher.submit([1])]);
		assert.equal(bad.status, 'rejected');
		assert.equal((bad as PromiseRejectedResult).reason.message, 'bad input 13');
		assert.deepEqual(good, { status: 'fulfilled', value: [1] });
		assert.equal(calls, 2);
	});
});

/** Two copies (concurrency 2) whose runs each wait for their release; multiplies by 10. */
function heldRuns(maxBatchSize: number) {
	const running: number[][] = [];
	const releases: Array<() => void> = [];
	const batcher = new DynamicBatcher<number, number>({
		maxBatchSize, maxBatchTokens: 1000, maxWaitMs: 0, maxQueue: 100, concurrency: 2, cost: () => 1,
		async run(items) {
			running.push(items);
			await new Promise<void>((resolve) => releases.push(resolve));
			return items.map((item) => item * 10);
		},
	});
	return { batcher, running, releases };
}

describe('DynamicBatcher with concurrency 2 (two model copies)', () => {
	test('a second batch starts while the first still runs; results stay in order', async () => {
		const { batcher, running, releases } = heldRuns(2);
		const all = batcher.submit([1, 2, 3, 4, 5]);
		await untilBatches(running, 2);
		await new Promise((resolve) => setTimeout(resolve, 20));
		assert.deepEqual(running, [[1, 2], [3, 4]], 'two runs at once, no third while both copies are busy');
		releases[0]();
		await untilBatches(running, 3);
		assert.deepEqual(running[2], [5]);
		releases[1]();
		releases[2]();
		assert.deepEqual(await all, [10, 20, 30, 40, 50]);
	});

	test('a queue that fills one batch is shared between the idle copies, not run on one copy while the other waits', async () => {
		const { batcher, running, releases } = heldRuns(8);
		const all = batcher.submit([1, 2, 3, 4, 5, 6, 7, 8]);
		await untilBatches(running, 2);
		assert.deepEqual(running, [[1, 2, 3, 4], [5, 6, 7, 8]], 'half the queue on each copy, side by side');
		for (const release of releases) release();
		assert.deepEqual(await all, [10, 20, 30, 40, 50, 60, 70, 80]);
	});

	test('a copy that frees while the other runs takes an even share of waiting plus running items, not the whole queue', async () => {
		const { batcher, running, releases } = heldRuns(32);
		const first = batcher.submit([1, 2, 3, 4]);
		await untilBatches(running, 2);
		assert.deepEqual(running.map((batch) => batch.length), [2, 2]);
		const rest = batcher.submit(Array.from({ length: 28 }, (_, i) => 100 + i));
		releases[0]();
		await untilBatches(running, 3);
		assert.equal(running[2].length, 15, 'a copy takes (28 waiting + 2 running) / 2, leaving 13 for the other copy');
		releases[1]();
		await untilBatches(running, 4);
		assert.equal(running[3].length, 13);
		releases[2]();
		releases[3]();
		assert.deepEqual(await first, [10, 20, 30, 40]);
		assert.equal((await rest).length, 28);
	});
});
