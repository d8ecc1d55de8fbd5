import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { NodeOperationError, type INodeParameters } from 'n8n-workflow';
import { RepoFetch } from '../../nodes/RepoFetch/RepoFetch.node.js';
import { assertNoSecrets, runNode, runNodeError, runNodeOk } from '../support/fake-execute';
import { GitRepo } from '../support/git-repo';
import { startGitHubServer, type GitHubServer } from '../support/github-server';

const TOKEN = 'ghp_node_test_VALID_7f3a9c2e5b1d';
const WRONG_TOKEN = 'ghp_node_test_WRONG_0b8e4d6a2c9f';
const NO_ACCESS_TOKEN = 'ghp_node_test_METADATA_ONLY_5e1c';
const SECRETS = [TOKEN, WRONG_TOKEN, NO_ACCESS_TOKEN, 'hunter2hunter2'];
const DOCS = ' - https://docs.github.com/rest';
const APP_V1 = 'export function add(a: number, b: number): number {\n\treturn a + b;\n}\n';
const APP_V2 = `${APP_V1}\nexport function sub(a: number, b: number): number {\n\treturn a - b;\n}\n`;
const NEW_TS = 'export const fresh = 1;\n';
const GUIDE = '# Guide\n\nCall `add` with two numbers.\n\n## Errors\n\nNone so far.\n';

describe('Repo Fetch node', () => {
	const node = new RepoFetch();
	let repo: GitRepo;
	let server: GitHubServer;
	let base: string;
	let head: string;
	const blob = (commit: string, path: string) => repo.blobSha(commit, path);
	const github = (parameters: INodeParameters = {}): INodeParameters => ({ source: 'github', owner: 'octo-org', repository: 'sample', ...parameters });
	const local = (parameters: INodeParameters = {}): INodeParameters => ({ source: 'local', repositoryPath: repo.path, repositoryKey: 'local:fixture', ...parameters });
	const credentials = (accessToken = TOKEN) => ({ repoMindGitHubApi: { accessToken, baseUrl: server.baseUrl } });

	before(async () => {
		repo = await GitRepo.create();
		await repo.writeFiles({ 'src/app.ts': APP_V1, 'src/old.ts': 'export const legacy = true;\n', 'docs/guide.md': GUIDE, '.env': 'DATABASE_PASSWORD=hunter2hunter2\n' });
		base = await repo.commit('first');
		await repo.writeFiles({ 'src/app.ts': APP_V2, 'src/new.ts': NEW_TS });
		await repo.deleteFiles(['src/old.ts']);
		await repo.renameFile('docs/guide.md', 'docs/usage.md');
		head = await repo.commit('second');
		server = await startGitHubServer({ repoPath: repo.path, token: TOKEN, noAccessToken: NO_ACCESS_TOKEN });
	});
	after(async () => {
		await server.close();
		await repo.dispose();
	});

	const snapshotAt = async (commit: string, repoKey: string, ref: string) => [
		{ repo: repoKey, ref, commit, path: 'docs/usage.md', blobSha: await blob(commit, 'docs/usage.md'), language: 'markdown', size: GUIDE.length, status: 'unchanged', content: GUIDE },
		{ repo: repoKey, ref, commit, path: 'src/app.ts', blobSha: await blob(commit, 'src/app.ts'), language: 'typescript', size: APP_V2.length, status: 'unchanged', content: APP_V2 },
		{ repo: repoKey, ref, commit, path: 'src/new.ts', blobSha: await blob(commit, 'src/new.ts'), language: 'typescript', size: NEW_TS.length, status: 'unchanged', content: NEW_TS },
	];

	test('snapshot from GitHub and from the local clone: every file with content, secrets skipped', async () => {
		const fromGitHub = await runNodeOk(node, { parameters: github({ operation: 'snapshot', ref: 'main' }), credentials: credentials() });
		assert.deepEqual(fromGitHub.map((item) => item.pairedItem), [{ item: 0 }, { item: 0 }, { item: 0 }]);
		assert.deepEqual(fromGitHub.map((item) => item.json), await snapshotAt(head, 'github:octo-org/sample', 'main'));
		const fromLocal = await runNodeOk(node, { parameters: local({ operation: 'snapshot', ref: 'main' }) });
		assert.deepEqual(fromLocal.map((item) => item.json), await snapshotAt(head, 'local:fixture', 'main'));
		assertNoSecrets({ output: [fromGitHub, fromLocal] }, SECRETS);
	});

	test('snapshot with skipped files and without content', async () => {
		const parameters = github({ operation: 'snapshot', ref: base, options: { withContent: false, includeSkipped: true } });
		const output = await runNodeOk(node, { parameters, credentials: credentials() });
		const described = output.map(({ json }) => [json.path, json.status, json.skipReason ?? null, 'content' in json]);
		assert.deepEqual(described, [
			['.env', 'unchanged', 'secret-file', false],
			['docs/guide.md', 'unchanged', null, false],
			['src/app.ts', 'unchanged', null, false],
			['src/old.ts', 'unchanged', null, false],
		]);
		assertNoSecrets({ output }, SECRETS);
	});

	test('changes: added, modified, removed, renamed; content only where a file still exists', async () => {
		for (const source of [github, local]) {
			const output = await runNodeOk(node, { parameters: source({ operation: 'changes', base, head: 'main' }), credentials: credentials() });
			const repoKey = source === github ? 'github:octo-org/sample' : 'local:fixture';
			const at = { repo: repoKey, ref: 'main', commit: head };
			assert.deepEqual(output.map((item) => item.json), [
				{ ...at, path: 'docs/usage.md', previousPath: 'docs/guide.md', blobSha: await blob(head, 'docs/usage.md'), language: 'markdown', size: GUIDE.length, status: 'renamed', content: GUIDE },
				{ ...at, path: 'src/app.ts', blobSha: await blob(head, 'src/app.ts'), language: 'typescript', size: APP_V2.length, status: 'modified', content: APP_V2 },
				{ ...at, path: 'src/new.ts', blobSha: await blob(head, 'src/new.ts'), language: 'typescript', size: NEW_TS.length, status: 'added', content: NEW_TS },
				{ ...at, path: 'src/old.ts', blobSha: null, language: 'typescript', size: null, status: 'removed' },
			], repoKey);
		}
	});

	test('one file, and a file that does not exist', async () => {
		const output = await runNodeOk(node, { parameters: github({ operation: 'file', ref: base, path: 'src/app.ts' }), credentials: credentials() });
		assert.deepEqual(output, [{ json: { repo: 'github:octo-org/sample', ref: base, commit: base, path: 'src/app.ts', blobSha: await blob(base, 'src/app.ts'), language: 'typescript', size: APP_V1.length, status: 'unchanged', content: APP_V1 }, pairedItem: { item: 0 } }]);
		const error = await runNodeError(node, { parameters: local({ operation: 'file', ref: 'main', path: 'src/missing.ts' }) });
		assert.ok(error instanceof NodeOperationError);
		assert.equal(error.message, `No file src/missing.ts at main (${head.slice(0, 7)}) in local:fixture`);
		assert.equal(error.description, 'Check the path: it is relative to the repository root and case-sensitive');
		assert.equal(error.context.itemIndex, 0);
	});

	const failures: Array<{ name: string; failing: INodeParameters; token?: string; message: string; description: string; setup?: () => void }> = [
		{
			name: 'unknown repository',
			failing: github({ repository: 'missing', ref: 'main' }),
			message: `GitHub repository octo-org/missing was not found, or the token cannot see it (HTTP 404: Not Found${DOCS}).`,
			description: 'Check owner and repository name; a private repository needs a token with access to it.',
		},
		{
			name: 'unknown ref',
			failing: github({ ref: 'no-such-branch' }),
			message: 'Branch, tag or commit "no-such-branch" was not found in the GitHub repository octo-org/sample.',
			description: 'Check the spelling; the default branch is "main".',
		},
		{
			name: 'bad token (401)',
			failing: github({ ref: 'main' }),
			token: WRONG_TOKEN,
			message: `GitHub rejected the token (HTTP 401: Bad credentials${DOCS}).`,
			description: 'Check that the token is complete, not expired and not revoked, or create a new one.',
		},
		{
			name: 'token without contents permission (403)',
			failing: github({ ref: 'main' }),
			token: NO_ACCESS_TOKEN,
			message: `GitHub refused access to octo-org/sample (HTTP 403: Resource not accessible by integration${DOCS}).`,
			description: 'The token needs read access to repository contents: the fine-grained permission "contents: read" (GitHub asks for contents=read), or a classic token with the "repo" scope for a private repository.',
		},
		{
			name: 'rate limit exhausted',
			failing: github({ ref: 'main' }),
			setup: () => server.rateLimitNext({ requests: 1, kind: 'primary', retryAfterSeconds: 3600 }),
			message: `GitHub rate limit exhausted reading octo-org/sample; retries did not help (HTTP 403: API rate limit exceeded for user ID 1.${DOCS}).`,
			description: 'Wait for the reset, use a token (5,000 requests an hour instead of 60), or sync less often.',
		},
	];

	for (const failure of failures) {
		test(`${failure.name}: NodeOperationError for the item, or an error item with Continue On Fail`, async () => {
			const good = local({ operation: 'file', ref: base, path: 'src/old.ts' });
			const parameters = [good, { operation: 'file', path: 'src/app.ts', ...failure.failing }];
			failure.setup?.();
			const thrown = await runNode(node, { items: [{ n: 0 }, { n: 1 }], parameters, credentials: credentials(failure.token) });
			assert.ok(thrown.error instanceof NodeOperationError, String(thrown.error));
			assert.ok(thrown.error.message.startsWith(failure.message), thrown.error.message);
			assert.equal(thrown.error.description, failure.description);
			assert.equal(thrown.error.context.itemIndex, 1);
			assertNoSecrets(thrown, SECRETS);

			failure.setup?.();
			const continued = await runNode(node, { items: [{ n: 0 }, { n: 1 }], parameters, credentials: credentials(failure.token), continueOnFail: true });
			assert.ok(continued.output, String(continued.error));
			assert.equal(continued.output.length, 2);
			assert.deepEqual(continued.output[0].pairedItem, { item: 0 });
			assert.equal(continued.output[0].json.path, 'src/old.ts');
			assert.equal(continued.output[0].json.content, 'export const legacy = true;\n');
			const { error, ...rest } = continued.output[1].json;
			assert.ok(String(error).startsWith(failure.message), String(error));
			assert.deepEqual(rest, { n: 1, errorDescription: failure.description });
			assert.deepEqual(continued.output[1].pairedItem, { item: 1 });
			assertNoSecrets(continued, SECRETS);
		});
	}
});
