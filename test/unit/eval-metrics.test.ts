import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileLevelMetrics, lineLevelMetrics, rankingMetrics } from '../../lib/evaluate';
import type { EvalHit } from '../../lib/evaluate';

const hit = (path: string, startLine: number, endLine: number, chunkId?: string, score?: number): EvalHit => ({ path, startLine, endLine, chunkId, score });

/** Rounded so that hand-computed decimals compare exactly. */
const rounded = (metrics: object | null) => metrics && Object.fromEntries(Object.entries(metrics).map(([key, value]) => [key, Math.round(value * 1e9) / 1e9]));

// 1/log2(2) = 1, 1/log2(3) = 0.630929754, 1/log2(5) = 0.430676558
describe('retrieval metrics at k', () => {
	const hits = [hit('x.ts', 1, 10), hit('a.ts', 1, 20), hit('./a.ts', 30, 40), hit('c.ts', 1, 5), hit('b.ts', 3, 9)];

	it('file level: distinct files in first-appearance order, two of four gold', () => {
		// files x, a, c, b: relevant at ranks 2 and 4; nDCG = (1/log2 3 + 1/log2 5) / (1 + 1/log2 3)
		assert.deepEqual(rounded(fileLevelMetrics(hits, { paths: ['a.ts', 'b.ts'] }, 5)), { hitRate: 1, recall: 1, precision: 0.5, mrr: 0.5, ndcg: 0.65092093 });
	});

	it('file level at k = 2 sees only x and a', () => {
		assert.deepEqual(rounded(fileLevelMetrics(hits, { paths: ['a.ts', 'b.ts'] }, 2)), { hitRate: 1, recall: 0.5, precision: 0.5, mrr: 0.5, ndcg: 0.386852807 });
	});

	it('k larger than the results: precision over what was returned, ideal DCG over min(gold, k)', () => {
		assert.deepEqual(rounded(fileLevelMetrics(hits, { paths: ['a.ts', 'b.ts'] }, 50)), rounded(fileLevelMetrics(hits, { paths: ['a.ts', 'b.ts'] }, 5)));
		assert.deepEqual(fileLevelMetrics([hit('a.ts', 1, 2)], { paths: ['a.ts'] }, 10), { hitRate: 1, recall: 1, precision: 1, mrr: 1, ndcg: 1 });
	});

	it('gold spans count as gold files', () => {
		assert.deepEqual(fileLevelMetrics(hits, { spans: [{ path: 'c.ts', startLine: 100, endLine: 120 }] }, 5), { hitRate: 1, recall: 1, precision: 0.25, mrr: 1 / 3, ndcg: 0.5 });
	});

	it('no gold: null (the metric is skipped, not zero)', () => {
		assert.equal(fileLevelMetrics(hits, {}, 5), null);
		assert.equal(lineLevelMetrics(hits, { paths: ['a.ts'] }, 5), null);
		assert.equal(fileLevelMetrics(hits, { answer: 'only a reference answer' }, 5), null);
	});

	it('nothing retrieved with gold: every metric 0', () => {
		assert.deepEqual(fileLevelMetrics([], { paths: ['a.ts'] }, 5), { hitRate: 0, recall: 0, precision: 0, mrr: 0, ndcg: 0 });
		assert.deepEqual(lineLevelMetrics([], { chunkIds: ['c1'] }, 5), { hitRate: 0, recall: 0, precision: 0, mrr: 0, ndcg: 0 });
	});

	it('line level: duplicate hits count once, and a second hit on the same span gains no nDCG', () => {
		const ranked = [hit('a.ts', 1, 20, 'c1'), hit('a.ts', 1, 20, 'c1'), hit('a.ts', 18, 30, 'c2'), hit('b.ts', 1, 5, 'c3')];
		// distinct c1, c2, c3; c1 and c2 overlap a.ts:15-25
		assert.deepEqual(lineLevelMetrics(ranked, { spans: [{ path: 'a.ts', startLine: 15, endLine: 25 }] }, 4), { hitRate: 1, recall: 1, precision: 2 / 3, mrr: 1, ndcg: 1 });
	});

	it('line level: overlap is inclusive at the boundary, adjacent lines do not overlap, chunk ids match by id', () => {
		const ranked = [hit('b.ts', 1, 5, 'c3'), hit('z.ts', 1, 3, 'c9'), hit('a.ts', 26, 30, 'c4'), hit('a.ts', 25, 25, 'c5')];
		const expected = { spans: [{ path: 'a.ts', startLine: 15, endLine: 25 }], chunkIds: ['c9'] };
		assert.deepEqual(rounded(lineLevelMetrics(ranked, expected, 4)), { hitRate: 1, recall: 1, precision: 0.5, mrr: 0.5, ndcg: 0.65092093 });
	});

	it('line level: a hit in another file with the same lines does not match', () => {
		assert.deepEqual(lineLevelMetrics([hit('b.ts', 15, 25)], { spans: [{ path: 'a.ts', startLine: 15, endLine: 25 }] }, 3), { hitRate: 0, recall: 0, precision: 0, mrr: 0, ndcg: 0 });
	});

	it('ties in score keep the retriever order: the relevant second hit has rank 2', () => {
		const tied = [hit('x.ts', 1, 2, 'c1', 0.5), hit('a.ts', 1, 2, 'c2', 0.5)];
		assert.equal(fileLevelMetrics(tied, { paths: ['a.ts'] }, 2)!.mrr, 0.5);
		assert.equal(lineLevelMetrics(tied, { chunkIds: ['c2'] }, 2)!.mrr, 0.5);
	});

	it('rankingMetrics: one entry covering two targets, then a repeat', () => {
		// DCG 1 (rank 3 adds no new target); IDCG 1 + 1/log2 3
		assert.deepEqual(rounded(rankingMetrics([[0, 1], [], [1]], 2, 3)), { hitRate: 1, recall: 1, precision: 0.666666667, mrr: 1, ndcg: 0.613147193 });
	});

	it('k must be a positive integer', () => {
		assert.throws(() => rankingMetrics([], 1, 0), /k must be a positive integer: 0/);
		assert.throws(() => fileLevelMetrics([], { paths: ['a'] }, 1.5), /k must be a positive integer: 1.5/);
	});
});
