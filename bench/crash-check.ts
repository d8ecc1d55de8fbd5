import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RowDataPacket } from 'mysql2/promise';
import type { GitRepo } from '../test/support/git-repo';
import {
	createIndexEnv,
	snapshotIndex,
	type IndexEnv,
	type IndexSnapshot,
} from '../test/support/index-env';
import { compareSnapshots } from './snapshot-compare';
import { syncAndKillHalfway } from './sync-and-kill';
import { timedSync } from './timed-sync';

export interface CrashCheckOptions {
	repo: GitRepo;
	repoKey: string;
	/** Paths of the current commit to modify (every tenth is deleted instead). */
	paths: string[];
	log: (line: string) => void;
}

export interface CrashCheckResult {
	/** Killed mid-run, left running, reconciled, and then equal to a fresh index. */
	consistent: boolean;
	killedAtFiles: number;
	filesToProcess: number;
	runLeftRunning: boolean;
	reconciled: boolean;
	/** Chunks the re-run deleted (orphans the killed run left in Chroma included). */
	chunksDeleted: number;
	rerunMs: number;
	chunks: number;
	sharedContentVectors: number;
	mismatches: string[];
}

/**
 * Indexes the current commit with the settings of test/support/sync-child.ts (hash:64 embedder,
 * 200-token chunks), commits changes, SIGKILLs a child syncing them halfway, re-runs in this
 * process and compares the result with a fresh index of the new commit.
 */
export async function crashCheck(options: CrashCheckOptions): Promise<CrashCheckResult> {
	const { repo, repoKey, log } = options;
	const sync = (env: IndexEnv) => timedSync(env, { repoPath: repo.path, repoKey, ref: 'main' });
	const env = await createIndexEnv();
	try {
		log(`crash check: indexing the base commit (${env.deps.embedder.modelId})`);
		await sync(env);
		const [baseChunks] = await env.pool.query<RowDataPacket[]>(
			'SELECT content_hash, path FROM repomind_chunks',
		);
		const changed = await commitChanges(repo, options.paths);
		log(`crash check: a child syncs ${changed} changed files and is killed halfway`);
		const child = await syncAndKillHalfway(env, repo.path, repoKey);
		const [runs] = await env.pool.query<RowDataPacket[]>(
			'SELECT status FROM repomind_index_runs ORDER BY id DESC LIMIT 1',
		);
		const rerun = await sync(env);
		const reconciled = rerun.report.reconciled;
		log(`crash check: re-run in ${rerun.ms} ms (reconciled: ${reconciled}); indexing afresh`);
		const repaired = await snapshotIndex(env, repoKey, 'main');
		const fresh = await freshSnapshot(sync, repoKey);
		const { mismatches, sharedContentVectors } = compareSnapshots(repaired, fresh, baseChunks);
		const runLeftRunning = runs[0]?.status === 'running';
		return {
			consistent: child.killed && runLeftRunning && reconciled && mismatches.length === 0,
			killedAtFiles: child.filesDone,
			filesToProcess: child.filesTotal,
			runLeftRunning,
			reconciled,
			chunksDeleted: rerun.report.chunksDeleted,
			rerunMs: rerun.ms,
			chunks: repaired.chromaIds.length,
			sharedContentVectors,
			mismatches,
		};
	} finally {
		await env.close();
	}
}

async function freshSnapshot(
	sync: (env: IndexEnv) => Promise<unknown>,
	repoKey: string,
): Promise<IndexSnapshot> {
	const fresh = await createIndexEnv();
	try {
		await sync(fresh);
		return await snapshotIndex(fresh, repoKey, 'main');
	} finally {
		await fresh.close();
	}
}

/** Appends a function to most paths, deletes every tenth, adds two files; returns the count. */
async function commitChanges(repo: GitRepo, paths: string[]): Promise<number> {
	const deleted = paths.filter((_, i) => i % 10 === 9);
	const modified: Record<string, string> = {};
	for (const path of paths.filter((_, i) => i % 10 !== 9)) {
		const text = await readFile(join(repo.path, path), 'utf8');
		const marker = `export function crashCheckMarker() {\n\treturn ${JSON.stringify(path)};\n}\n`;
		modified[path] = `${text}\n${marker}`;
	}
	modified['src/crash-check/added-a.ts'] = 'export const addedA = (value: number) => value * 2;\n';
	modified['src/crash-check/added-b.ts'] = 'export const addedB = (value: number) => value + 2;\n';
	await repo.writeFiles(modified);
	await repo.deleteFiles(deleted);
	await repo.commit('changes for the crash check');
	return Object.keys(modified).length + deleted.length;
}
