import assert from 'node:assert/strict';
import { LocalGitSource } from '../../lib/source';
import { syncRepository, type SyncReport } from '../../lib/sync';
import type { GitRepo } from './git-repo';
import { createIndexEnv, snapshotIndex, type IndexEnv, type IndexSnapshot } from './index-env';

export const FIXTURE_REPO_KEY = 'local:fixture';

/** Syncs the local repository at `ref` into the environment. */
export async function syncLocal(env: IndexEnv, repo: GitRepo, ref = 'main', batchFiles = 4): Promise<SyncReport> {
	const source = new LocalGitSource({ path: repo.path, repoKey: FIXTURE_REPO_KEY });
	try {
		return await syncRepository(source, env.deps, { ref, batchFiles });
	} finally {
		await source.close();
	}
}

/** Indexes the repository at `ref` from scratch in a new environment and returns its snapshot. */
export async function freshSnapshot(repo: GitRepo, ref = 'main'): Promise<IndexSnapshot> {
	const fresh = await createIndexEnv();
	try {
		await syncLocal(fresh, repo, ref);
		return await snapshotIndex(fresh, FIXTURE_REPO_KEY, ref);
	} finally {
		await fresh.close();
	}
}

/** Every chunk MySQL claims is in Chroma (the invariant that must hold even after a failure). */
export async function assertMySqlClaimsOnlyWhatChromaHas(env: IndexEnv, ref = 'main'): Promise<void> {
	const row = await env.deps.state.findRef(FIXTURE_REPO_KEY, ref, env.deps.embedder.modelId);
	if (!row) return;
	const held = new Set(await env.deps.vectors.listIds(row.collection, { ref }));
	const missing = (await env.deps.state.allChunkIds(row.id)).filter((id) => !held.has(id));
	assert.deepEqual(missing, [], 'MySQL claims chunks that Chroma lacks');
}

/**
 * Chroma ids, MySQL rows, Chroma content, metadata and vectors must equal a fresh index, and Chroma's
 * content MySQL's (vectors too after a rename or copy: the cache is keyed by the exact embedded text).
 */
export async function assertMatchesFresh(env: IndexEnv, repo: GitRepo, ref = 'main', fresh?: IndexSnapshot): Promise<IndexSnapshot> {
	const mine = await snapshotIndex(env, FIXTURE_REPO_KEY, ref);
	assert.deepEqual(mine.chromaIds, mine.mysqlChunkIds, 'Chroma and MySQL hold the same chunk ids');
	const { files, chunks, filesCounted, chunksCounted } = mine.refCounts;
	assert.deepEqual({ files, chunks }, { files: filesCounted, chunks: chunksCounted }, 'the ref row counts what is stored');
	assert.deepEqual(mine.chromaRecords.map((record) => record.content), mine.mysqlChunks.map((chunk) => chunk.content), 'Chroma holds the text MySQL holds');
	assert.deepEqual(mine, fresh ?? (await freshSnapshot(repo, ref)), 'the index equals a fresh index of the same commit');
	return mine;
}
