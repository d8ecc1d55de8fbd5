import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Pool } from 'mysql2/promise';
import { collectDigestChanges, composeDigestEmail, DigestStore, GitHubHistory } from '../../lib/digest';
import { GitHubSource } from '../../lib/source';
import { migrate } from '../../lib/store/migrate';
import { openPool } from '../../lib/store/mysql';
import { GitRepo } from '../support/git-repo';
import { startGitHubServer, type GitHubServer } from '../support/github-server';
import { createTestDatabase, type TestDatabase } from '../support/mysql-db';

describe('digest: changes since the last digest (GitHub stand-in, MySQL)', () => {
	let repo: GitRepo;
	let github: GitHubServer;
	let database: TestDatabase;
	let pool: Pool;
	let store: DigestStore;
	const githubRepository = () => ({ owner: 'octo-org', repo: 'sample', token: 't', baseUrl: github.baseUrl });
	const collect = (options: { since?: string; digestName?: string } = {}) =>
		collectDigestChanges(new GitHubSource(githubRepository()), new GitHubHistory(githubRepository()), store, { ref: 'main', digestName: options.digestName ?? 'weekly', since: options.since });

	before(async () => {
		repo = await GitRepo.create();
		await repo.writeFiles({ 'README.md': '# Sample\n', 'src/a.ts': 'export const a = 1;\n', 'packages/core/src/b.ts': 'export const b = 2;\n' });
		await repo.commit('initial');
		[github, database] = await Promise.all([startGitHubServer({ repoPath: repo.path, token: 't' }), createTestDatabase()]);
		pool = openPool(database.config);
		await migrate(pool);
		store = new DigestStore(pool);
	});

	after(async () => {
		await pool?.end();
		await Promise.all([github?.close(), database?.drop()]);
		await repo?.dispose();
	});

	it('first run records a baseline and reports nothing; a second run with no commit reports nothing', async () => {
		const head = await repo.head();
		const first = await collect();
		assert.deepEqual([first.baselineRecorded, first.changed, first.base, first.head, first.webUrl], [true, false, null, head, 'https://github.com/octo-org/sample']);
		assert.equal((await store.last('github:octo-org/sample', 'main', 'weekly'))?.commitSha, head);
		const second = await collect();
		assert.deepEqual([second.baselineRecorded, second.changed, second.base], [false, false, head]);
		const email = composeDigestEmail(second, null);
		assert.equal(email.subject, `[RepoMind] octo-org/sample@main: no changes since ${second.lastDigestAt!.slice(0, 10)}`);
	});

	it('reports renames, removals and additions grouped by area with links, commits in order', async () => {
		const base = await repo.head();
		await repo.renameFile('src/a.ts', 'src/alpha.ts');
		await repo.deleteFiles(['README.md']);
		await repo.commit('rename and remove');
		await repo.writeFiles({ 'packages/core/src/c.ts': 'export const c = 3;\n' });
		const head = await repo.commit('add c');
		const changes = await collect();
		assert.equal(changes.base, base);
		assert.deepEqual(changes.changes, [
			{ status: 'removed', path: 'README.md', url: `https://github.com/octo-org/sample/blob/${base}/README.md` },
			{ status: 'added', path: 'packages/core/src/c.ts', url: `https://github.com/octo-org/sample/blob/${head}/packages/core/src/c.ts` },
			{ status: 'renamed', path: 'src/alpha.ts', previousPath: 'src/a.ts', url: `https://github.com/octo-org/sample/blob/${head}/src/alpha.ts` },
		]);
		assert.deepEqual(changes.areas, [{ area: 'packages/core', files: 1 }, { area: 'src', files: 1 }, { area: '(root)', files: 1 }]);
		assert.deepEqual(changes.commits.map((commit) => commit.title), ['rename and remove', 'add c']);
		assert.equal(changes.compareUrl, `https://github.com/octo-org/sample/compare/${base}...${head}`);
		const email = composeDigestEmail(changes, { areas: [{ area: 'src', summary: 'Renamed a to alpha [1].' }] }, { subjectPrefix: '[Weekly]' });
		assert.equal(email.subject, '[Weekly] octo-org/sample@main: 2 commits, 3 files changed in packages/core, src, (root)');
		assert.match(email.text, /^## src\nRenamed a to alpha \[1\]\.\n\n- renamed src\/alpha\.ts \(from src\/a\.ts\): https:/m);
		assert.match(email.html, /<h3>\(root\)<\/h3>\n<ul>\n<li>removed <a href="https:\/\/github\.com\/octo-org\/sample\/blob\/[0-9a-f]{40}\/README\.md">README\.md<\/a><\/li>/);
		// Collect does not record; nothing moved until the digest is recorded as sent.
		assert.equal((await collect()).base, base);
		await store.record({ repoKey: changes.repo, ref: 'main', digestName: 'weekly', commitSha: head, commitCount: 2, fileCount: 3, recipients: 'a@example.test' });
		assert.equal((await collect()).changed, false);
	});

	it('a new digest name with Start From covers that range; an unknown start is a clear error', async () => {
		const changes = await collect({ digestName: 'since-start', since: 'HEAD~2' });
		assert.equal(changes.changed, true);
		assert.equal(changes.commits.length, 2);
		await assert.rejects(collect({ digestName: 'broken', since: 'no-such-tag' }), /"no-such-tag" was not found in the GitHub repository octo-org\/sample/);
	});
});
