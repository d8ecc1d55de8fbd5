import type { Codebase } from './codebase';
import type { CrashCheckResult } from './crash-check';
import { medianRun, type IncrementalRuns } from './incremental-runs';
import { ONNX_MODEL_DESCRIPTION, type OnnxRunResult } from './onnx-run';
import type { TimedSync } from './timed-sync';

export interface BenchRuns {
	codebase: Codebase;
	full: TimedSync;
	incremental: IncrementalRuns;
	onnx: OnnxRunResult;
	crash: CrashCheckResult;
	/** Wait after the full index until Chroma's background indexing was done. */
	chromaSettleMs: number;
	totalMs: number;
}

/** Phase times as `name ms (calls)`, largest first. */
export function phaseLine(phases: TimedSync['phases']): string {
	return Object.entries(phases)
		.filter(([, time]) => time.ms >= 1)
		.map(([phase, time]) => `${phase} ${time.ms} ms (${time.calls})`)
		.join(', ');
}

/** Phase milliseconds of 1 or more, for the JSON line. */
function phaseMs(phases: TimedSync['phases']): Record<string, number> {
	const entries = Object.entries(phases).filter(([, time]) => time.ms >= 1);
	return Object.fromEntries(entries.map(([phase, time]) => [phase, time.ms]));
}

/**
 * Wall time of a full index by phase. The engine runs each batch's steps one after the other, so the
 * sequential phases add up; blob reads overlap chunking and are what remains of the wall time.
 */
export function wallBreakdown(sync: TimedSync): Record<string, number> {
	const ms = (phase: string) => sync.phases[phase]?.ms ?? 0;
	const breakdown = {
		tree_listing: ms('source.listTree'),
		chunking_and_token_counting: ms('chunker.chunk'),
		content_checks: ms('filter.checkContent'),
		cache_lookup_and_store:
			ms('cache.get') + ms('state.indexedBlobs') + ms('cache.embed') - ms('embedder.embed'),
		embedding: ms('embedder.embed'),
		chroma_upsert: ms('vectors.upsert'),
		chroma_delete: ms('vectors.deleteIds'),
		mysql_insert: ms('state.writeFiles'),
	};
	const measured = Object.values(breakdown).reduce((sum, value) => sum + value, 0);
	return { ...breakdown, blob_reads_and_other: Math.max(0, sync.ms - measured) };
}

const perSecond = (count: number, ms: number) => Math.round((count / (ms / 1000)) * 10) / 10;

/** The benchmark's JSON result: every figure comes from the runs passed in. */
export function benchResult(runs: BenchRuns) {
	const { full, incremental, onnx, crash } = runs;
	const noop = medianRun(incremental.noop);
	const oneFileRuns = incremental.oneFile.map((run) => run.sync);
	const oneFile = medianRun(oneFileRuns);
	const sum = (runs: TimedSync[], count: (run: TimedSync) => number) =>
		runs.reduce((total, run) => total + count(run), 0);
	return {
		codebase: `node_modules/${runs.codebase.origin}`,
		files_in_repo: runs.codebase.files,
		files_skipped: full.report.skipped.length,
		files: full.report.filesSeen - full.report.skipped.length,
		chunks: full.report.chunksUpserted,
		full_ms: full.ms,
		full_embedded: full.report.embedded,
		noop_ms: noop.ms,
		noop_runs_ms: incremental.noop.map((run) => run.ms),
		noop_embedded: sum(incremental.noop, (run) => run.report.embedded),
		noop_upserted: sum(incremental.noop, (run) => run.report.chunksUpserted),
		one_file_ms: oneFile.ms,
		one_file_runs_ms: oneFileRuns.map((run) => run.ms),
		one_file_embedded: Math.max(...oneFileRuns.map((run) => run.report.embedded)),
		one_file_upserted: Math.max(...oneFileRuns.map((run) => run.report.chunksUpserted)),
		ratio_full_to_one_file: Math.round((full.ms / oneFile.ms) * 10) / 10,
		chroma_settle_ms_before_incremental: runs.chromaSettleMs,
		delete_ms: incremental.deletion.ms,
		deleted_file_chunks_before: incremental.deletedChunks.before,
		stale_after_delete: incremental.deletedChunks.after,
		crash_rerun_consistent: crash.consistent,
		crash_killed_at_files: `${crash.killedAtFiles}/${crash.filesToProcess}`,
		crash_rerun_reconciled: crash.reconciled,
		crash_rerun_chunks_deleted: crash.chunksDeleted,
		crash_rerun_ms: crash.rerunMs,
		crash_compared_chunks: crash.chunks,
		crash_shared_content_vectors: crash.sharedContentVectors,
		chunks_per_s_zero_embedder: perSecond(full.report.chunksUpserted, full.ms),
		onnx_model: ONNX_MODEL_DESCRIPTION,
		onnx_subset_files: onnx.subsetFiles,
		onnx_chunks: onnx.sync.report.chunksUpserted,
		onnx_embedded: onnx.sync.report.embedded,
		onnx_full_ms: onnx.sync.ms,
		onnx_estimated_full_ms: onnx.estimatedFullMs,
		onnx_chunks_per_s: perSecond(onnx.sync.report.chunksUpserted, onnx.sync.ms),
		onnx_ms_per_text: Math.round(onnx.msPerText * 100) / 100,
		total_ms: runs.totalMs,
		full_wall_ms_by_phase: wallBreakdown(full),
		onnx_wall_ms_by_phase: wallBreakdown(onnx.sync),
		full_phases_ms: phaseMs(full.phases),
		one_file_phases_ms: phaseMs(oneFile.phases),
	};
}
