import type { FinishedRun } from './finish-run';
import { METRIC_NAMES } from './types';

/** A plain-text table of a run: one line per metric (mean, items, skipped, delta), latency, regressions. */
export function formatRunReport(run: FinishedRun, maxRegressions = 10): string {
	const { summary, comparison } = run;
	const deltas = new Map(comparison?.metrics.map((entry) => [entry.metric, entry.delta]) ?? []);
	const header = ['metric', 'mean', 'items', 'skipped'];
	if (comparison) header.push(`vs run ${comparison.baselineRunId ?? '?'}`);
	const rows = [header];
	for (const metric of METRIC_NAMES) {
		const entry = summary.metrics[metric];
		if (!entry) continue;
		const row = [metric, fixed(entry.mean), String(entry.count), String(entry.skipped)];
		if (comparison) row.push(signed(deltas.get(metric) ?? null));
		rows.push(row);
	}
	const widths = header.map((_, column) => Math.max(...rows.map((row) => row[column].length)));
	const lines = rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  '));
	lines.splice(1, 0, widths.map((width) => '-'.repeat(width)).join('  '));
	const title = `Evaluation${run.runId ? ` run ${run.runId}` : ''}: ${summary.items} items, ${summary.itemsWithGold} with gold, k=${summary.k ?? 'mixed'}, ${summary.errors} errors, ${summary.judgeFailures} judge failures`;
	const latency = `latency p50 ${ms(summary.latencyMs.p50)}, p95 ${ms(summary.latencyMs.p95)}`;
	const out = [title, '', ...lines, '', comparison ? `${latency} (p50 ${signedMs(comparison.latencyMs.p50Delta)}, p95 ${signedMs(comparison.latencyMs.p95Delta)})` : latency];
	if (comparison) {
		out.push(`${comparison.matchedItems} questions in both runs; ${comparison.worse.length} item metrics worse, ${comparison.better} better`);
		for (const entry of comparison.worse.slice(0, maxRegressions)) {
			out.push(`  worse: ${entry.metric} ${fixed(entry.baseline)} -> ${fixed(entry.current)}  ${oneLine(entry.question)}`);
		}
		if (comparison.worse.length > maxRegressions) out.push(`  … and ${comparison.worse.length - maxRegressions} more`);
	}
	return out.join('\n');
}

function fixed(value: number | null): string {
	return value === null ? '-' : value.toFixed(3);
}

function signed(value: number | null): string {
	return value === null ? '-' : `${value >= 0 ? '+' : ''}${value.toFixed(3)}`;
}

function ms(value: number | null): string {
	return value === null ? '-' : `${value} ms`;
}

function signedMs(value: number | null): string {
	return value === null ? '-' : `${value >= 0 ? '+' : ''}${value} ms`;
}

function oneLine(text: string): string {
	const flat = text.replace(/\s+/g, ' ').trim();
	return flat.length > 80 ? `${flat.slice(0, 80)}…` : flat;
}
