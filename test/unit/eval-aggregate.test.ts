import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aggregateResults, compareRuns, formatRunReport, percentile } from '../../lib/evaluate';
import type { EvalItemResult, MetricValues } from '../../lib/evaluate';

const result = (id: string, metrics: MetricValues, latencyMs: number | null, extra: Partial<EvalItemResult> = {}): EvalItemResult => ({
	id,
	question: `Question ${id}?`,
	k: 5,
	metrics,
	skipped: [],
	verdicts: {},
	judgeFailures: [],
	latencyMs,
	hasGold: 'fileRecall' in metrics,
	...extra,
});

const baseline = [
	result('q1', { fileRecall: 1, fileMrr: 1, tokenF1: 0.5 }, 100),
	result('q2', { fileRecall: 0.5, fileMrr: 0.5 }, 300),
	result('q3', { answerRelevance: 0.9 }, 200, { skipped: [{ metric: 'fileRecall', reason: 'no gold file paths or spans' }] }),
	result('gone', { fileRecall: 1 }, 50),
];
const current = [
	result('q1', { fileRecall: 0.5, fileMrr: 1, tokenF1: 0.75 }, 120),
	result('q2', { fileRecall: 0.5, fileMrr: 0.25 }, 400),
	result('q3', { answerRelevance: 0.9 }, null, { skipped: [{ metric: 'fileRecall', reason: 'no gold file paths or spans' }] }),
	result('new', {}, null, { error: 'Chroma is unreachable' }),
	result('q5', { fileRecall: 1, fileMrr: 1 }, 80, { judgeFailures: [{ metric: 'faithfulness', error: 'x', attempts: 3 }] }),
];

describe('aggregate and compare', () => {
	it('nearest-rank percentiles', () => {
		assert.equal(percentile([10, 20, 30, 40], 50), 20);
		assert.equal(percentile([40, 10, 30, 20], 95), 40);
		assert.equal(percentile([7], 95), 7);
		assert.equal(percentile([], 50), null);
		assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], 95), 19);
	});

	it('means over the items that have a metric, with counts, skips and latency', () => {
		const summary = aggregateResults(current);
		assert.deepEqual(summary, {
			items: 5,
			itemsWithGold: 3,
			errors: 1,
			judgeFailures: 1,
			k: 5,
			metrics: {
				fileRecall: { mean: 0.666667, min: 0.5, max: 1, count: 3, skipped: 1 },
				fileMrr: { mean: 0.75, min: 0.25, max: 1, count: 3, skipped: 0 },
				tokenF1: { mean: 0.75, min: 0.75, max: 0.75, count: 1, skipped: 0 },
				answerRelevance: { mean: 0.9, min: 0.9, max: 0.9, count: 1, skipped: 0 },
			},
			latencyMs: { p50: 120, p95: 400, mean: 200, count: 3 },
		});
		assert.deepEqual(aggregateResults([]).metrics, {});
		assert.equal(aggregateResults([result('a', {}, 1), { ...result('b', {}, 1), k: 10 }]).k, null);
	});

	it('compares with a baseline: metric deltas, latency deltas, and the questions that got worse', () => {
		const comparison = compareRuns({ summary: aggregateResults(current), results: current }, { runId: 7, summary: aggregateResults(baseline), results: baseline });
		assert.deepEqual(comparison, {
			baselineRunId: 7,
			metrics: [
				{ metric: 'fileRecall', current: 0.666667, baseline: 0.833333, delta: -0.166666 },
				{ metric: 'fileMrr', current: 0.75, baseline: 0.75, delta: 0 },
				{ metric: 'tokenF1', current: 0.75, baseline: 0.5, delta: 0.25 },
				{ metric: 'answerRelevance', current: 0.9, baseline: 0.9, delta: 0 },
			],
			latencyMs: { p50Delta: 20, p95Delta: 100 },
			matchedItems: 3,
			worse: [
				{ id: 'q1', question: 'Question q1?', metric: 'fileRecall', baseline: 1, current: 0.5, delta: -0.5 },
				{ id: 'q2', question: 'Question q2?', metric: 'fileMrr', baseline: 0.5, current: 0.25, delta: -0.25 },
			],
			better: 1,
			onlyInCurrent: ['new', 'q5'],
			onlyInBaseline: ['gone'],
		});
	});

	it('a readable table', () => {
		const summary = aggregateResults(current);
		const comparison = compareRuns({ summary, results: current }, { runId: 7, summary: aggregateResults(baseline), results: baseline });
		assert.equal(
			formatRunReport({ runId: 8, summary, comparison, results: current }),
			[
				'Evaluation run 8: 5 items, 3 with gold, k=5, 1 errors, 1 judge failures',
				'',
				'metric            mean  items  skipped  vs run 7',
				'---------------  -----  -----  -------  --------',
				'fileRecall       0.667      3        1    -0.167',
				'fileMrr          0.750      3        0    +0.000',
				'tokenF1          0.750      1        0    +0.250',
				'answerRelevance  0.900      1        0    +0.000',
				'',
				'latency p50 120 ms, p95 400 ms (p50 +20 ms, p95 +100 ms)',
				'3 questions in both runs; 2 item metrics worse, 1 better',
				'  worse: fileRecall 1.000 -> 0.500  Question q1?',
				'  worse: fileMrr 0.500 -> 0.250  Question q2?',
			].join('\n'),
		);
	});
});
