import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LocalGitSource } from '../../lib/source';
import { syncRepository, type SyncReport } from '../../lib/sync';
import { GitRepo } from '../support/git-repo';
import { createIndexEnv, snapshotIndex, type IndexEnv } from '../support/index-env';

const FIXTURES = join(__dirname, '..', 'fixtures', 'chunker');
const PICOMATCH = join(__dirname, '..', '..', 'node_modules', 'picomatch');

/** A small real repository: picomatch's sources and the chunker fixtures, plus files that must be skipped. */
async function makeRepository(): Promise<GitRepo> {
	const repo = await GitRepo.create();
	const files: Record<string, string | Buffer> = {
		'README.md': readFileSync(join(PICOMATCH, 'README.md'), 'utf8'),
		'index.js': readFileSync(join(PICOMATCH, 'index.js'), 'utf8'),
		'.env': 'DATABASE_PASSWORD=hunter2hunter2\n',
		'package-lock.json': '{"lockfileVersion": 3}\n',
		'assets/logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]),
	};
	for (const name of readdirSync(join(PICOMATCH, 'lib'))) files[`lib/${name}`] = readFileSync(join(PICOMATCH, 'lib', name), 'utf8');
	for (const name of readdirSync(FIXTURES)) files[`examples/${name}`] = readFileSync(join(FIXTURES, name), 'utf8');
	await repo.writeFiles(files);
	await repo.commit('initial');
	return repo;
}

async function sync(env: IndexEnv, repo: GitRepo, ref = 'main'): Promise<SyncReport> {
	const source = new LocalGitSource({ path: repo.path, repoKey: 'local:fixture' });
	try {
		return await syncRepository(source, env.deps, { ref, batchFiles: 4 });
	} finally {
		await source.close();
	}
}

/** Indexes the repository at `ref` from scratch in a new environment and returns its snapshot. */
async function freshSnapshot(repo: GitRepo, ref = 'main') {
	const fresh = await createIndexEnv();
	try {
		await sync(fresh, repo, ref);
		return await snapshotIndex(fresh, 'local:fixture', ref);
	} finally {
		await fresh.close();
	}
}

/**
 * Chroma ids, MySQL rows, Chroma documents and metadata must equal a fresh index. Vectors too, except
 * after a rename or copy: the moved content keeps the vector first computed for it (its header named
 * the old path), which is the point of caching by content.
 */
async function assertMatchesFresh(env: IndexEnv, repo: GitRepo, ref = 'main', options = { vectors: true }) {
	const mine = await snapshotIndex(env, 'local:fixture', ref);
	assert.deepEqual(mine.chromaIds, mine.mysqlChunkIds, 'Chroma and MySQL hold the same chunk ids');
	const fresh = await freshSnapshot(repo, ref);
	const strip = (snapshot: typeof mine) =>
		options.vectors ? snapshot : { ...snapshot, chromaRecords: snapshot.chromaRecords.map((record) => ({ ...record, vector: [] })) };
	assert.deepEqual(strip(mine), strip(fresh), 'the index equals a fresh index of the same commit');
	return mine;
}

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

	it('renaming a file embeds nothing and leaves no chunk at the old path', async () => {
		await repo.renameFile('lib/parse.js', 'src/parse.js');
		await repo.commit('move parse');
		const before = env.embedder.texts;
		const report = await sync(env, repo);
		assert.equal(report.embedded, 0);
		assert.equal(env.embedder.texts, before);
		assert.equal(report.filesRemoved, 1);
		const snapshot = await assertMatchesFresh(env, repo, 'main', { vectors: false });
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
		const feature = await assertMatchesFresh(env, repo, 'feature', { vectors: false });
		const main = await assertMatchesFresh(env, repo, 'main', { vectors: false });
		assert.equal(feature.chromaIds.length, main.chromaIds.length + 1);
		assert.equal(feature.chromaIds.filter((id) => main.chromaIds.includes(id)).length, 0, 'ids include the ref');
	});
});
