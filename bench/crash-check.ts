import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { RowDataPacket } from 'mysql2/promise';
import type { GitRepo } from '../test/support/git-repo';
import { createIndexEnv, snapshotIndex, type IndexEnv, type IndexSnapshot } from '../test/support/index-env';
import { timedSync } from './timed-sync';

const ROOT = join(__dirname, '..');
const CHILD = join(ROOT, 'test', 'support', 'sync-child.ts');

export interface CrashCheckOptions {
	repo: GitRepo;
	repoKey: string;
	/** Paths of the current commit to modify (a few are deleted instead). */
	paths: string[];
	log: (line: string) => void;
}

export interface CrashCheckResult {
	consistent: boolean;
	killedAtFiles: number;
	filesToProcess: number;
	runLeftRunning: boolean;
	reconciled: boolean;
	orphansDeleted: number;
	rerunMs: number;
	chunks: number;
	/** Vectors that differ from the fresh index, all of content that also exists at another path. */
	sharedContentVectors: number;
	mismatches: string[];
}

/**
 * Indexes the current commit (hash:64 embedder, as test/support/sync-child.ts uses), commits changes,
 * SIGKILLs a child syncing them halfway, re-runs in this process and compares with a fresh index.
 */
export async function crashCheck(options: CrashCheckOptions): Promise<CrashCheckResult> {
	const { repo, repoKey, log } = options;
	const sync = (env: IndexEnv) => timedSync(env, { repoPath: repo.path, repoKey, ref: 'main' });
	const env = await createIndexEnv();
	try {
		log(`crash check: indexing the base commit (${env.deps.embedder.modelId})`);
		await sync(env);
		const [baseChunks] = await env.pool.query<RowDataPacket[]>('SELECT content_hash, path FROM repomind_chunks');
		const changed = await commitChanges(repo, options.paths);
		log(`crash check: child syncs ${changed} changed files and is killed halfway`);
		const child = await syncAndKillHalfway(env, repo, repoKey);
		const [runs] = await env.pool.query<RowDataPacket[]>('SELECT status FROM repomind_index_runs ORDER BY id DESC LIMIT 1');
		const rerun = await sync(env);
		log(`crash check: re-run reconciled=${rerun.report.reconciled} in ${rerun.ms} ms; indexing a fresh copy`);
		const repaired = await snapshotIndex(env, repoKey, 'main');
		const fresh = await freshSnapshot(sync, repoKey);
		const { mismatches, sharedContentVectors } = compareSnapshots(repaired, fresh, baseChunks);
		const runLeftRunning = runs[0]?.status === 'running';
		return {
			consistent: child.killed && runLeftRunning && rerun.report.reconciled && mismatches.length === 0,
			killedAtFiles: child.filesDone,
			filesToProcess: child.filesTotal,
			runLeftRunning,
			reconciled: rerun.report.reconciled,
			orphansDeleted: rerun.report.chunksDeleted,
			rerunMs: rerun.ms,
			chunks: repaired.chromaIds.length,
			sharedContentVectors,
			mismatches,
		};
	} finally {
		await env.close();
	}
}

async function freshSnapshot(sync: (env: IndexEnv) => Promise<unknown>, repoKey: string): Promise<IndexSnapshot> {
	const fresh = await createIndexEnv();
	try {
		await sync(fresh);
		return await snapshotIndex(fresh, repoKey, 'main');
	} finally {
		await fresh.close();
	}
}

/**
 * Names of the parts that differ (empty when the repaired index equals the fresh one). Vectors may
 * differ only for content found at another path too, in the base or the new commit: the cache keeps
 * the vector first computed for a content hash, whose header named the other path (as
 * test/support/sync-assert.ts documents for renames and copies).
 */
export function compareSnapshots(repaired: IndexSnapshot, fresh: IndexSnapshot, baseChunks: Array<Record<string, unknown>>): { mismatches: string[]; sharedContentVectors: number } {
	const mismatches: string[] = [];
	if (!isDeepStrictEqual(repaired.chromaIds, repaired.mysqlChunkIds)) mismatches.push('Chroma ids differ from MySQL chunk ids');
	for (const part of ['chromaIds', 'mysqlChunkIds', 'mysqlChunks', 'mysqlFiles'] as const) {
		if (!isDeepStrictEqual(repaired[part], fresh[part])) mismatches.push(`${part} differ from a fresh index`);
	}
	const withoutVector = ({ vector: _vector, ...rest }: IndexSnapshot['chromaRecords'][number]) => rest;
	if (!isDeepStrictEqual(repaired.chromaRecords.map(withoutVector), fresh.chromaRecords.map(withoutVector))) {
		mismatches.push('Chroma documents or metadata differ from a fresh index');
	}
	const pathsByContent = new Map<string, Set<string>>();
	for (const chunk of [...fresh.mysqlChunks, ...baseChunks]) {
		const paths = pathsByContent.get(String(chunk.content_hash)) ?? new Set<string>();
		pathsByContent.set(String(chunk.content_hash), paths.add(String(chunk.path)));
	}
	const contentOf = new Map(fresh.mysqlChunks.map((chunk) => [String(chunk.id), String(chunk.content_hash)]));
	let sharedContentVectors = 0;
	let otherVectors = 0;
	repaired.chromaRecords.forEach((record, i) => {
		if (isDeepStrictEqual(record.vector, fresh.chromaRecords[i]?.vector)) return;
		if ((pathsByContent.get(contentOf.get(record.id) ?? '')?.size ?? 0) > 1) sharedContentVectors += 1;
		else otherVectors += 1;
	});
	if (otherVectors > 0) mismatches.push(`${otherVectors} vectors of content found at one path only differ from a fresh index`);
	return { mismatches, sharedContentVectors };
}

/** Appends a function to most paths, deletes every tenth and adds two files; returns the files changed. */
async function commitChanges(repo: GitRepo, paths: string[]): Promise<number> {
	const deleted = paths.filter((_, i) => i % 10 === 9);
	const modified: Record<string, string> = {};
	for (const path of paths.filter((_, i) => i % 10 !== 9)) {
		const text = await readFile(join(repo.path, path), 'utf8');
		modified[path] = `${text}\nexport function crashCheckMarker() {\n\treturn ${JSON.stringify(path)};\n}\n`;
	}
	modified['src/crash-check/added-a.ts'] = 'export const addedA = (value: number) => value * 2;\n';
	modified['src/crash-check/added-b.ts'] = 'export const addedB = (value: number) => value + 2;\n';
	await repo.writeFiles(modified);
	await repo.deleteFiles(deleted);
	await repo.commit('changes for the crash check');
	return Object.keys(modified).length + deleted.length;
}

/** Runs test/support/sync-child.ts and SIGKILLs it once half of its files are done. */
function syncAndKillHalfway(env: IndexEnv, repo: GitRepo, repoKey: string): Promise<{ killed: boolean; filesDone: number; filesTotal: number }> {
	const config = { mysql: env.database.config, chromaUrl: env.chroma.url, repoPath: repo.path, repoKey, ref: 'main', embedDelayMs: 100 };
	const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(config)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
	let stderr = '';
	child.stderr.on('data', (data: Buffer) => (stderr = (stderr + data.toString()).slice(-4000)));
	return new Promise((resolve, reject) => {
		let buffered = '';
		let at = { filesDone: 0, filesTotal: 0 };
		child.stdout.on('data', (data: Buffer) => {
			buffered += data.toString();
			const lines = buffered.split('\n');
			buffered = lines.pop()!;
			for (const line of lines) {
				const progress = JSON.parse(line) as { phase: string; filesDone: number; filesTotal: number };
				if (at.filesDone > 0 || progress.phase !== 'indexing') continue;
				if (progress.filesDone * 2 >= progress.filesTotal && progress.filesDone > 0) {
					at = progress;
					child.kill('SIGKILL');
				}
			}
		});
		child.on('exit', (code, signal) => {
			if (signal === 'SIGKILL' || code === 0) resolve({ killed: signal === 'SIGKILL', ...at });
			else reject(new Error(`sync child failed (${code}): ${stderr}`));
		});
	});
}
