import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { GitRepo } from '../support/git-repo';
import { makeRepository, PICOMATCH } from '../support/fixture-repo';
import { createIndexEnv, type IndexEnv } from '../support/index-env';
import { assertMatchesFresh, syncLocal } from '../support/sync-assert';

const sync = syncLocal;

describe('syncRepository against real MySQL and Chroma', () => {
	let env: IndexEnv;
	let repo: GitRepo;

	before(async () => {
		env = await createIndexEnv();
		repo = await makeRepository();
	});
	after(async () => {
		await env?.close();
		await repo?.dispose();
	});

	it('indexes every readable file and reports every skipped one with its reason', async () => {
		const report = await sync(env, repo);
		const skipped = Object.fromEntries(report.skipped.map((file) => [file.path, file.reason]));
		assert.deepEqual(skipped, { '.env': 'secret-file', 'package-lock.json': 'default-excluded', 'assets/logo.png': 'default-excluded' });
		assert.ok(report.chunksUpserted > 20, `chunks: ${report.chunksUpserted}`);
		assert.equal(report.embedded, env.embedder.texts);
		assert.equal(report.chunksDeleted, 0);
		const snapshot = await assertMatchesFresh(env, repo);
		assert.equal(snapshot.chromaIds.length, report.chunksUpserted);
		assert.ok(snapshot.mysqlChunks.every((chunk) => !String(chunk.content).includes('hunter2')));
	});

	it('re-running on the same commit embeds nothing and upserts nothing', async () => {
		const before = env.embedder.texts;
		const report = await sync(env, repo);
		assert.equal(report.embedded, 0);
		assert.equal(report.chunksUpserted, 0);
		assert.equal(report.chunksDeleted, 0);
		assert.equal(report.filesChanged, 0);
		assert.equal(env.embedder.texts, before);
	});

	it('modifying one file re-embeds only that file\'s changed chunks', async () => {
		const original = readFileSync(join(PICOMATCH, 'lib', 'utils.js'), 'utf8');
		await repo.writeFiles({ 'lib/utils.js': `${original}\nexports.isRepoMind = (value) => value === 'repomind';\n` });
		await repo.commit('edit utils');
		const before = env.embedder.texts;
		const report = await sync(env, repo);
		assert.equal(report.filesChanged, 1);
		assert.ok(report.embedded >= 1 && report.embedded <= 3, `embedded ${report.embedded}`);
		assert.equal(env.embedder.texts - before, report.embedded);
		const snapshot = await assertMatchesFresh(env, repo);
		assert.ok(snapshot.mysqlChunks.some((chunk) => String(chunk.content).includes('isRepoMind')));
	});

	it('deleting a file removes its chunks from Chroma and MySQL', async () => {
		await repo.deleteFiles(['lib/scan.js']);
		await repo.commit('delete scan');
		const report = await sync(env, repo);
		assert.equal(report.filesRemoved, 1);
		assert.ok(report.chunksDeleted > 0);
		const snapshot = await assertMatchesFresh(env, repo);
		assert.ok(snapshot.mysqlChunks.every((chunk) => chunk.path !== 'lib/scan.js'));
		assert.ok(snapshot.chromaRecords.every((record) => record.metadata.path !== 'lib/scan.js'));
	});

	it('renaming a file embeds its chunks under the new path (vectors as fresh) and leaves no chunk at the old path', async () => {
		await repo.renameFile('lib/parse.js', 'src/parse.js');
		await repo.commit('move parse');
		const before = env.embedder.texts;
		const report = await sync(env, repo);
		assert.equal(report.filesRemoved, 1);
		assert.equal(report.embedded, report.chunksUpserted, 'the embedded text names the path: nothing is reused from the old path');
		assert.equal(env.embedder.texts - before, report.embedded);
		const snapshot = await assertMatchesFresh(env, repo);
		assert.ok(snapshot.chromaRecords.every((record) => record.metadata.path !== 'lib/parse.js'));
		assert.ok(snapshot.chromaRecords.some((record) => record.metadata.path === 'src/parse.js'));
	});

	it('keeps two refs of one repository apart, and a second branch needs no embedding', async () => {
		await repo.branch('feature', { checkout: true });
		await repo.writeFiles({ 'lib/feature.js': 'export function feature() {\n\treturn 42;\n}\n' });
		await repo.commit('feature');
		await repo.checkout('main');
		const before = env.embedder.texts;
		const report = await sync(env, repo, 'feature');
		assert.equal(env.embedder.texts - before, report.embedded);
		assert.equal(report.embedded, 1, 'only the new file is embedded');
		const feature = await assertMatchesFresh(env, repo, 'feature');
		const main = await assertMatchesFresh(env, repo, 'main');
		assert.equal(feature.chromaIds.length, main.chromaIds.length + 1);
		assert.equal(feature.chromaIds.filter((id) => main.chromaIds.includes(id)).length, 0, 'ids include the ref');
	});
});
