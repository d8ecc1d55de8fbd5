import type { EvalSummary } from './aggregate';
import { METRIC_NAMES, type EvalItemResult, type MetricName } from './types';

/** A run's numbers and items, as compared. */
export interface ComparableRun {
	runId?: number | null;
	summary: EvalSummary;
	results: EvalItemResult[];
}

/** How one metric's mean moved. */
export interface MetricDelta {
	metric: MetricName;
	current: number | null;
	baseline: number | null;
	/** current - baseline; null when either is missing. */
	delta: number | null;
}

/** One question that scored lower on one metric than in the baseline. */
export interface ItemRegression {
	id: string;
	question: string;
	metric: MetricName;
	baseline: number;
	current: number;
	delta: number;
}

/** A run against an earlier one. */
export interface RunComparison {
	baselineRunId: number | null;
	metrics: MetricDelta[];
	latencyMs: { p50Delta: number | null; p95Delta: number | null };
	/** Questions in both runs (matched by item id). */
	matchedItems: number;
	/** Item-metric pairs that got worse, worst first. */
	worse: ItemRegression[];
	/** Item-metric pairs that got better. */
	better: number;
	onlyInCurrent: string[];
	onlyInBaseline: string[];
}

/** Longest item key stored (VARCHAR(191)); both runs are matched on it. */
export const ITEM_KEY_CHARS = 191;

/** The key an item is matched on across runs. */
export function itemKey(id: string): string {
	return id.slice(0, ITEM_KEY_CHARS);
}

/** Deltas of every metric mean and of latency, and which questions got worse (beyond `tolerance`). */
export function compareRuns(current: ComparableRun, baseline: ComparableRun, tolerance = 1e-9): RunComparison {
	const metrics: MetricDelta[] = [];
	for (const metric of METRIC_NAMES) {
		const now = current.summary.metrics[metric]?.mean ?? null;
		const before = baseline.summary.metrics[metric]?.mean ?? null;
		if (now === null && before === null) continue;
		metrics.push({ metric, current: now, baseline: before, delta: now !== null && before !== null ? round(now - before) : null });
	}
	const baselineItems = new Map(baseline.results.map((result) => [itemKey(result.id), result]));
	const currentKeys = new Set(current.results.map((result) => itemKey(result.id)));
	const worse: ItemRegression[] = [];
	let better = 0;
	let matchedItems = 0;
	for (const result of current.results) {
		const before = baselineItems.get(itemKey(result.id));
		if (!before) continue;
		matchedItems += 1;
		for (const metric of METRIC_NAMES) {
			const now = result.metrics[metric];
			const then = before.metrics[metric];
			if (typeof now !== 'number' || typeof then !== 'number') continue;
			if (now < then - tolerance) worse.push({ id: result.id, question: result.question, metric, baseline: then, current: now, delta: round(now - then) });
			else if (now > then + tolerance) better += 1;
		}
	}
	worse.sort((a, b) => a.delta - b.delta || a.id.localeCompare(b.id) || a.metric.localeCompare(b.metric));
	const latency = (key: 'p50' | 'p95') => {
		const now = current.summary.latencyMs[key];
		const then = baseline.summary.latencyMs[key];
		return now !== null && then !== null ? now - then : null;
	};
	return {
		baselineRunId: baseline.runId ?? null,
		metrics,
		latencyMs: { p50Delta: latency('p50'), p95Delta: latency('p95') },
		matchedItems,
		worse,
		better,
		onlyInCurrent: [...currentKeys].filter((key) => !baselineItems.has(key)),
		onlyInBaseline: [...baselineItems.keys()].filter((key) => !currentKeys.has(key)),
	};
}

function round(value: number): number {
	return Math.round(value * 1e6) / 1e6;
}
