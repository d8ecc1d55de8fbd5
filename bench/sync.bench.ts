/**
 * `npm run bench:sync`: full index, no-op, one-file change, delete and crash repair of a real
 * 2,500-file codebase against real MySQL and Chroma, then the same full index with a local ONNX
 * model. Progress lines first; the last line is one JSON object with every figure measured.
 */
import { performance } from 'node:perf_hooks';
import type { RowDataPacket } from 'mysql2/promise';
import { embeddingHeader } from '../lib/chunk/layout';
import { HashEmbedder } from '../lib/embed';
import { createIndexEnv, type IndexEnv } from '../test/support/index-env';
import { buildCodebase } from './codebase';
import { crashCheck } from './crash-check';
import { waitForChromaToSettle } from './chroma-settle';
import { incrementalRuns } from './incremental-runs';
import { ONNX_MODEL_DESCRIPTION, onnxFullIndex } from './onnx-run';
import { benchResult, phaseLine, wallBreakdown } from './result';
import { timedSync, type TimedSync } from './timed-sync';

const REPO_KEY = 'local:bench';
const ONNX_BUDGET_MS = 120_000;
const CRASH_CHECK_FILES = 60;

const log = (line: string) => process.stdout.write(`[bench] ${line}\n`);
const cleanups: Array<() => Promise<void>> = [];

async function cleanUp(): Promise<void> {
	for (const cleanup of cleanups.splice(0).reverse()) {
		await cleanup().catch((error: unknown) => log(`cleanup failed: ${String(error)}`));
	}
}

function measured(label: string, sync: TimedSync): TimedSync {
	const { filesChanged, chunksUpserted, embedded, chunksDeleted } = sync.report;
	const counts = `${chunksUpserted} chunks upserted, ${embedded} embedded, ${chunksDeleted} deleted`;
	log(`${label}: ${sync.ms} ms, ${filesChanged} files processed, ${counts}`);
	log(`${label} phases (summed): ${phaseLine(sync.phases)}`);
	return sync;
}

/** Embedding texts of stored chunks (header and content, as the chunker builds them). */
async function sampleTexts(env: IndexEnv, count: number): Promise<string[]> {
	const [rows] = await env.pool.query<RowDataPacket[]>(
		'SELECT path, symbol, content FROM repomind_chunks ORDER BY id LIMIT ?',
		[count],
	);
	return rows.map((row) => embeddingHeader(row.path, row.symbol) + row.content);
}

/** `count` paths spread evenly over the list. */
function spread(paths: string[], count: number): string[] {
	const at = (i: number) => paths[Math.floor((i * paths.length) / count)];
	const picked = Array.from({ length: count }, (_, i) => at(i));
	return [...new Set(picked)];
}

async function main(): Promise<void> {
	const started = performance.now();
	log('copying the codebase into a new git repository');
	const codebase = await buildCodebase();
	cleanups.push(() => codebase.repo.dispose());
	const { repo, keptPaths } = codebase;
	const megabytes = (codebase.bytes / 1e6).toFixed(1);
	log(`${codebase.files} files (${megabytes} MB) from node_modules/${codebase.origin}`);
	log(`the default file filter keeps ${keptPaths.length} of them`);

	log('starting a MySQL database and a Chroma server');
	const embedder = new HashEmbedder({ dimensions: 384 });
	const env = await createIndexEnv({ embedder, chunker: {} });
	cleanups.push(() => env.close());
	const sync = (label: string) => {
		const run = timedSync(env, { repoPath: repo.path, repoKey: REPO_KEY, ref: 'main', log });
		return run.then((timed) => measured(label, timed));
	};

	log('full index (hash:384 embedder, default chunker, batch and read settings)');
	const full = await sync('full');
	log(`full wall time by phase: ${JSON.stringify(wallBreakdown(full))}`);
	const chromaSettleMs = await waitForChromaToSettle(env.chroma.pid);
	log(`Chroma finished its background indexing ${chromaSettleMs} ms after the full index`);
	const incremental = await incrementalRuns({ env, repo, repoKey: REPO_KEY, repeats: 3, sync, log });
	const { deletedPath } = incremental;

	log(`ONNX full index: ${ONNX_MODEL_DESCRIPTION}`);
	const onnx = await onnxFullIndex({
		env,
		repoPath: repo.path,
		repoKey: REPO_KEY,
		paths: keptPaths.filter((path) => path !== deletedPath),
		sampleTexts: await sampleTexts(env, 128),
		nonEmbedMs: full.ms - (full.phases['embedder.embed']?.ms ?? 0),
		textsToEmbed: full.report.embedded,
		budgetMs: ONNX_BUDGET_MS,
		log,
	});
	measured('onnx', onnx.sync);
	log(`onnx wall time by phase: ${JSON.stringify(wallBreakdown(onnx.sync))}`);

	const edited = new Set(incremental.oneFile.map((run) => run.path));
	const untouched = keptPaths.filter((path) => path !== deletedPath && !edited.has(path));
	const crash = await crashCheck({
		repo,
		repoKey: REPO_KEY,
		paths: spread(untouched, CRASH_CHECK_FILES),
		log,
	});
	const killedAt = `${crash.killedAtFiles}/${crash.filesToProcess}`;
	log(`crash check: killed at ${killedAt} files, consistent: ${crash.consistent}`);
	for (const mismatch of crash.mismatches) log(`crash check mismatch: ${mismatch}`);

	await cleanUp();
	const totalMs = Math.round(performance.now() - started);
	const runs = { codebase, full, incremental, onnx, crash, chromaSettleMs, totalMs };
	process.stdout.write(`${JSON.stringify(benchResult(runs))}\n`);
}

async function fail(error: unknown): Promise<never> {
	process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
	await cleanUp();
	process.exit(1);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
}
process.stdout.on('error', () => undefined);
process.once('uncaughtException', (error) => void fail(error));

main().catch(fail);
