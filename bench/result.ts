import type { Codebase } from './codebase';
import type { CrashCheckResult } from './crash-check';
import { ONNX_MODEL_DESCRIPTION, type OnnxRunResult } from './onnx-run';
import type { TimedSync } from './timed-sync';

export interface BenchRuns {
	codebase: Codebase;
	full: TimedSync;
	noop: TimedSync;
	oneFile: TimedSync;
	deletion: TimedSync;
	staleAfterDelete: number;
	deletedChunksBefore: number;
	onnx: OnnxRunResult;
	crash: CrashCheckResult;
}

/** Phase times as `name ms (calls)`, largest first. */
export function phaseLine(phases: TimedSync['phases']): string {
	return Object.entries(phases)
		.filter(([, time]) => time.ms >= 1)
		.map(([phase, time]) => `${phase} ${time.ms} ms (${time.calls})`)
		.join(', ');
}

/** Phase milliseconds only, for the JSON line. */
function phaseMs(phases: TimedSync['phases']): Record<string, number> {
	return Object.fromEntries(Object.entries(phases).filter(([, time]) => time.ms >= 1).map(([phase, time]) => [phase, time.ms]));
}

const perSecond = (count: number, ms: number) => Math.round((count / (ms / 1000)) * 10) / 10;

/** The benchmark's JSON result: every figure comes from the runs passed in. */
export function benchResult(runs: BenchRuns) {
	const { full, noop, oneFile, deletion, onnx, crash } = runs;
	const indexedFiles = full.report.filesSeen - full.report.skipped.length;
	return {
		codebase: `node_modules/${runs.codebase.origin}`,
		files_in_repo: runs.codebase.files,
		files_skipped: full.report.skipped.length,
		files: indexedFiles,
		chunks: full.report.chunksUpserted,
		full_ms: full.ms,
		full_embedded: full.report.embedded,
		noop_ms: noop.ms,
		noop_embedded: noop.report.embedded,
		noop_upserted: noop.report.chunksUpserted,
		one_file_ms: oneFile.ms,
		one_file_embedded: oneFile.report.embedded,
		one_file_upserted: oneFile.report.chunksUpserted,
		ratio_full_to_one_file: Math.round((full.ms / oneFile.ms) * 10) / 10,
		delete_ms: deletion.ms,
		deleted_file_chunks_before: runs.deletedChunksBefore,
		stale_after_delete: runs.staleAfterDelete,
		crash_rerun_consistent: crash.consistent,
		crash_killed_at_files: `${crash.killedAtFiles}/${crash.filesToProcess}`,
		crash_orphans_deleted: crash.orphansDeleted,
		crash_rerun_ms: crash.rerunMs,
		crash_compared_chunks: crash.chunks,
		chunks_per_s_zero_embedder: perSecond(full.report.chunksUpserted, full.ms),
		onnx_model: ONNX_MODEL_DESCRIPTION,
		onnx_subset_files: onnx.subsetFiles,
		onnx_chunks: onnx.sync.report.chunksUpserted,
		onnx_embedded: onnx.sync.report.embedded,
		onnx_full_ms: onnx.sync.ms,
		onnx_chunks_per_s: perSecond(onnx.sync.report.chunksUpserted, onnx.sync.ms),
		onnx_ms_per_text: Math.round(onnx.msPerText * 100) / 100,
		full_phases_ms: phaseMs(full.phases),
		one_file_phases_ms: phaseMs(oneFile.phases),
		onnx_phases_ms: phaseMs(onnx.sync.phases),
	};
}
