import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OpenAIEmbedder } from '../../lib/embed';
import { GitHubSource } from '../../lib/source';
import { syncRepository } from '../../lib/sync';
import { startChroma, type ChromaServer } from '../support/chroma-server';
import { startEmbeddingServer, type EmbeddingServer } from '../support/embedding-server';
import { makeRepository, PICOMATCH } from '../support/fixture-repo';
import type { GitRepo } from '../support/git-repo';
import { startGitHubServer, type GitHubServer } from '../support/github-server';
import { attachIndexEnv, createIndexEnv, snapshotIndex, type IndexEnv } from '../support/index-env';
import { createTestDatabase, type TestDatabase } from '../support/mysql-db';
import { ensureHarness, N8nInstance, nodeOutput } from './n8n';
import { repoMindCredentials } from './credentials';

const ROOT = join(__dirname, '..', '..');
const WORKFLOW = join(ROOT, 'workflows', 'repo-full-index.json');
const REPO_KEY = 'github:octo-org/sample';
const DIMENSIONS = 32;

describe('workflows/repo-full-index.json in a real n8n', () => {
	let repo: GitRepo;
	let github: GitHubServer;
	let embeddings: EmbeddingServer;
	let chroma: ChromaServer;
	let database: TestDatabase;
	let n8n: N8nInstance;
	let workflowId: string;

	before(async () => {
		repo = await makeRepository();
		[github, embeddings, chroma, database] = await Promise.all([
			startGitHubServer({ repoPath: repo.path, owner: 'octo-org', repo: 'sample', token: 'ghp-test-token' }),
			startEmbeddingServer({ dimensions: DIMENSIONS, apiKey: 'sk-local-test' }),
			startChroma(),
			createTestDatabase(),
		]);
		n8n = new N8nInstance({ harnessDir: ensureHarness(), packageDir: ROOT });
		await n8n.importCredentials(repoMindCredentials({ chromaUrl: chroma.url, mysql: database.config, githubBaseUrl: github.baseUrl, githubToken: 'ghp-test-token', openAiBaseUrl: `${embeddings.url}/v1`, openAiKey: 'sk-local-test' }));
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
		await Promise.all([github?.close(), embeddings?.close(), chroma?.stop(), database?.drop()]);
		await repo?.dispose();
	});

	/** The index n8n built, read back through the core library. */
	async function indexBuiltByN8n(): Promise<IndexEnv> {
		return attachIndexEnv(database, chroma, { embedder: new OpenAIEmbedder({ model: 'text-embedding-3-small', apiKey: 'sk-local-test', baseURL: `${embeddings.url}/v1` }), chunker: {} });
	}

	/** A fresh index of the same commit, built in-process through the same GitHub and embedding stand-ins. */
	async function freshIndex() {
		const fresh = await createIndexEnv({ embedder: new OpenAIEmbedder({ model: 'text-embedding-3-small', apiKey: 'sk-local-test', baseURL: `${embeddings.url}/v1` }), chunker: {} });
		try {
			await syncRepository(new GitHubSource({ owner: 'octo-org', repo: 'sample', token: 'ghp-test-token', baseUrl: github.baseUrl }), fresh.deps, { ref: 'main' });
			return await snapshotIndex(fresh, REPO_KEY, 'main');
		} finally {
			await fresh.close();
		}
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
			assert.deepEqual(mine, await freshIndex());
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
