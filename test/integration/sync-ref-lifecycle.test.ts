import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RowDataPacket } from 'mysql2/promise';
import { LocalGitSource } from '../../lib/source';
import { refLockName } from '../../lib/store/ref-lock';
import { deleteRefIndex, syncRepository, SyncCancelledError } from '../../lib/sync';
import { ChromaVectorStore } from '../../lib/vector/chroma';
import { makeRepository } from '../support/fixture-repo';
import type { GitRepo } from '../support/git-repo';
import { createIndexEnv, type IndexEnv, type IndexSnapshot } from '../support/index-env';
import { SlowEmbedder } from '../support/slow-embedder';
import { assertMatchesFresh, FIXTURE_REPO_KEY, freshSnapshot, syncLocal } from '../support/sync-assert';

const REF = 'main';

describe('ref lifecycle: deletes, locks and cancels keep the index exact', () => {
	let env: IndexEnv;
	let repo: GitRepo;
	let expected: IndexSnapshot;
	let source: LocalGitSource;
	const key = () => ({ repoKey: FIXTURE_REPO_KEY, ref: REF, embeddingModel: env.deps.embedder.modelId });
	const collection = () => ChromaVectorStore.collectionName(FIXTURE_REPO_KEY, env.deps.embedder.modelId);

	before(async () => {
		env = await createIndexEnv({ embedder: new SlowEmbedder(150) });
		repo = await makeRepository();
		source = new LocalGitSource({ path: repo.path, repoKey: FIXTURE_REPO_KEY });
		expected = await freshSnapshot(repo, REF);
	});
	after(async () => {
		await source?.close();
		await env?.close();
		await repo?.dispose();
	});

	/** Kills the MySQL session that holds the ref's lock, as wait_timeout or a proxy would. */
	async function killLockSession(): Promise<void> {
		const [[row]] = await env.pool.query<RowDataPacket[]>('SELECT IS_USED_LOCK(?) AS holder', [refLockName(key())]);
		assert.ok(row.holder, 'a session holds the lock');
		await env.pool.query('KILL ?', [row.holder]);
	}

	it('a redelivered "branch deleted" event does not delete a branch that exists again', async () => {
		await syncLocal(env, repo, REF);
		const result = await deleteRefIndex(env.deps.state, env.deps.vectors, FIXTURE_REPO_KEY, REF, { source });
		assert.deepEqual(result.deleted, []);
		assert.match(result.keptBecause ?? '', /main still exists/);
		await assertMatchesFresh(env, repo, REF, expected);
		await repo.branch('gone');
		await syncLocal(env, repo, 'gone');
		await repo.git('branch', '-D', 'gone');
		const gone = await deleteRefIndex(env.deps.state, env.deps.vectors, FIXTURE_REPO_KEY, 'gone', { source });
		assert.equal(gone.deleted.length, 1, 'a ref the source no longer has is deleted');
	});

	it('finds the collection past the first 100 when deleting a ref index', async () => {
		await syncLocal(env, repo, REF);
		// Chroma lists collections in no fixed order, 100 to a page: with 121 collections, every one must be found.
		const fillers = Array.from({ length: 120 }, (_, i) => `repomind-filler-${String(i).padStart(3, '0')}`);
		const vectors = new ChromaVectorStore({ url: env.chroma.url });
		for (const name of fillers) await vectors.collection(name);
		const lookups = new ChromaVectorStore({ url: env.chroma.url });
		const missed: string[] = [];
		for (const name of [...fillers, collection()]) if (!(await lookups.findCollection(name))) missed.push(name);
		assert.deepEqual(missed, [], 'every existing collection is found');
		assert.equal(await lookups.findCollection('repomind-never-created'), null);
		await deleteRefIndex(env.deps.state, lookups, FIXTURE_REPO_KEY, REF);
		assert.deepEqual(await env.deps.vectors.listIds(collection(), { ref: REF }), [], 'no vector is left behind');
		for (const name of fillers) await vectors.dropCollection(name);
	});

	it('a sync that waited for the lock while the ref index was deleted indexes it again', async () => {
		await syncLocal(env, repo, REF);
		const slowDelete = new Proxy(env.deps.vectors, {
			get(target, property, receiver) {
				const value = Reflect.get(target, property, receiver);
				if (property !== 'deleteWhere') return typeof value === 'function' ? value.bind(target) : value;
				return async (...args: Parameters<ChromaVectorStore['deleteWhere']>) => {
					await new Promise((resolve) => setTimeout(resolve, 700));
					return target.deleteWhere(...args);
				};
			},
		});
		const deleting = deleteRefIndex(env.deps.state, slowDelete, FIXTURE_REPO_KEY, REF);
		await new Promise((resolve) => setTimeout(resolve, 300));
		const syncing = syncLocal(env, repo, REF);
		assert.equal((await deleting).deleted.length, 1);
		const report = await syncing;
		assert.ok(report.chunksUpserted > 0, 'the waiting sync indexed the ref from scratch');
		await assertMatchesFresh(env, repo, REF, expected);
	});

	it('a run whose lock session is killed stops before writing more; the next run is exact', async () => {
		await deleteRefIndex(env.deps.state, env.deps.vectors, FIXTURE_REPO_KEY, REF);
		let upserts = 0;
		let upsertsAfterKill = 0;
		// The second batch's upsert kills the lock session first (it had checked the lock already).
		const killing = new Proxy(env.deps.vectors, {
			get(target, property, receiver) {
				const value = Reflect.get(target, property, receiver);
				if (property !== 'upsert') return typeof value === 'function' ? value.bind(target) : value;
				return async (...args: Parameters<ChromaVectorStore['upsert']>) => {
					upserts += 1;
					if (upserts === 2) await killLockSession();
					else if (upserts > 2) upsertsAfterKill += 1;
					return target.upsert(...args);
				};
			},
		});
		const run = syncRepository(source, { ...env.deps, vectors: killing }, { ref: REF, batchFiles: 2 });
		await assert.rejects(run, /lost the lock of its ref/);
		assert.equal(upsertsAfterKill, 0, 'nothing was written to Chroma after the lock was lost');
		const [[last]] = await env.pool.query<RowDataPacket[]>('SELECT status FROM repomind_index_runs ORDER BY id DESC LIMIT 1');
		assert.equal(last.status, 'failed');
		const repaired = await syncLocal(env, repo, REF);
		assert.equal(repaired.reconciled, true);
		await assertMatchesFresh(env, repo, REF, expected);
	});

	it('a finished run is not failed by a lock session that died before the release', async () => {
		const value = await env.deps.state.withRefLock(key(), async () => {
			await killLockSession();
			return 'done';
		});
		assert.equal(value, 'done');
	});

	it('a cancelled sync stops between batches and releases the lock; the next run is exact', async () => {
		await deleteRefIndex(env.deps.state, env.deps.vectors, FIXTURE_REPO_KEY, REF);
		const controller = new AbortController();
		const run = syncRepository(source, env.deps, {
			ref: REF,
			batchFiles: 2,
			signal: controller.signal,
			onProgress: (progress) => {
				if (progress.filesDone >= 2) controller.abort();
			},
		});
		await assert.rejects(run, SyncCancelledError);
		const [[last]] = await env.pool.query<RowDataPacket[]>('SELECT status, error FROM repomind_index_runs ORDER BY id DESC LIMIT 1');
		assert.equal(last.status, 'failed');
		assert.match(last.error, /cancelled/);
		const [[lock]] = await env.pool.query<RowDataPacket[]>('SELECT IS_FREE_LOCK(?) AS free', [refLockName(key())]);
		assert.equal(lock.free, 1, 'the lock was released');
		await syncLocal(env, repo, REF);
		await assertMatchesFresh(env, repo, REF, expected);
	});
});
