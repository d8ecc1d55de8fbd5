import { METRIC_NAMES, type EvalItemResult, type MetricName } from './types';

/** One metric over a run: its mean over the items that have it. */
export interface MetricSummary {
	/** Null when no item has it. */
	mean: number | null;
	min: number | null;
	max: number | null;
	/** Items that have the metric. */
	count: number;
	/** Items that skipped it. */
	skipped: number;
}

/** A whole run in numbers. */
export interface EvalSummary {
	items: number;
	itemsWithGold: number;
	/** Items that could not be evaluated (their `error`). */
	errors: number;
	/** Judge verdicts that stayed malformed after retries. */
	judgeFailures: number;
	/** Cut-off of the retrieval metrics (null when items disagree or there are none). */
	k: number | null;
	metrics: Partial<Record<MetricName, MetricSummary>>;
	latencyMs: { p50: number | null; p95: number | null; mean: number | null; count: number };
}

/** Means, counts and latency percentiles of a run's item results. */
export function aggregateResults(results: EvalItemResult[]): EvalSummary {
	const metrics: EvalSummary['metrics'] = {};
	for (const metric of METRIC_NAMES) {
		const values = results.map((result) => result.metrics[metric]).filter((value): value is number => typeof value === 'number');
		const skipped = results.filter((result) => result.skipped.some((entry) => entry.metric === metric)).length;
		if (values.length === 0 && skipped === 0) continue;
		metrics[metric] = {
			mean: values.length ? round(values.reduce((sum, value) => sum + value, 0) / values.length) : null,
			min: values.length ? Math.min(...values) : null,
			max: values.length ? Math.max(...values) : null,
			count: values.length,
			skipped,
		};
	}
	const latencies = results.map((result) => result.latencyMs).filter((value): value is number => typeof value === 'number');
	const ks = new Set(results.map((result) => result.k));
	return {
		items: results.length,
		itemsWithGold: results.filter((result) => result.hasGold).length,
		errors: results.filter((result) => result.error).length,
		judgeFailures: results.reduce((sum, result) => sum + result.judgeFailures.length, 0),
		k: ks.size === 1 ? [...ks][0] : null,
		metrics,
		latencyMs: {
			p50: percentile(latencies, 50),
			p95: percentile(latencies, 95),
			mean: latencies.length ? Math.round(latencies.reduce((sum, value) => sum + value, 0) / latencies.length) : null,
			count: latencies.length,
		},
	};
}

/** Nearest-rank percentile: the smallest value with at least p% of the values at or below it. */
export function percentile(values: number[], p: number): number | null {
	if (values.length === 0) return null;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1];
}

function round(value: number): number {
	return Math.round(value * 1e6) / 1e6;
}
