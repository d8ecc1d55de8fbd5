import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { NodeOperationError, type IDataObject, type INodeParameters } from 'n8n-workflow';
import type { Pool } from 'mysql2/promise';
import { openAiModelId } from '../../lib/embed/openai';
import { IndexStateStore } from '../../lib/store/index-state';
import { openPool } from '../../lib/store/mysql';
import { ChromaVectorStore } from '../../lib/vector/chroma';
import { VectorStore } from '../../nodes/VectorStore/VectorStore.node.js';
import { startChroma, type ChromaServer } from '../support/chroma-server';
import { startEmbeddingServer, type EmbeddingServer } from '../support/embedding-server';
import { assertNoSecrets, runNode, runNodeOk } from '../support/fake-execute';
import { GitRepo } from '../support/git-repo';
import { startGitHubServer, type GitHubServer } from '../support/github-server';
import { createTestDatabase, type TestDatabase } from '../support/mysql-db';
import { freePort } from '../support/ports';

const GITHUB_TOKEN = 'ghp_sync_node_SECRET_1a2b3c4d5e';
const API_KEY = 'sk-sync-node-SECRET-6f7a8b9c0d';
const CHROMA_TOKEN = 'chroma-sync-node-SECRET-e1f2a3';
const MYSQL_PASSWORD = 'mysql-sync-node-SECRET-b4c5d6';
const SECRETS = [GITHUB_TOKEN, API_KEY, CHROMA_TOKEN, MYSQL_PASSWORD];
const REPO_KEY = 'github:octo-org/sample';
const SYNC: INodeParameters = { operation: 'syncRepository', source: 'github', owner: 'octo-org', repository: 'sample', syncRef: 'main', openAiModel: 'hash-embed' };

describe('Vector Store node: Sync Repository', () => {
	const node = new VectorStore();
	let repo: GitRepo;
	let github: GitHubServer;
	let embeddings: EmbeddingServer;
	const model = () => openAiModelId('hash-embed', `${embeddings.url}/v1`);
	let chroma: ChromaServer;
	let database: TestDatabase;
	let pool: Pool;
	let first: string;
	const credentials = (overrides: { chromaUrl?: string; mysqlPort?: number; mysqlPassword?: string } = {}) => ({
		repoMindChromaApi: { url: overrides.chromaUrl ?? chroma.url, authType: 'bearer', token: CHROMA_TOKEN, tenant: 'default_tenant', database: 'default_database' },
		repoMindMySql: {
			host: database.config.host,
			port: overrides.mysqlPort ?? database.config.port ?? 3306,
			user: database.config.user,
			password: overrides.mysqlPassword ?? database.config.password ?? '',
			database: database.config.database,
		},
		repoMindGitHubApi: { accessToken: GITHUB_TOKEN, baseUrl: github.baseUrl },
		repoMindOpenAiApi: { apiKey: API_KEY, baseUrl: `${embeddings.url}/v1` },
	});
	/** MySQL's chunk ids of the ref and the ids Chroma holds for it, both sorted. */
	const indexIds = async () => {
		const ref = await new IndexStateStore(pool).findRef(REPO_KEY, 'main', model());
		const mysql = ref ? await new IndexStateStore(pool).allChunkIds(ref.id) : [];
		const held = (await new ChromaVectorStore({ url: chroma.url }).listIds(ChromaVectorStore.collectionName(REPO_KEY, model()), { ref: 'main' })).sort();
		return { mysql: [...mysql].sort(), chroma: held, commit: ref?.commitSha ?? null };
	};
	const report = (json: IDataObject) => {
		const { runId, durationMs, ...rest } = json;
		assert.equal(typeof runId, 'number');
		assert.equal(typeof durationMs, 'number');
		return rest;
	};

	before(async () => {
		repo = await GitRepo.create();
		await repo.writeFiles({
			'src/app.ts': 'export function add(a: number, b: number): number {\n\treturn a + b;\n}\n',
			'docs/guide.md': '# Guide\n\nCall `add` with two numbers.\n',
			'.env': 'API_TOKEN=abcdef\n',
		});
		first = await repo.commit('first');
		[github, embeddings, chroma, database] = await Promise.all([
			startGitHubServer({ repoPath: repo.path, token: GITHUB_TOKEN }),
			startEmbeddingServer({ apiKey: API_KEY }),
			startChroma(),
			createTestDatabase('repomind_node_sync'),
		]);
		pool = openPool(database.config);
	});
	after(async () => {
		await pool.end();
		await Promise.all([github.close(), embeddings.close(), chroma.stop(), database.drop()]);
		await repo.dispose();
	});

	test('first sync through GitHub, the embedding API, Chroma and MySQL returns the report', async () => {
		const output = await runNodeOk(node, { parameters: SYNC, credentials: credentials() });
		assert.equal(output.length, 1);
		assert.deepEqual(output[0].pairedItem, { item: 0 });
		assert.deepEqual(report(output[0].json), {
			filesSeen: 3, filesChanged: 2, filesRemoved: 0, filesSkipped: 1, filesFailed: 0, chunksUpserted: 2, chunksDeleted: 0, embedded: 2, cacheHits: 0, reconciled: false, filesUnchanged: 0,
			status: 'succeeded', failed: [],
			skipped: [{ path: '.env', reason: 'secret-file', detail: 'file name marks a credentials file' }],
			repoKey: REPO_KEY, ref: 'main', commit: first, previousCommit: null, collection: ChromaVectorStore.collectionName(REPO_KEY, model()), embeddingModel: model(),
		});
		const ids = await indexIds();
		assert.equal(ids.mysql.length, 2);
		assert.deepEqual(ids, { mysql: ids.chroma, chroma: ids.chroma, commit: first });
		assert.deepEqual(embeddings.requests.map((request) => [request.batchSize, request.status]), [[2, 200]]);
		assertNoSecrets({ output }, SECRETS);
	});

	test('a second sync of the same commit embeds nothing', async () => {
		const output = await runNodeOk(node, { parameters: { ...SYNC, includeSkipped: false }, credentials: credentials() });
		assert.deepEqual(report(output[0].json), {
			filesSeen: 3, filesChanged: 0, filesRemoved: 0, filesSkipped: 1, filesFailed: 0, chunksUpserted: 0, chunksDeleted: 0, embedded: 0, cacheHits: 0, reconciled: false, filesUnchanged: 2,
			status: 'succeeded', failed: [], skipped: [], repoKey: REPO_KEY, ref: 'main', commit: first, previousCommit: first, collection: ChromaVectorStore.collectionName(REPO_KEY, model()), embeddingModel: model(),
		});
		assert.equal(embeddings.requests.length, 1, 'no request reached the embedding API');
	});

	test('MySQL unreachable: a clear error naming host and port, per item with Continue On Fail', async () => {
		const closed = await freePort();
		const message = `MySQL at 127.0.0.1:${closed}/${database.config.database} is unreachable (ECONNREFUSED)`;
		const description = 'Check host and port in the MySQL credential and that the server is running';
		const wrongPort = credentials({ mysqlPort: closed, mysqlPassword: MYSQL_PASSWORD });
		const thrown = await runNode(node, { items: [{ n: 0 }, { n: 1 }], parameters: SYNC, credentials: wrongPort });
		assert.ok(thrown.error instanceof NodeOperationError, String(thrown.error));
		assert.equal(thrown.error.message, message);
		assert.equal(thrown.error.description, description);
		assert.equal(thrown.error.context.itemIndex, 0);
		assertNoSecrets(thrown, SECRETS);

		const continued = await runNodeOk(node, { items: [{ n: 0 }, { n: 1 }], parameters: SYNC, credentials: wrongPort, continueOnFail: true });
		assert.deepEqual(continued, [0, 1].map((n) => ({ json: { n, error: message, errorDescription: description }, pairedItem: { item: n } })));
		assertNoSecrets({ output: continued }, SECRETS);
	});

	test('Chroma unreachable: a clear error naming host and port; MySQL never claims chunks Chroma lacks', async () => {
		await repo.writeFiles({ 'src/app.ts': 'export function add(a: number, b: number): number {\n\treturn b + a;\n}\n', 'src/more.ts': 'export const more = 2;\n' });
		const second = await repo.commit('second');
		const closedUrl = `http://127.0.0.1:${await freePort()}`;
		const message = `Chroma at ${new URL(closedUrl).host} is unreachable (open collection failed: Failed to connect to chromadb)`;
		const description = 'Check the Chroma URL, authentication, tenant and database in the Chroma credential and that the server is running';
		const unreachable = credentials({ chromaUrl: closedUrl });
		const thrown = await runNode(node, { items: [{ n: 0 }, { n: 1 }], parameters: SYNC, credentials: unreachable });
		assert.ok(thrown.error instanceof NodeOperationError, String(thrown.error));
		assert.ok(thrown.error.message.startsWith(message), thrown.error.message);
		assert.equal(thrown.error.description, description);
		assert.equal(thrown.error.context.itemIndex, 0);
		assertNoSecrets(thrown, SECRETS);

		const continued = await runNodeOk(node, { items: [{ n: 0 }, { n: 1 }], parameters: SYNC, credentials: unreachable, continueOnFail: true });
		assert.deepEqual(continued.map((item) => [item.json.n, String(item.json.error).startsWith(message), item.json.errorDescription, item.pairedItem]), [
			[0, true, description, { item: 0 }],
			[1, true, description, { item: 1 }],
		]);
		assertNoSecrets({ output: continued }, SECRETS);

		const afterFailure = await indexIds();
		assert.deepEqual(afterFailure.mysql.filter((id) => !afterFailure.chroma.includes(id)), [], 'MySQL claims chunks that Chroma lacks');
		assert.equal(afterFailure.commit, first);

		const repaired = await runNodeOk(node, { parameters: SYNC, credentials: credentials() });
		assert.deepEqual([repaired[0].json.commit, repaired[0].json.previousCommit, repaired[0].json.filesChanged], [second, first, 2]);
		const ids = await indexIds();
		assert.equal(ids.mysql.length, 3);
		assert.deepEqual(ids, { mysql: ids.chroma, chroma: ids.chroma, commit: second });
	});

	test('upsert and delete by hand into the collection a sync keeps are refused, and the index stays whole', async () => {
		const before = await indexIds();
		const item = { id: 'hand-made', content: 'x', vector: [1, 0, 0], repo: REPO_KEY, ref: 'main', path: 'src/app.ts', embeddingModel: model() };
		for (const parameters of [{ operation: 'upsert' }, { operation: 'delete', deleteBy: 'path', paths: 'src/app.ts' }, { operation: 'delete', deleteBy: 'ids', ids: before.chroma[0] }]) {
			const thrown = await runNode(node, { items: [item], parameters, credentials: credentials() });
			assert.ok(thrown.error instanceof NodeOperationError, `${parameters.operation}: ${String(thrown.error)}`);
			assert.match(thrown.error.message, /is kept in sync with the repository by Sync Repository/);
		}
		assert.deepEqual(await indexIds(), before);
	});

	test('Delete Ref Index keeps the index of a branch the repository still has, and deletes it once the branch is gone', async () => {
		const before = await indexIds();
		const parameters = { operation: 'deleteRefIndex', deleteRepoKey: REPO_KEY, deleteRef: 'main', source: 'github', owner: 'octo-org', repository: 'sample' };
		const kept = await runNodeOk(node, { parameters, credentials: credentials() });
		assert.equal(kept[0].json.deleted, false);
		assert.match(String(kept[0].json.keptBecause), /main still exists in the repository/);
		assert.deepEqual(await indexIds(), before);
		await repo.branch('short-lived');
		await runNodeOk(node, { parameters: { ...SYNC, syncRef: 'short-lived' }, credentials: credentials() });
		await repo.git('branch', '-D', 'short-lived');
		const gone = await runNodeOk(node, { parameters: { ...parameters, deleteRef: 'short-lived' }, credentials: credentials() });
		assert.deepEqual([gone[0].json.deleted, gone[0].json.keptBecause], [true, null]);
	});
});
