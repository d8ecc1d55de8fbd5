import type { RowDataPacket } from 'mysql2/promise';
import type { GitRepo } from '../test/support/git-repo';
import type { IndexEnv } from '../test/support/index-env';
import { chunksOfPath, type TimedSync } from './timed-sync';

/** Timed no-op, one-file and delete syncs after a full index. */
export interface IncrementalRuns {
	noop: TimedSync[];
	oneFile: Array<{ path: string; sync: TimedSync }>;
	deletion: TimedSync;
	deletedPath: string;
	/** Chunks of the deleted path before, and left in Chroma plus MySQL after. */
	deletedChunks: { before: number; after: number };
}

export interface IncrementalOptions {
	env: IndexEnv;
	repo: GitRepo;
	repoKey: string;
	/** Times of no-op and one-file syncs (the median is reported). */
	repeats: number;
	sync: (label: string) => Promise<TimedSync>;
	log: (line: string) => void;
}

/** JavaScript files of 4+ chunks in the index, by path. */
async function multiChunkFiles(env: IndexEnv): Promise<string[]> {
	const [rows] = await env.pool.query<RowDataPacket[]>(
		"SELECT path FROM repomind_files WHERE chunk_count >= 4 AND path LIKE '%.js' ORDER BY path",
	);
	return rows.map((row) => String(row.path));
}

/** No-op syncs, then one-file edits (one commit and sync each), then one file deleted. */
export async function incrementalRuns(options: IncrementalOptions): Promise<IncrementalRuns> {
	const { env, repo, repoKey, repeats, sync, log } = options;
	const noop: TimedSync[] = [];
	for (let i = 0; i < repeats; i++) noop.push(await sync('no-op'));

	const candidates = await multiChunkFiles(env);
	if (candidates.length < repeats + 1) throw new Error('too few JavaScript files of 4+ chunks');
	const pick = (fraction: number) => candidates[Math.floor(candidates.length * fraction)];
	const deletedPath = pick(1 / 3);
	const oneFile: IncrementalRuns['oneFile'] = [];
	for (let i = 0; i < repeats; i++) {
		const path = pick(1 / 2 + i / (4 * repeats));
		const original = await repo.git('show', `HEAD:${path}`);
		const addition = `export function benchMarker${i}(value) {\n\treturn value === 'bench';\n}\n`;
		await repo.writeFiles({ [path]: `${original}\n${addition}` });
		await repo.commit(`edit ${path}`);
		oneFile.push({ path, sync: await sync(`one file (${path})`) });
	}

	const before = await chunksOfPath(env, repoKey, 'main', deletedPath);
	await repo.deleteFiles([deletedPath]);
	await repo.commit(`delete ${deletedPath}`);
	const deletion = await sync(`delete (${deletedPath}, ${before.chroma} chunks)`);
	const after = await chunksOfPath(env, repoKey, 'main', deletedPath);
	log(`chunks of ${deletedPath} left: Chroma ${after.chroma}, MySQL ${after.mysql}`);
	const deletedChunks = { before: before.chroma, after: after.chroma + after.mysql };
	return { noop, oneFile, deletion, deletedPath, deletedChunks };
}

/** The run of median wall time. */
export function medianRun(runs: TimedSync[]): TimedSync {
	return [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)];
}
