import { performance } from 'node:perf_hooks';
import type { RowDataPacket } from 'mysql2/promise';
import { LocalGitSource } from '../lib/source';
import { syncRepository, type SyncDependencies, type SyncReport } from '../lib/sync';
import type { IndexEnv } from '../test/support/index-env';
import { PhaseTimer, type PhaseTime } from './phase-timer';

/** One measured sync: its report, wall time and where the time went. */
export interface TimedSync {
	report: SyncReport;
	ms: number;
	phases: Record<string, PhaseTime>;
}

export interface TimedSyncOptions {
	repoPath: string;
	repoKey: string;
	ref: string;
	/** Replaces services of the environment (another embedder, a narrower filter). */
	overrides?: Partial<SyncDependencies>;
	log?: (line: string) => void;
}

/** The service methods whose time is reported, by dependency. */
const TIMED: Record<string, string[]> = {
	state: [
		'ensureRef', 'loadFiles', 'indexedBlobs', 'writeFiles', 'removeFiles', 'markIndexed',
		'markDirty', 'startRun', 'finishRun', 'previousRunStatus', 'allChunkIds', 'chunksByIds',
	],
	cache: ['get', 'embed'],
	vectors: ['collection', 'upsert', 'deleteIds', 'listIds'],
	embedder: ['embed'],
	chunker: ['chunk'],
	filter: ['checkEntry', 'checkContent'],
};

/** Runs one sync of the local repository (default batch sizes) with every service call timed. */
export async function timedSync(env: IndexEnv, options: TimedSyncOptions): Promise<TimedSync> {
	const timer = new PhaseTimer();
	const services = Object.entries({ ...env.deps, ...options.overrides });
	const timed = services.map(([name, service]) => {
		return [name, timer.wrap(service, name, TIMED[name] ?? [])];
	});
	const deps = Object.fromEntries(timed) as SyncDependencies;
	const git = new LocalGitSource({ path: options.repoPath, repoKey: options.repoKey });
	const source = timer.wrap(git, 'source', ['resolveRef', 'listTree', 'readBlob']);
	let lastLog = 0;
	const started = performance.now();
	try {
		const report = await syncRepository(source, deps, {
			ref: options.ref,
			onProgress: (progress) => {
				const now = performance.now();
				const between = progress.phase === 'indexing' && progress.filesDone < progress.filesTotal;
				if (between && now - lastLog < 2000) return;
				lastLog = now;
				const { phase, filesDone, filesTotal, chunksUpserted, embedded } = progress;
				const counts = `${chunksUpserted} chunks upserted, ${embedded} embedded`;
				options.log?.(`  ${phase} ${filesDone}/${filesTotal} files, ${counts}`);
			},
		});
		return { report, ms: Math.round(performance.now() - started), phases: timer.summary() };
	} finally {
		await git.close();
	}
}

/** Chunks of one path left for a ref in Chroma and in MySQL. */
export async function chunksOfPath(
	env: IndexEnv,
	repoKey: string,
	ref: string,
	path: string,
): Promise<{ chroma: number; mysql: number }> {
	const row = await env.deps.state.findRef(repoKey, ref, env.deps.embedder.modelId);
	if (!row) throw new Error(`no index for ${repoKey}@${ref}`);
	const ids = await env.deps.vectors.listIds(row.collection, { $and: [{ ref }, { path }] });
	const [rows] = await env.pool.query<RowDataPacket[]>(
		'SELECT COUNT(*) AS n FROM repomind_chunks WHERE ref_id = ? AND path = ?',
		[row.id, path],
	);
	return { chroma: ids.length, mysql: Number(rows[0].n) };
}
