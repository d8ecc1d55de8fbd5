import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fuseRankings, fuseScores } from '../../lib/retrieve/fusion';
import { cosine, mmrOrder } from '../../lib/retrieve/mmr';

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} != ${expected}`);

describe('fuseRankings (weighted reciprocal rank fusion)', () => {
	it('sums weight / (k + rank) over the rankings an id appears in', () => {
		const fused = fuseRankings([
			{ weight: 1, ids: ['a', 'b', 'c'] },
			{ weight: 1, ids: ['c', 'a', 'd'] },
		]);
		assert.deepEqual(fused.map(({ id }) => id), ['a', 'c', 'b', 'd']);
		close(fused[0].score, 1 / 61 + 1 / 62);
		close(fused[1].score, 1 / 63 + 1 / 61);
		close(fused[2].score, 1 / 62);
		close(fused[3].score, 1 / 63);
	});

	it('weights change the order: lexical weight 3 lifts its first hit above a hit found by both', () => {
		const fused = fuseRankings([
			{ weight: 1, ids: ['v1', 'both'] },
			{ weight: 3, ids: ['l1', 'both'] },
		], 10);
		// l1: 3/11 = 0.2727; both: 1/12 + 3/12 = 0.3333; v1: 1/11 = 0.0909
		assert.deepEqual(fused.map(({ id }) => id), ['both', 'l1', 'v1']);
		close(fused[0].score, 4 / 12);
		close(fused[1].score, 3 / 11);
	});

	it('breaks ties by best rank, then by id', () => {
		const fused = fuseRankings([
			{ weight: 1, ids: ['x', 'y'] },
			{ weight: 1, ids: ['y', 'x'] },
			{ weight: 1, ids: ['b', 'a'] },
			{ weight: 1, ids: ['a', 'b'] },
		]);
		assert.deepEqual(fused.map(({ id }) => id), ['a', 'b', 'x', 'y']);
	});

	it('gives nothing for empty rankings', () => {
		assert.deepEqual(fuseRankings([{ weight: 1, ids: [] }]), []);
	});
});

describe('mmrOrder (maximal marginal relevance)', () => {
	const candidates = [
		{ id: 'a', relevance: 0.9, vector: [1, 0] },
		{ id: 'a-copy', relevance: 0.8, vector: [1, 0] },
		{ id: 'b', relevance: 0.5, vector: [0, 1] },
	];

	it('lambda 1 keeps the relevance order', () => {
		assert.deepEqual(mmrOrder(candidates, 1, 3), ['a', 'a-copy', 'b']);
	});

	it('lambda 0.5 puts a different chunk before a near-duplicate', () => {
		// normalised relevance: a 1, a-copy 0.75, b 0. After a: a-copy 0.5*0.75 - 0.5*1 = -0.125, b 0.5*0 - 0.5*0 = 0.
		assert.deepEqual(mmrOrder(candidates, 0.5, 3), ['a', 'b', 'a-copy']);
	});

	it('lambda 0.8 still prefers the duplicate when it is much more relevant', () => {
		// a-copy: 0.8*0.75 - 0.2*1 = 0.4; b: 0.8*0 - 0.2*0 = 0
		assert.deepEqual(mmrOrder(candidates, 0.8, 2), ['a', 'a-copy']);
	});

	it('returns at most limit ids and handles equal relevances', () => {
		assert.deepEqual(mmrOrder([{ id: 'p', relevance: 2, vector: [1, 1] }, { id: 'q', relevance: 2, vector: [1, -1] }], 0.5, 1), ['p']);
	});

	it('cosine of orthogonal, equal and zero vectors', () => {
		assert.equal(cosine([1, 0], [0, 3]), 0);
		close(cosine([3, 4], [6, 8]), 1);
		assert.equal(cosine([0, 0], [1, 1]), 0);
	});
});

describe('fuseScores (convex combination of min-max normalised scores)', () => {
	it('normalises each ranking to [0, 1] and sums weight x score', () => {
		const fused = fuseScores([
			{ weight: 0.2, hits: [{ id: 'a', score: 0.9 }, { id: 'b', score: 0.8 }, { id: 'c', score: 0.7 }] },
			{ weight: 0.8, hits: [{ id: 'c', score: 30 }, { id: 'd', score: 20 }, { id: 'a', score: 10 }] },
		]);
		// a: 0.2*1 + 0.8*0 = 0.2; b: 0.2*0.5 = 0.1; c: 0 + 0.8*1 = 0.8; d: 0.8*0.5 = 0.4
		assert.deepEqual(fused.map(({ id }) => id), ['c', 'd', 'a', 'b']);
		close(fused[0].score, 0.8);
		close(fused[1].score, 0.4);
		close(fused[2].score, 0.2);
		close(fused[3].score, 0.1);
	});

	it('keeps a clear winner of the heavier ranking on top where RRF lets the other ranking pull a shared hit above it', () => {
		const vector = [{ id: 'shared', score: 0.51 }, { id: 'v2', score: 0.5 }, { id: 'v3', score: 0.49 }];
		const lexical = [{ id: 'winner', score: 40 }, { id: 'shared', score: 5 }, { id: 'l3', score: 4 }];
		const convex = fuseScores([{ weight: 0.2, hits: vector }, { weight: 0.8, hits: lexical }]);
		assert.equal(convex[0].id, 'winner');
		const rrf = fuseRankings([{ weight: 1, ids: vector.map(({ id }) => id) }, { weight: 1, ids: lexical.map(({ id }) => id) }]);
		assert.equal(rrf[0].id, 'shared');
	});

	it('gives every hit of a one-hit or flat ranking the full weight, and skips empty rankings', () => {
		const fused = fuseScores([
			{ weight: 0.5, hits: [{ id: 'x', score: 3 }, { id: 'y', score: 3 }] },
			{ weight: 0.5, hits: [] },
		]);
		assert.deepEqual(fused, [{ id: 'x', score: 0.5 }, { id: 'y', score: 0.5 }]);
	});
});
