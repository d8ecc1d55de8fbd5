/**
 * `npm run bench:sync`: full index, no-op, one-file change, delete and crash-repair of a real
 * 2,500-file codebase against real MySQL and Chroma, then the same full index with a local ONNX
 * model. Progress lines first; the last line is one JSON object with every figure measured.
 */
import type { RowDataPacket } from 'mysql2/promise';
import { embeddingHeader } from '../lib/chunk/layout';
import { HashEmbedder } from '../lib/embed';
import { createIndexEnv, type IndexEnv } from '../test/support/index-env';
import { buildCodebase, type Codebase } from './codebase';
import { crashCheck } from './crash-check';
import { ONNX_MODEL_DESCRIPTION, onnxFullIndex } from './onnx-run';
import { benchResult, phaseLine } from './result';
import { chunksOfPath, timedSync, type TimedSync } from './timed-sync';

const REPO_KEY = 'local:bench';
const ONNX_BUDGET_MS = 110_000;
const CRASH_CHECK_FILES = 60;

const log = (line: string) => process.stdout.write(`[bench] ${line}\n`);
const cleanups: Array<() => Promise<void>> = [];

async function cleanUp(): Promise<void> {
	for (const cleanup of cleanups.splice(0).reverse()) {
		await cleanup().catch((error: unknown) => log(`cleanup failed: ${String(error)}`));
	}
}

/** Paths spread evenly over the list, `count` of them. */
function spread(paths: string[], count: number): string[] {
	return Array.from({ length: Math.min(count, paths.length) }, (_, i) => paths[Math.floor((i * paths.length) / count)]);
}

function measured(label: string, sync: TimedSync): TimedSync {
	const { report } = sync;
	log(`${label}: ${sync.ms} ms, ${report.filesChanged} files processed, ${report.chunksUpserted} chunks upserted, ${report.embedded} embedded, ${report.chunksDeleted} deleted`);
	log(`${label} phases: ${phaseLine(sync.phases)}`);
	return sync;
}

/** Two JavaScript files of several chunks, from the middle and the first third of the tree. */
async function multiChunkFiles(env: IndexEnv): Promise<[string, string]> {
	const [rows] = await env.pool.query<RowDataPacket[]>(
		"SELECT path FROM repomind_files WHERE chunk_count >= 4 AND path LIKE '%.js' ORDER BY path",
	);
	if (rows.length < 2) throw new Error('the codebase has too few JavaScript files of 4+ chunks');
	return [rows[Math.floor(rows.length / 2)].path, rows[Math.floor(rows.length / 3)].path];
}

/** Embedding texts of stored chunks (header and content, as the chunker builds them). */
async function sampleTexts(env: IndexEnv, count: number): Promise<string[]> {
	const [rows] = await env.pool.query<RowDataPacket[]>('SELECT path, symbol, content FROM repomind_chunks ORDER BY id LIMIT ?', [count]);
	return rows.map((row) => embeddingHeader(row.path, row.symbol) + row.content);
}

async function main(): Promise<void> {
	log('copying the codebase into a new git repository');
	const codebase: Codebase = await buildCodebase();
	cleanups.push(() => codebase.repo.dispose());
	const kept = codebase.keptPaths;
	log(`${codebase.files} files (${(codebase.bytes / 1e6).toFixed(1)} MB) from node_modules/${codebase.origin}; the default filter keeps ${kept.length}`);

	log('starting MySQL database and Chroma server');
	const env = await createIndexEnv({ embedder: new HashEmbedder({ dimensions: 384 }), chunker: {} });
	cleanups.push(() => env.close());
	const sync = () => timedSync(env, { repoPath: codebase.repo.path, repoKey: REPO_KEY, ref: 'main', log });

	log('full index (hash:384 embedder, default chunker and batch sizes)');
	const full = measured('full', await sync());
	const noop = measured('no-op', await sync());

	const [edited, deleted] = await multiChunkFiles(env);
	const original = await codebase.repo.git('show', `HEAD:${edited}`);
	await codebase.repo.writeFiles({ [edited]: `${original}\nexport function benchMarker(value) {\n\treturn value === 'bench';\n}\n` });
	await codebase.repo.commit(`edit ${edited}`);
	const oneFile = measured(`one file (${edited})`, await sync());

	const before = await chunksOfPath(env, REPO_KEY, 'main', deleted);
	await codebase.repo.deleteFiles([deleted]);
	await codebase.repo.commit(`delete ${deleted}`);
	const deletion = measured(`delete (${deleted}, ${before.chroma} chunks)`, await sync());
	const after = await chunksOfPath(env, REPO_KEY, 'main', deleted);
	log(`chunks of ${deleted} left: Chroma ${after.chroma}, MySQL ${after.mysql}`);

	log(`ONNX full index: ${ONNX_MODEL_DESCRIPTION}`);
	const onnx = await onnxFullIndex({
		env,
		repoPath: codebase.repo.path,
		repoKey: REPO_KEY,
		paths: kept.filter((path) => path !== deleted),
		sampleTexts: await sampleTexts(env, 128),
		nonEmbedMs: full.ms - (full.phases['embedder.embed']?.ms ?? 0),
		textsToEmbed: full.report.embedded,
		budgetMs: ONNX_BUDGET_MS,
		log,
	});
	measured('onnx', onnx.sync);

	const crashPaths = spread(kept.filter((path) => path !== deleted && path !== edited), CRASH_CHECK_FILES);
	const crash = await crashCheck({ repo: codebase.repo, repoKey: REPO_KEY, paths: crashPaths, log });
	log(`crash check: killed at ${crash.killedAtFiles}/${crash.filesToProcess} files, consistent=${crash.consistent} ${crash.mismatches.join('; ')}`);

	await cleanUp();
	const result = benchResult({ codebase, full, noop, oneFile, deletion, staleAfterDelete: after.chroma + after.mysql, deletedChunksBefore: before.chroma, onnx, crash });
	process.stdout.write(`${JSON.stringify(result)}\n`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
}

main().catch(async (error: unknown) => {
	process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
	await cleanUp();
	process.exit(1);
});
