import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RowDataPacket } from 'mysql2/promise';
import { Chunker } from '../../lib/chunk';
import { HashEmbedder } from '../../lib/embed';
import { LocalGitSource } from '../../lib/source';
import { fitColumn } from '../../lib/store/columns';
import { IndexStateStore } from '../../lib/store/index-state';
import { syncRepository, type SyncReport } from '../../lib/sync';
import type { Chunk, Embedder, SourceFile } from '../../lib/types';
import type { GitRepo } from '../support/git-repo';
import { makeRepository } from '../support/fixture-repo';
import { attachIndexEnv, createIndexEnv, snapshotIndex, type IndexEnv } from '../support/index-env';
import { createTestDatabase } from '../support/mysql-db';
import { startChroma } from '../support/chroma-server';
import { assertMatchesFresh, FIXTURE_REPO_KEY, syncLocal } from '../support/sync-assert';

const BADGES = `# <img src="https://raw.githubusercontent.com/org/project/main/docs/logo.svg" width="80" alt="logo"> Project ${'[![build](https://img.shields.io/github/actions/workflow/status/org/project/ci.yml?branch=main&label=build&style=flat-square)](https://github.com/org/project/actions) '.repeat(6)}😀😀😀`;

/** An embedding API that refuses (HTTP 400) any text containing POISON, as a content policy would. */
class RefusingEmbedder implements Embedder {
	refuse = true;
	readonly inner = new HashEmbedder({ dimensions: 64 });
	readonly modelId = this.inner.modelId;
	async embed(texts: string[]): Promise<number[][]> {
		if (this.refuse && texts.some((text) => text.includes('POISON'))) throw Object.assign(new Error('input rejected by the content policy'), { status: 400 });
		return this.inner.embed(texts);
	}
}

/** A chunker that crashes on files containing CRASH, and logs the order files reach it. */
class CrashingChunker {
	crash = true;
	log: string[] = [];
	constructor(private readonly inner: Chunker) {}
	chunk(file: SourceFile): Chunk[] {
		this.log.push(file.path);
		if (this.crash && file.content.includes('CRASH')) throw new RangeError('Maximum call stack size exceeded');
		return this.inner.chunk(file);
	}
}

/** MySQL rejecting one file's row (as `Data too long for column` did before fields were bounded). */
class RejectingState extends IndexStateStore {
	reject = true;
	override async writeFiles(refId: number, files: Parameters<IndexStateStore['writeFiles']>[1]) {
		if (this.reject && files.some(({ file }) => file.path === 'lib/bad-row.js')) {
			throw Object.assign(new Error("Data too long for column 'symbol' at row 1"), { code: 'ER_DATA_TOO_LONG', errno: 1406, sqlState: '22001' });
		}
		return super.writeFiles(refId, files);
	}
}

/** An environment whose embedder, chunker and MySQL each fail on one kind of file. */
async function failingEnv(): Promise<{ env: IndexEnv; embedder: RefusingEmbedder; chunker: CrashingChunker; state: RejectingState }> {
	const [database, chroma] = await Promise.all([createTestDatabase(), startChroma()]);
	const embedder = new RefusingEmbedder();
	const env = await attachIndexEnv(database, chroma, { embedder });
	const chunker = new CrashingChunker(await Chunker.create({ maxTokens: 200 }));
	const state = new RejectingState(env.pool);
	env.deps = { ...env.deps, chunker, state };
	return { env, embedder, chunker, state };
}

const sortedFailures = (report: SyncReport) => report.failed.map(({ path, step, attempts }) => ({ path, step, attempts })).sort((a, b) => a.path.localeCompare(b.path));

describe('sync: bounded columns and the failure ledger', () => {
	let repo: GitRepo;
	before(async () => {
		repo = await makeRepository();
		await repo.writeFiles({
			'BADGES.md': `${BADGES}\n\nA project whose README starts with badges.\n\n## Install\n\nnpm install project\n`,
			'lib/poison.js': "export const word = 'POISON';\n",
			'lib/crash.js': "export const word = 'CRASH';\n",
			'lib/bad-row.js': 'export const fine = 1;\n',
		});
		await repo.commit('files that fail');
	});
	after(() => repo?.dispose());

	it('bounds a symbol to its column on a character boundary (a badge heading of more than 512 characters)', async () => {
		const env = await createIndexEnv();
		try {
			const report = await syncLocal(env, repo);
			assert.equal(report.status, 'succeeded');
			const row = (await env.deps.state.findRef(FIXTURE_REPO_KEY, 'main', env.deps.embedder.modelId))!;
			const [rows] = await env.pool.query<RowDataPacket[]>("SELECT symbol FROM repomind_chunks WHERE ref_id = ? AND path = 'BADGES.md' AND symbol IS NOT NULL", [row.id]);
			const heading = BADGES.slice(2);
			assert.ok([...heading].length > 512);
			assert.ok(rows.some((chunk) => chunk.symbol === fitColumn(heading, 512)), 'the heading, cut to 512 characters');
			assert.ok(rows.every((chunk) => [...String(chunk.symbol)].length <= 512 && !/[\ud800-\udfff]/u.test(String(chunk.symbol))));
			await assertMatchesFresh(env, repo);
		} finally {
			await env.close();
		}
	});

	it('indexes everything but the files that fail, lists them in the ledger, retries them first and clears them once they pass', async () => {
		const failing = await failingEnv();
		const fresh = await failingEnv();
		const { env, embedder, chunker, state } = failing;
		try {
			const first = await syncLocal(env, repo);
			assert.equal(first.status, 'partial');
			const expected = [
				{ path: 'lib/bad-row.js', step: 'store', attempts: 1 },
				{ path: 'lib/crash.js', step: 'chunk', attempts: 1 },
				{ path: 'lib/poison.js', step: 'embed', attempts: 1 },
			];
			assert.deepEqual(sortedFailures(first), expected);
			assert.match(first.failed.find((entry) => entry.step === 'embed')!.error, /HTTP 400|content policy/);
			assert.equal(first.filesFailed, 3);
			assert.equal(first.filesSeen, first.filesChanged + first.filesUnchanged + first.filesSkipped + first.filesFailed);
			const [[run]] = await env.pool.query<RowDataPacket[]>('SELECT status, files_failed FROM repomind_index_runs WHERE id = ?', [first.runId]);
			assert.deepEqual({ ...run }, { status: 'partial', files_failed: 3 });
			await syncLocal(fresh.env, repo);
			const expectedIndex = await snapshotIndex(fresh.env, FIXTURE_REPO_KEY, 'main');
			await assertMatchesFresh(env, repo, 'main', expectedIndex);

			// An indexed file that now fails leaves the index (its old chunks too); the ledger is retried first.
			await repo.writeFiles({ 'a-first.js': 'export const first = 1;\n', 'lib/utils.js': "export const word = 'POISON';\n" });
			await repo.commit('a new file, and an indexed one that now fails');
			chunker.log = [];
			const source = new LocalGitSource({ path: repo.path, repoKey: FIXTURE_REPO_KEY });
			const second = await syncRepository(source, env.deps, { ref: 'main', batchFiles: 1 }).finally(() => source.close());
			assert.deepEqual(chunker.log.slice(0, 3), ['lib/bad-row.js', 'lib/crash.js', 'lib/poison.js'], 'the ledger is retried first');
			assert.deepEqual(sortedFailures(second), [
				{ path: 'lib/bad-row.js', step: 'store', attempts: 2 },
				{ path: 'lib/crash.js', step: 'chunk', attempts: 2 },
				{ path: 'lib/poison.js', step: 'embed', attempts: 2 },
				{ path: 'lib/utils.js', step: 'embed', attempts: 1 },
			]);
			await syncLocal(fresh.env, repo);
			await assertMatchesFresh(env, repo, 'main', await snapshotIndex(fresh.env, FIXTURE_REPO_KEY, 'main'));

			embedder.refuse = false;
			chunker.crash = false;
			state.reject = false;
			const third = await syncLocal(env, repo);
			assert.equal(third.status, 'succeeded');
			assert.deepEqual(third.failed, []);
			const [[left]] = await env.pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM repomind_index_failures');
			assert.equal(Number(left.n), 0);
			await assertMatchesFresh(env, repo);
		} finally {
			await Promise.all([failing.env.close(), fresh.env.close()]);
		}
	});

	it('fails the run when the service, not a file, is at fault (bad credentials; every file refused)', async () => {
		for (const failure of [{ status: 401 }, { status: 500 }]) {
			const env = await createIndexEnv({ embedder: { modelId: 'hash:64', embed: async () => Promise.reject(Object.assign(new Error('no'), failure)) } });
			try {
				await assert.rejects(syncLocal(env, repo), /no/);
				const [[run]] = await env.pool.query<RowDataPacket[]>('SELECT status FROM repomind_index_runs ORDER BY id DESC LIMIT 1');
				assert.equal(run.status, 'failed');
			} finally {
				await env.close();
			}
		}
	});

	it('three files already in the ledger, retried first, do not fail the next run as if the service were down', async () => {
		const poisoned = await makeRepository();
		await poisoned.writeFiles({ 'zz/one.js': "export const a = 'POISON';\n", 'zz/two.js': "export const b = 'POISON';\n", 'zz/three.js': "export const c = 'POISON';\n" });
		await poisoned.commit('three files the embedding API refuses');
		const [env, fresh] = await Promise.all([createIndexEnv({ embedder: new RefusingEmbedder() }), createIndexEnv({ embedder: new RefusingEmbedder() })]);
		try {
			const first = await syncLocal(env, poisoned);
			assert.deepEqual([first.status, first.failed.length], ['partial', 3]);
			const second = await syncLocal(env, poisoned);
			assert.deepEqual([second.status, second.failed.map((entry) => entry.attempts)], ['partial', [2, 2, 2]]);
			await syncLocal(fresh, poisoned);
			await assertMatchesFresh(env, poisoned, 'main', await snapshotIndex(fresh, FIXTURE_REPO_KEY, 'main'));
		} finally {
			await Promise.all([env.close(), fresh.close()]);
			await poisoned.dispose();
		}
	});
});
