import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { EmbeddingServer } from '../support/embedding-server';
import { PICOMATCH, SAMPLE_REPO } from '../support/fixture-repo';
import type { GitRepo } from '../support/git-repo';
import type { GitHubServer } from '../support/github-server';
import { attachIndexEnv, snapshotIndex, type IndexEnv } from '../support/index-env';
import { startStandIns, type StandIns } from '../support/stand-ins';
import { N8nInstance, nodeOutput } from './n8n';
import { standInCredentials } from './credentials';

const ROOT = join(__dirname, '..', '..');
const WORKFLOW = join(ROOT, 'workflows', 'repo-full-index.json');
const REPO_KEY = SAMPLE_REPO.key;

describe('workflows/repo-full-index.json in a real n8n', () => {
	let standIns: StandIns;
	let repo: GitRepo;
	let github: GitHubServer;
	let embeddings: EmbeddingServer;
	let n8n: N8nInstance;
	let workflowId: string;

	before(async () => {
		standIns = await startStandIns({ embedKey: 'sk-local-test' });
		({ repo, github, embeddings } = standIns);
		n8n = new N8nInstance({ packageDir: ROOT });
		await n8n.importCredentials(standInCredentials(standIns));
		const workflow = JSON.parse(readFileSync(WORKFLOW, 'utf8'));
		const settings = workflow.nodes.find((node: { name: string }) => node.name === 'Repository');
		settings.parameters.assignments.assignments = [
			{ id: 'a1', name: 'owner', value: 'octo-org', type: 'string' },
			{ id: 'a2', name: 'repository', value: 'sample', type: 'string' },
			{ id: 'a3', name: 'ref', value: 'main', type: 'string' },
		];
		workflowId = await n8n.importWorkflow(workflow);
	});

	after(async () => {
		await n8n?.cleanup();
		await standIns?.close();
	});

	/** The index n8n built, read back through the core library. */
	async function indexBuiltByN8n(): Promise<IndexEnv> {
		return attachIndexEnv(standIns.database, standIns.chroma, { embedder: standIns.embedder(), chunker: {} });
	}

	it('indexes the repository exactly: Chroma and MySQL equal a fresh index', async () => {
		const result = await n8n.execute(workflowId);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const [report] = nodeOutput(result, 'Sync Repository');
		assert.equal(report.repoKey, REPO_KEY);
		assert.equal(report.commit, await repo.head());
		assert.ok(Number(report.chunksUpserted) > 20);
		assert.equal(report.embedded, report.chunksUpserted);
		const skipped = (report.skipped as Array<{ path: string; reason: string }>).map((file) => `${file.path}:${file.reason}`).sort();
		assert.deepEqual(skipped, ['.env:secret-file', 'assets/logo.png:default-excluded', 'package-lock.json:default-excluded']);
		const [summary] = nodeOutput(result, 'Summary');
		assert.match(String(summary.summary), /^github:octo-org\/sample@main \([0-9a-f]{7}\): \d+ files indexed/);
		const built = await indexBuiltByN8n();
		try {
			const mine = await snapshotIndex(built, REPO_KEY, 'main');
			assert.deepEqual(mine.chromaIds, mine.mysqlChunkIds);
			assert.deepEqual(mine, await standIns.freshSnapshot('main'));
		} finally {
			await built.deps.state.pool.end();
		}
		assert.ok(embeddings.requests.every((request) => request.authorization === 'Bearer sk-local-test'));
		assert.ok(embeddings.requests.every((request) => !request.texts.some((text) => text.includes('hunter2'))), 'secrets never reach the embedder');
	});

	it('re-runs after a one-file change embedding only that file and downloading only its blob', async () => {
		const utils = readFileSync(join(PICOMATCH, 'lib', 'utils.js'), 'utf8');
		await repo.writeFiles({ 'lib/utils.js': `${utils}\nexports.fromN8n = true;\n` });
		await repo.commit('one-file change');
		github.resetRequests();
		const textsBefore = embeddings.requests.reduce((sum, request) => sum + request.batchSize, 0);
		const result = await n8n.execute(workflowId);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const [report] = nodeOutput(result, 'Sync Repository');
		assert.equal(report.filesChanged, 1);
		assert.equal(report.embedded, embeddings.requests.reduce((sum, request) => sum + request.batchSize, 0) - textsBefore);
		assert.ok(Number(report.embedded) >= 1 && Number(report.embedded) <= 3);
		assert.equal(github.requests['GET /repos/{owner}/{repo}/git/blobs/{file_sha}'], 1);
	});

	it('fails with a clear error when the GitHub token is rejected, and leaves the index as it was', async () => {
		const built = await indexBuiltByN8n();
		const before = await snapshotIndex(built, REPO_KEY, 'main');
		github.options.token = 'ghp-rotated';
		try {
			const result = await n8n.execute(workflowId);
			assert.equal(result.status, 'error');
			assert.match(String(result.error?.message), /GitHub rejected the token/);
			assert.deepEqual(await snapshotIndex(built, REPO_KEY, 'main'), before);
		} finally {
			await built.deps.state.pool.end();
			github.options.token = 'ghp-test-token';
		}
	});
});
