import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import {
	AuthError,
	InvalidInputError,
	RateLimitError,
	RefNotFoundError,
	RepoNotFoundError,
	ServiceError,
} from '../../lib/errors';
import {
	checkGitHubAccess,
	GitHubSource,
	type GitHubSourceOptions,
	LocalGitSource,
} from '../../lib/source';
import { GitRepo } from '../support/git-repo';
import { type GitHubServer, startGitHubServer } from '../support/github-server';

const TOKEN = 'ghp_valid';
const COMMITS = 'GET /repos/{owner}/{repo}/commits/{ref}';
const DOCS = ' - https://docs.github.com/rest';
const MISSING = '0123456789abcdef0123456789abcdef01234567';

describe('source errors', () => {
	let repo: GitRepo;
	let head: string;
	let server: GitHubServer;
	const github = (options: Partial<GitHubSourceOptions> = {}) =>
		new GitHubSource({
			owner: 'octo-org',
			repo: 'sample',
			token: TOKEN,
			baseUrl: server.baseUrl,
			retryAfterBaseMs: 1,
			...options,
		});

	before(async () => {
		repo = await GitRepo.create();
		await repo.writeFiles({ 'index.ts': 'export const x = 1;\n' });
		head = await repo.commit('init');
		server = await startGitHubServer({
			repoPath: repo.path,
			token: TOKEN,
			noAccessToken: 'ghp_metadata_only',
		});
	});
	after(async () => {
		await server.close();
		await repo.dispose();
	});

	test('unknown repository', async () => {
		await assert.rejects(github({ repo: 'missing' }).resolveRef('main'), (error: Error) => {
			assert.ok(error instanceof RepoNotFoundError);
			assert.equal(
				error.message,
				`GitHub repository octo-org/missing was not found, or the token cannot see it (HTTP 404: Not Found${DOCS}).`,
			);
			return true;
		});
		const nowhere = new LocalGitSource({ path: '/nonexistent/repo' });
		await assert.rejects(nowhere.listTree(head), (error: Error) => {
			assert.ok(error instanceof RepoNotFoundError);
			assert.match(error.message, /^No git repository at \/nonexistent\/repo: fatal: cannot change to/);
			return true;
		});
	});

	test('unknown ref, tree and blob on GitHub', async () => {
		await assert.rejects(github().resolveRef('no-such-branch'), (error: RefNotFoundError) => {
			assert.ok(error instanceof RefNotFoundError);
			assert.equal(
				error.message,
				'Branch, tag or commit "no-such-branch" was not found in the GitHub repository octo-org/sample.',
			);
			assert.equal(error.hint, 'Check the spelling; the default branch is "main".');
			return true;
		});
		await assert.rejects(github().listTree(MISSING), RefNotFoundError);
		await assert.rejects(github().readBlob(MISSING, 'a.ts'), {
			name: 'RefNotFoundError',
			message: `Blob ${MISSING} (a.ts) was not found in the GitHub repository octo-org/sample.`,
		});
		await assert.rejects(github().compare(MISSING, head), RefNotFoundError);
	});

	test('unknown ref, tree and blob in a local repository', async () => {
		const local = new LocalGitSource({ path: repo.path });
		await assert.rejects(local.resolveRef('no-such-branch'), {
			name: 'RefNotFoundError',
			message: `Branch, tag or commit "no-such-branch" was not found in the git repository at ${local.repoKey.slice(6)}.`,
		});
		await assert.rejects(local.resolveRef('--output=/tmp/x'), RefNotFoundError);
		await assert.rejects(local.listTree(MISSING), RefNotFoundError);
		await assert.rejects(local.compare(head, MISSING), new RegExp(`"${MISSING}" was not found`));
		await assert.rejects(local.readBlob(MISSING, 'a.ts'), RefNotFoundError);
		await assert.rejects(local.readBlob('HEAD', 'a.ts'), InvalidInputError);
		const blob = await local.readBlob(await repo.blobSha(head, 'index.ts'), 'index.ts');
		assert.equal(blob.toString(), 'export const x = 1;\n');
		await local.close();
	});

	test('bad token, no token and a token without contents permission', async () => {
		await assert.rejects(github({ token: 'ghp_wrong' }).resolveRef('main'), (error: Error) => {
			assert.ok(error instanceof AuthError);
			assert.equal(error.message, `GitHub rejected the token (HTTP 401: Bad credentials${DOCS}).`);
			return true;
		});
		await assert.rejects(github({ token: undefined }).resolveRef('main'), RepoNotFoundError);
		const metadataOnly = github({ token: 'ghp_metadata_only' });
		await assert.rejects(metadataOnly.listTree(head), (error: AuthError) => {
			assert.ok(error instanceof AuthError);
			assert.equal(
				error.message,
				`GitHub refused access to octo-org/sample (HTTP 403: Resource not accessible by integration${DOCS}).`,
			);
			assert.match(error.hint ?? '', /"contents: read" \(GitHub asks for contents=read\)/);
			return true;
		});
	});

	test('rate limit exhausted: bounded retries, then RateLimitError', async () => {
		server.resetRequests();
		server.rateLimitNext({ requests: 10, kind: 'primary' });
		await assert.rejects(github({ maxRetries: 2 }).resolveRef('main'), (error: Error) => {
			assert.ok(error instanceof RateLimitError);
			const prefix = 'GitHub rate limit exhausted reading octo-org/sample; retries did not help ';
			assert.ok(error.message.startsWith(`${prefix}(HTTP 403: API rate limit exceeded for user ID 1.`));
			assert.match(error.message, / It resets at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z\.$/);
			return true;
		});
		assert.equal(server.requests[COMMITS], 3);
		server.rateLimitNext({ requests: 0, kind: 'primary' });
	});

	test('a rate limit asking to wait longer than allowed fails at once', async () => {
		server.resetRequests();
		server.rateLimitNext({ requests: 1, kind: 'secondary', retryAfterSeconds: 600 });
		await assert.rejects(github({ maxRetryAfterSeconds: 60 }).resolveRef('main'), RateLimitError);
		assert.equal(server.requests[COMMITS], 1);
	});

	test('rate limits that clear after one retry succeed', async () => {
		for (const kind of ['primary', 'secondary'] as const) {
			server.resetRequests();
			server.rateLimitNext({ requests: 1, kind });
			assert.equal(await github().resolveRef('main'), head);
			assert.equal(server.requests[COMMITS], 2, kind);
		}
	});

	test('connection failures become ServiceError after bounded retries', async () => {
		const closedPort = await freePort();
		const source = github({ baseUrl: `http://127.0.0.1:${closedPort}`, maxRetries: 1 });
		await assert.rejects(source.resolveRef('main'), (error: Error) => {
			assert.ok(error instanceof ServiceError);
			const expected = `Could not reach GitHub at http://127.0.0.1:${closedPort}: connect ECONNREFUSED`;
			assert.ok(error.message.startsWith(expected), error.message);
			return true;
		});
	});

	test('checkGitHubAccess', async () => {
		const baseUrl = server.baseUrl;
		assert.deepEqual(await checkGitHubAccess({ token: TOKEN, baseUrl }), { login: 'repomind-bot' });
		assert.deepEqual(
			await checkGitHubAccess({ token: TOKEN, baseUrl, owner: 'octo-org', repo: 'sample' }),
			{ login: 'repomind-bot', repository: 'octo-org/sample' },
		);
		await assert.rejects(checkGitHubAccess({ token: 'ghp_wrong', baseUrl }), AuthError);
		await assert.rejects(
			checkGitHubAccess({ token: TOKEN, baseUrl, owner: 'octo-org', repo: 'nope' }),
			RepoNotFoundError,
		);
	});
});

describe('LocalGitSource blob reader process', () => {
	test('reads concurrently, closes, restarts on demand, does not hold the process', async () => {
		const repo = await GitRepo.create();
		const files = Object.fromEntries(
			Array.from({ length: 300 }, (_, i) => [`f/${i}.txt`, `${i}\n`.repeat(i * 50)]),
		);
		await repo.writeFiles(files);
		const head = await repo.commit('many');
		const source = new LocalGitSource({ path: repo.path });
		const tree = await source.listTree(head);
		const read = (entry: (typeof tree)[number]) => source.readBlob(entry.blobSha, entry.path);
		const contents = await Promise.all(tree.map(read));
		assert.deepEqual(
			contents.map((content) => content.toString()),
			tree.map((entry) => files[entry.path]),
		);
		await source.close();
		await source.close();
		assert.equal((await read(tree[1])).toString(), files[tree[1].path]);
		await source.close();
		await repo.dispose();
	});
});

function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const probe = createServer().listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as { port: number };
			probe.close(() => resolve(port));
		});
	});
}
