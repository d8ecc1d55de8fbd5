import assert from 'node:assert/strict';
import type { Pool } from 'mysql2/promise';
import { after, before, describe, it } from 'node:test';
import type { ILoadOptionsFunctions, INodeParameters } from 'n8n-workflow';
import { HashEmbedder } from '../../lib/embed';
import { IndexListing } from '../../lib/store/index-listing';
import { IndexStateStore } from '../../lib/store/index-state';
import { migrate } from '../../lib/store/migrate';
import { openPool } from '../../lib/store/mysql';
import { Retrieve } from '../../nodes/Retrieve/Retrieve.node.js';
import { repositoryListSearch } from '../../nodes/shared/repository-locator';
import { runNodeError, runNodeOk } from '../support/fake-execute';
import { makeRepository } from '../support/fixture-repo';
import type { GitRepo } from '../support/git-repo';
import { createIndexEnv, type IndexEnv } from '../support/index-env';
import { createTestDatabase, type TestDatabase } from '../support/mysql-db';
import { FIXTURE_REPO_KEY, syncLocal } from '../support/sync-assert';

const SHA = (n: number) => String(n).repeat(40).slice(0, 40);

describe('IndexListing: indexed repositories, refs and embedding models from MySQL', () => {
	let database: TestDatabase;
	let pool: Pool;
	let listing: IndexListing;

	before(async () => {
		database = await createTestDatabase('rm_hrl_listing');
		pool = openPool(database.config);
		await migrate(pool);
		const state = new IndexStateStore(pool);
		const index = async (repoKey: string, ref: string, model: string, commit: number | null, chunks = 10) => {
			const row = await state.ensureRef(repoKey, ref, model, `c_${repoKey.length}_${ref}_${model.length}`);
			if (commit !== null) await state.markIndexed(row.id, SHA(commit), { files: 1, chunks });
		};
		await index('github:octocat/hello-world', 'main', 'hash-384', 1, 12);
		await index('github:octocat/hello-world', 'main', 'openai:text-embedding-3-small', 2, 12);
		await index('github:octocat/hello-world', 'dev', 'hash-384', 3, 5);
		await index('github:octocat/spoon_knife', 'main', 'hash-384', 4);
		await index('local:/srv/repos/app', 'feature/x', 'hash-384', null);
		await pool.query("INSERT INTO repomind_repos (repo_key) VALUES ('github:gone/away')"); // no ref left: not listed
	});
	after(async () => {
		await pool?.end();
		await database?.drop();
	});

	it('lists repositories with at least one indexed ref, by key, with their refs, models and chunk totals', async () => {
		const repositories = await listing_().repositories();
		assert.deepEqual(repositories.map((repository) => repository.repoKey), ['github:octocat/hello-world', 'github:octocat/spoon_knife', 'local:/srv/repos/app']);
		const hello = repositories[0];
		assert.deepEqual(hello.refs, ['dev', 'main']);
		assert.deepEqual(hello.embeddingModels.sort(), ['hash-384', 'openai:text-embedding-3-small']);
		assert.equal(hello.chunkCount, 29);
		assert.ok(hello.lastIndexedAt instanceof Date);
		assert.equal(repositories[2].lastIndexedAt, null);
	});

	it('filters by a case-insensitive substring (LIKE wildcards literal) and honours the limit', async () => {
		assert.deepEqual((await listing_().repositories({ filter: 'HELLO' })).map((repository) => repository.repoKey), ['github:octocat/hello-world']);
		assert.deepEqual((await listing_().repositories({ filter: 'spoon_' })).map((repository) => repository.repoKey), ['github:octocat/spoon_knife']);
		assert.deepEqual(await listing_().repositories({ filter: 'n_k%' }), []);
		assert.deepEqual((await listing_().repositories({ limit: 1 })).map((repository) => repository.repoKey), ['github:octocat/hello-world']);
	});

	it('lists the refs of one repository with every embedding model and the newest finished commit', async () => {
		const refs = await listing_().refs('github:octocat/hello-world');
		assert.deepEqual(refs.map((ref) => ref.ref), ['dev', 'main']);
		assert.deepEqual(refs[1].embeddingModels.sort(), ['hash-384', 'openai:text-embedding-3-small']);
		assert.match(String(refs[1].commitSha), /^[12]{40}$/);
		assert.deepEqual((await listing_().refs('github:octocat/hello-world', { filter: 'DE' })).map((ref) => ref.ref), ['dev']);
		assert.deepEqual((await listing_().refs('github:octocat/hello-world', { embeddingModel: 'openai:text-embedding-3-small' })).map((ref) => ref.ref), ['main']);
		const unfinished = await listing_().refs('local:/srv/repos/app');
		assert.deepEqual(unfinished, [{ ref: 'feature/x', embeddingModels: ['hash-384'], commitSha: null, chunkCount: 0, lastIndexedAt: null }]);
		assert.deepEqual(await listing_().refs('github:nobody/none'), []);
	});

	function listing_(): IndexListing {
		listing ??= new IndexListing(pool);
		return listing;
	}
});

describe('the pickers in a node: listSearch against MySQL, and Retrieve 1.3 run with picked values', () => {
	let env: IndexEnv;
	let repo: GitRepo;
	const node = new Retrieve();
	const mysql = () => ({ host: env.database.config.host, port: env.database.config.port ?? 3306, user: env.database.config.user, password: env.database.config.password ?? '', database: env.database.config.database });
	const credentials = () => ({ repoMindChromaApi: { url: env.chroma.url, authType: 'none' }, repoMindMySql: mysql() });
	const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
	const loadOptions = (parameters: INodeParameters) =>
		({
			getCredentials: async () => mysql(),
			getCurrentNodeParameter: (name: string) => parameters[name],
			getNode: () => ({ name: 'Retrieve', type: 'n8n-nodes-repomind.repoMindRetrieve', typeVersion: 1.3, parameters }),
		}) as unknown as ILoadOptionsFunctions;

	before(async () => {
		env = await createIndexEnv({ embedder: new HashEmbedder({ dimensions: 384 }) });
		repo = await makeRepository();
		await syncLocal(env, repo);
	});
	after(async () => {
		await env?.close();
		await repo?.dispose();
	});

	it('searchRepositories and searchRefs list what the sync indexed, with commit and embedding model', async () => {
		const repositories = await repositoryListSearch.searchRepositories.call(loadOptions({}), 'fixt');
		assert.deepEqual(repositories.results.map((item) => item.value), [FIXTURE_REPO_KEY]);
		assert.match(String(repositories.results[0].description), /ref main; \d+ chunks; hash/);
		assert.deepEqual((await repositoryListSearch.searchGitHubRepositories.call(loadOptions({}))).results, []);
		const refs = await repositoryListSearch.searchRefs.call(loadOptions({ repositoryKey: rl('list', FIXTURE_REPO_KEY) }));
		const commit = (await env.deps.state.listRefs(FIXTURE_REPO_KEY))[0].commitSha!;
		assert.deepEqual(refs.results, [{ name: 'main', value: 'main', url: undefined, description: `at ${commit.slice(0, 7)}; embedding model ${env.deps.embedder.modelId}` }]);
	});

	it('searchRefs without a repository says to choose one first', async () => {
		await assert.rejects(repositoryListSearch.searchRefs.call(loadOptions({ repositoryKey: rl('list', '') })), /Choose the repository first/);
	});

	it('Retrieve 1.3 runs with the picked repository and ref, and gives the same hits as version 1 with typed text', async () => {
		const common = { embeddingProvider: 'hash', hashDimensions: 384, topK: 3, mode: 'lexical' };
		const picked = await runNodeOk(node, { typeVersion: 1.3, items: [{ chatInput: 'escapeRegExp' }], parameters: { ...common, repositoryKey: rl('list', FIXTURE_REPO_KEY), ref: rl('list', 'main') }, credentials: credentials() });
		const typed = await runNodeOk(node, { typeVersion: 1, items: [{ chatInput: 'escapeRegExp' }], parameters: { ...common, repositoryKey: FIXTURE_REPO_KEY, ref: 'main' }, credentials: credentials() });
		assert.equal(picked[0].json.repo, FIXTURE_REPO_KEY);
		assert.ok((picked[0].json.hits as unknown[]).length > 0);
		assert.deepEqual(picked[0].json, typed[0].json);
	});

	it('Retrieve 1.3 with a key the index does not know says the repository has no index', async () => {
		const error = await runNodeError(node, { typeVersion: 1.3, items: [{ chatInput: 'x' }], parameters: { embeddingProvider: 'hash', hashDimensions: 384, repositoryKey: rl('url', 'https://github.com/octo/unknown/tree/dev'), ref: rl('list', '') }, credentials: credentials() });
		assert.match(error.message, /Repository "github:octo\/unknown" has no index/);
	});
});
