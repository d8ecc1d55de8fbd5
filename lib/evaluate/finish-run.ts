import { InvalidInputError } from '../errors';
import { aggregateResults, type EvalSummary } from './aggregate';
import { compareRuns, type RunComparison } from './compare';
import type { EvalStore } from './eval-store';
import type { EvalItemResult } from './types';

export interface FinishRunOptions {
	/** Where the run is stored; without it the run is only summarised. */
	store?: EvalStore;
	name?: string | null;
	repoKey?: string | null;
	ref?: string | null;
	settings?: Record<string, unknown> | null;
	/** An earlier stored run to compare with. */
	compareWith?: number | null;
}

/** A summarised (and possibly stored and compared) run. */
export interface FinishedRun {
	runId: number | null;
	summary: EvalSummary;
	comparison: RunComparison | null;
	results: EvalItemResult[];
}

/** Aggregate item results, compare with an earlier run, and store the run: the end of every evaluation (node and CLI). */
export async function finishRun(results: EvalItemResult[], options: FinishRunOptions = {}): Promise<FinishedRun> {
	const summary = aggregateResults(results);
	let comparison: RunComparison | null = null;
	if (options.compareWith) {
		if (!options.store) throw new InvalidInputError('Comparing with an earlier run needs the MySQL database that stores runs');
		const baseline = await options.store.requireRun(options.compareWith);
		comparison = compareRuns({ summary, results }, { runId: baseline.id, summary: baseline.summary, results: baseline.results });
	}
	const runId = options.store
		? await options.store.saveRun({
				name: options.name,
				repoKey: options.repoKey,
				ref: options.ref,
				settings: options.settings,
				summary,
				results,
				baselineRunId: options.compareWith || null,
			})
		: null;
	return { runId, summary, comparison, results };
}
