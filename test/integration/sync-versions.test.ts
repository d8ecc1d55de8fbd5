import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FILTER_VERSION } from '../../lib/ids';
import { FileFilter } from '../../lib/filter';
import type { SyncReport } from '../../lib/sync';
import type { GitRepo } from '../support/git-repo';
import { makeRepository } from '../support/fixture-repo';
import { createIndexEnv, type IndexEnv } from '../support/index-env';
import { assertMatchesFresh, FIXTURE_REPO_KEY, syncLocal } from '../support/sync-assert';

const SECRET_FILE = 'config/settings.js';
const FALSE_POSITIVE = 'lib/utils.js';

/** filesSeen splits into indexed-now, indexed-before and skipped, each file counted once. */
function assertCountsAddUp(report: SyncReport): void {
	assert.equal(report.filesSeen, report.filesChanged + report.filesUnchanged + report.filesSkipped, JSON.stringify(report));
	assert.equal(report.filesSkipped, report.skipped.length);
}

describe('sync: chunker and filter versions, and counts', () => {
	let env: IndexEnv;
	let repo: GitRepo;
	const refRow = async () => (await env.deps.state.findRef(FIXTURE_REPO_KEY, 'main', env.deps.embedder.modelId))!;

	before(async () => {
		[env, repo] = await Promise.all([createIndexEnv(), makeRepository()]);
		await repo.writeFiles({ 'empty.txt': '', [SECRET_FILE]: "export const region = 'eu-west-1';\nexport const awsKeyId = 'AKIAQ7Z3R4T5Y6U7I8O9';\n" });
		await repo.commit('an empty file and a secret');
	});
	after(async () => {
		await env?.close();
		await repo?.dispose();
	});

	it('counts an empty file once (skipped), and a no-op reports the same skipped files as the full run', async () => {
		const full = await syncLocal(env, repo);
		assertCountsAddUp(full);
		assert.deepEqual(full.skipped.find((file) => file.path === 'empty.txt'), { path: 'empty.txt', reason: 'empty', detail: 'no bytes' });
		const noop = await syncLocal(env, repo);
		assertCountsAddUp(noop);
		assert.equal(noop.filesChanged, 0);
		const byPath = (report: SyncReport) => [...report.skipped].sort((a, b) => a.path.localeCompare(b.path));
		assert.deepEqual(byPath(noop), byPath(full));
		assert.equal(noop.filesUnchanged, full.filesChanged);
	});

	it('rows of an older chunker are chunked again, not reused from the ref itself', async () => {
		const row = await refRow();
		await env.pool.query('UPDATE repomind_refs SET chunker_version = chunker_version - 1 WHERE id = ?', [row.id]);
		await env.pool.query("UPDATE repomind_chunks SET content = CONCAT('old chunker: ', content) WHERE ref_id = ?", [row.id]);
		const report = await syncLocal(env, repo);
		assert.equal(report.embedded, 0, 'same embedding texts: answered from the cache');
		await assertMatchesFresh(env, repo);
	});

	it('a newer filter purges a secret an older filter let through, and indexes a fixed false positive', async () => {
		const real = new FileFilter();
		const older = { checkEntry: real.checkEntry.bind(real), checkContent: (path: string, bytes: Buffer) => (path === SECRET_FILE ? { text: bytes.toString('utf8') } : real.checkContent(path, bytes)) };
		const deps = env.deps;
		env.deps = { ...deps, filter: older };
		await env.pool.query('UPDATE repomind_refs SET filter_version = filter_version - 1 WHERE id = ?', [(await refRow()).id]);
		await syncLocal(env, repo);
		env.deps = deps;
		const row = await refRow();
		const [leaked] = await env.pool.query('SELECT id FROM repomind_chunks WHERE ref_id = ? AND path = ?', [row.id, SECRET_FILE]);
		assert.ok((leaked as unknown[]).length > 0, 'the older filter indexed the secret');
		// The older filter also flagged a file that is fine: forget its chunks as that filter would have.
		const [chunks] = await env.pool.query('SELECT id FROM repomind_chunks WHERE ref_id = ? AND path = ?', [row.id, FALSE_POSITIVE]);
		await env.deps.vectors.deleteIds(row.collection, (chunks as Array<{ id: string }>).map((chunk) => chunk.id));
		await env.pool.query('DELETE FROM repomind_chunks WHERE ref_id = ? AND path = ?', [row.id, FALSE_POSITIVE]);
		await env.pool.query("UPDATE repomind_files SET skip_reason = 'secret-content', skip_detail = 'rule old', chunk_count = 0 WHERE ref_id = ? AND path = ?", [row.id, FALSE_POSITIVE]);
		await env.pool.query('UPDATE repomind_refs SET filter_version = ?, chunk_count = chunk_count - ?, file_count = file_count - 1 WHERE id = ?', [FILTER_VERSION - 1, (chunks as unknown[]).length, row.id]);
		const report = await syncLocal(env, repo);
		assert.ok(report.skipped.some((file) => file.path === SECRET_FILE && file.reason === 'secret-content'));
		assert.ok(!report.skipped.some((file) => file.path === FALSE_POSITIVE));
		await assertMatchesFresh(env, repo);
	});
});
