import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createSource, diffTrees, GitHubSource, LocalGitSource } from '../../lib/source';
import type { FileChange, RepoSource } from '../../lib/types';
import { GitRepo } from '../support/git-repo';
import { type GitHubServer, startGitHubServer } from '../support/github-server';

const BINARY = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const LARGE = 'x'.repeat(70_000) + '\n' + 'y'.repeat(70_000);
const DEEP_C = Array.from({ length: 20 }, (_, i) => `export const c${i} = ${i};`).join('\n') + '\n';

interface Fixture {
	repo: GitRepo;
	first: string;
	second: string;
	feature: string;
}

/** Two commits on main (every kind of change), an annotated tag and a diverged branch. */
async function buildFixture(): Promise<Fixture> {
	const repo = await GitRepo.create();
	await repo.writeFiles({
		'README.md': '# Sample\n',
		'src/a.ts': 'export const a = 1;\n',
		'src/util/b.ts': 'export const b = 2;\n',
		'src/util/deep/c.ts': DEEP_C,
		'docs/guide.md': '## Guide\n',
		'bin/run.sh': '#!/bin/sh\necho run\n',
		'assets/bytes.bin': BINARY,
		'large.txt': LARGE,
		'ünïcode name.txt': 'unicode\n',
	});
	await repo.git('update-index', '--chmod=+x', 'bin/run.sh');
	await repo.symlink('link-to-a', 'src/a.ts');
	await repo.addGitlink('vendor/lib', '1111111111111111111111111111111111111111');
	const first = await repo.commit('first');
	await repo.tag('v1', { message: 'release 1' });

	await repo.writeFiles({ 'src/a.ts': 'export const a = 10;\n', 'src/new.ts': 'export {};\n' });
	await repo.deleteFiles(['docs/guide.md']);
	await repo.renameFile('src/util/b.ts', 'src/helpers/b.ts');
	const editedC = DEEP_C.replace('c0 = 0', 'c0 = 100');
	await repo.renameFile('src/util/deep/c.ts', 'src/deep/c2.ts', editedC);
	const second = await repo.commit('second');

	await repo.branch('feature/x', { at: first, checkout: true });
	await repo.writeFiles({
		'README.md': '# Sample feature\n',
		'feature.ts': 'export const f = 1;\n',
	});
	const feature = await repo.commit('feature');
	await repo.checkout('main');
	return { repo, first, second, feature };
}

describe('GitHubSource and LocalGitSource on the same repository', () => {
	let fixture: Fixture;
	let server: GitHubServer;
	let local: LocalGitSource;
	let github: GitHubSource;

	before(async () => {
		fixture = await buildFixture();
		server = await startGitHubServer({ repoPath: fixture.repo.path, token: 'ghp_good' });
		local = new LocalGitSource({ path: fixture.repo.path });
		github = new GitHubSource({
			owner: 'Octo-Org',
			repo: 'Sample',
			token: 'ghp_good',
			baseUrl: server.baseUrl,
		});
	});
	after(async () => {
		await local.close();
		await server.close();
		await fixture.repo.dispose();
	});

	test('repo keys', () => {
		assert.equal(github.repoKey, 'github:octo-org/sample');
		assert.match(local.repoKey, /^local:\/.+repomind-git-/);
		assert.equal(new LocalGitSource({ path: '.', repoKey: 'local:app' }).repoKey, 'local:app');
	});

	test('resolveRef: branches, annotated tags, full and short SHAs', async () => {
		for (const source of [local, github] as RepoSource[]) {
			assert.equal(await source.resolveRef('main'), fixture.second);
			assert.equal(await source.resolveRef('v1'), fixture.first);
			assert.equal(await source.resolveRef('feature/x'), fixture.feature);
			assert.equal(await source.resolveRef(fixture.first), fixture.first);
			assert.equal(await source.resolveRef(fixture.first.slice(0, 10)), fixture.first);
		}
	});

	test('listTree: identical, blobs and symlinks only, sorted by path', async () => {
		const localTree = await local.listTree(fixture.first);
		assert.deepEqual(await github.listTree(fixture.first), localTree);
		assert.deepEqual(
			localTree.map((entry) => [entry.path, entry.mode, entry.size]),
			[
				['README.md', '100644', 9],
				['assets/bytes.bin', '100644', 256],
				['bin/run.sh', '100755', 19],
				['docs/guide.md', '100644', 9],
				['large.txt', '100644', 140_001],
				['link-to-a', '120000', 8],
				['src/a.ts', '100644', 20],
				['src/util/b.ts', '100644', 20],
				['src/util/deep/c.ts', '100644', DEEP_C.length],
				['ünïcode name.txt', '100644', 8],
			],
		);
		assert.equal(localTree[0].blobSha, await fixture.repo.blobSha(fixture.first, 'README.md'));
		assert.deepEqual(await github.listTree(fixture.second), await local.listTree(fixture.second));
	});

	test('readBlob: identical bytes, one blob request per blob read', async () => {
		server.resetRequests();
		const tree = await local.listTree(fixture.first);
		for (const entry of tree) {
			const [fromLocal, fromGitHub] = [
				await local.readBlob(entry.blobSha, entry.path),
				await github.readBlob(entry.blobSha, entry.path),
			];
			assert.deepEqual(fromGitHub, fromLocal, entry.path);
			assert.equal(fromLocal.length, entry.size, entry.path);
		}
		const blobShas = new Map(tree.map((entry) => [entry.path, entry.blobSha]));
		const read = (path: string) => local.readBlob(blobShas.get(path)!, path);
		assert.deepEqual(await read('assets/bytes.bin'), BINARY);
		assert.equal((await read('large.txt')).toString(), LARGE);
		assert.equal((await read('link-to-a')).toString(), 'src/a.ts');
		assert.equal(server.requests['GET /repos/{owner}/{repo}/git/blobs/{file_sha}'], tree.length);
	});

	test('compare: added, modified, removed, renamed (exact and with an edit)', async () => {
		const blob = (commit: string, path: string) => fixture.repo.blobSha(commit, path);
		const { first, second } = fixture;
		const expected = [
			{
				status: 'removed',
				path: 'docs/guide.md',
				previousBlobSha: await blob(first, 'docs/guide.md'),
			},
			{
				status: 'modified',
				path: 'src/a.ts',
				blobSha: await blob(second, 'src/a.ts'),
				previousBlobSha: await blob(first, 'src/a.ts'),
			},
			{
				status: 'renamed',
				path: 'src/deep/c2.ts',
				previousPath: 'src/util/deep/c.ts',
				blobSha: await blob(second, 'src/deep/c2.ts'),
				previousBlobSha: await blob(first, 'src/util/deep/c.ts'),
			},
			{
				status: 'renamed',
				path: 'src/helpers/b.ts',
				previousPath: 'src/util/b.ts',
				blobSha: await blob(second, 'src/helpers/b.ts'),
				previousBlobSha: await blob(first, 'src/util/b.ts'),
			},
			{ status: 'added', path: 'src/new.ts', blobSha: await blob(second, 'src/new.ts') },
		];
		server.resetRequests();
		assert.deepEqual(await local.compare(first, second), expected);
		assert.deepEqual(await github.compare(first, second), expected);
		assert.equal(server.requests['GET /repos/{owner}/{repo}/compare/{basehead}'], 1);
		assert.equal(server.requests['GET /repos/{owner}/{repo}/git/blobs/{file_sha}'], 0);
	});

	test('compare: identical commits; diverged history is a tree diff on GitHub', async () => {
		const { first, second, feature } = fixture;
		assert.deepEqual(await local.compare(second, second), []);
		assert.deepEqual(await github.compare(second, second), []);
		const summary = (changes: FileChange[]) =>
			changes.map((change) => [change.status, change.path, change.previousPath ?? '']);
		assert.deepEqual(summary(await local.compare(second, feature)), [
			['modified', 'README.md', ''],
			['added', 'docs/guide.md', ''],
			['added', 'feature.ts', ''],
			['modified', 'src/a.ts', ''],
			['removed', 'src/new.ts', ''],
			['renamed', 'src/util/b.ts', 'src/helpers/b.ts'],
			['renamed', 'src/util/deep/c.ts', 'src/deep/c2.ts'],
		]);
		// GitHub compares from the merge base, so for diverged commits the two trees are diffed.
		const fromGitHub = await github.compare(second, feature);
		const treeDiff = diffTrees(await local.listTree(second), await local.listTree(feature));
		assert.deepEqual(fromGitHub, treeDiff);
		assert.deepEqual(summary(fromGitHub), [
			['modified', 'README.md', ''],
			['added', 'docs/guide.md', ''],
			['added', 'feature.ts', ''],
			['modified', 'src/a.ts', ''],
			['removed', 'src/deep/c2.ts', ''],
			['removed', 'src/new.ts', ''],
			['renamed', 'src/util/b.ts', 'src/helpers/b.ts'],
			['added', 'src/util/deep/c.ts', ''],
		]);
		assert.deepEqual(await github.compare(first, feature), await local.compare(first, feature));
	});

	test('compare: commits without a common ancestor are a tree diff on GitHub', async () => {
		const { second, feature, repo } = fixture;
		const orphan = await repo.git('commit-tree', `${feature}^{tree}`, '-m', 'orphan');
		server.resetRequests();
		const changes = await github.compare(second, orphan);
		assert.deepEqual(changes, await github.compare(second, feature));
		assert.equal(changes.length, 8);
		assert.equal(server.requests['GET /repos/{owner}/{repo}/compare/{basehead}'], 2);
	});

	test('createSource builds either kind', async () => {
		const fromConfig = createSource({ kind: 'local', path: fixture.repo.path });
		assert.ok(fromConfig instanceof LocalGitSource);
		assert.equal(await fromConfig.resolveRef('main'), fixture.second);
		await fromConfig.close?.();
		const remote = createSource({
			kind: 'github',
			owner: 'octo-org',
			repo: 'sample',
			token: 'ghp_good',
			baseUrl: server.baseUrl,
		});
		assert.ok(remote instanceof GitHubSource);
		assert.equal(await remote.resolveRef('v1'), fixture.first);
	});
});

describe('GitHubSource when GitHub truncates or caps its answers', () => {
	let fixture: Fixture;
	let server: GitHubServer;
	let local: LocalGitSource;

	before(async () => {
		fixture = await buildFixture();
		server = await startGitHubServer({
			repoPath: fixture.repo.path,
			maxTreeEntries: 3,
			compareFileLimit: 2,
		});
		local = new LocalGitSource({ path: fixture.repo.path });
	});
	after(async () => {
		await local.close();
		await server.close();
		await fixture.repo.dispose();
	});

	test('a truncated recursive tree is walked subtree by subtree', async () => {
		const github = new GitHubSource({ owner: 'octo-org', repo: 'sample', baseUrl: server.baseUrl });
		server.resetRequests();
		assert.deepEqual(await github.listTree(fixture.second), await local.listTree(fixture.second));
		// root (recursive: truncated, then flat), assets, bin, vendor, src (recursive: truncated,
		// then flat), src/deep, src/helpers.
		assert.equal(server.requests['GET /repos/{owner}/{repo}/git/trees/{tree_sha}'], 9);
		assert.deepEqual(await github.listTree(fixture.first), await local.listTree(fixture.first));
	});

	test('a capped comparison falls back to diffing the two trees', async () => {
		const github = new GitHubSource({
			owner: 'octo-org',
			repo: 'sample',
			baseUrl: server.baseUrl,
			compareFileLimit: 2,
		});
		const { first, second } = fixture;
		const changes = await github.compare(first, second);
		assert.deepEqual(changes, diffTrees(await local.listTree(first), await local.listTree(second)));
		assert.deepEqual(
			changes.map((change) => [change.status, change.path, change.previousPath]),
			[
				['removed', 'docs/guide.md', undefined],
				['modified', 'src/a.ts', undefined],
				['added', 'src/deep/c2.ts', undefined],
				['renamed', 'src/helpers/b.ts', 'src/util/b.ts'],
				['added', 'src/new.ts', undefined],
				['removed', 'src/util/deep/c.ts', undefined],
			],
		);
	});
});
