import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { IDataObject, ILoadOptionsFunctions, INodeParameters } from 'n8n-workflow';
import { createEmbedder } from '../../lib/embed';
import { Retrieve } from '../../nodes/Retrieve/Retrieve.node.js';
import { embeddingModelListSearch } from '../../nodes/shared/embedding-model-locator';
import { startEmbeddingServer, type EmbeddingServer } from '../support/embedding-server';
import { runNodeError, runNodeOk } from '../support/fake-execute';
import { makeRepository } from '../support/fixture-repo';
import type { GitRepo } from '../support/git-repo';
import { createIndexEnv, type IndexEnv } from '../support/index-env';
import { FIXTURE_REPO_KEY, syncLocal } from '../support/sync-assert';

const MODEL = 'hash-embed';
const rl = (mode: string, value: string) => ({ __rl: true, mode, value });

describe('the embedding Model picker: listSearch against MySQL, and Retrieve 1.4 run with the picked model', () => {
	let env: IndexEnv;
	let repo: GitRepo;
	let embeddings: EmbeddingServer;
	const node = new Retrieve();
	const mysql = () => ({ host: env.database.config.host, port: env.database.config.port ?? 3306, user: env.database.config.user, password: env.database.config.password ?? '', database: env.database.config.database });
	const credentials = () => ({ repoMindChromaApi: { url: env.chroma.url, authType: 'none' }, repoMindMySql: mysql(), repoMindOpenAiApi: { apiKey: 'none', baseUrl: `${embeddings.url}/v1` } });
	const loadOptions = (parameters: INodeParameters) =>
		({
			getCredentials: async () => mysql(),
			getCurrentNodeParameter: (name: string) => parameters[name],
			getNode: () => ({ name: 'Retrieve', type: 'n8n-nodes-repomind.repoMindRetrieve', typeVersion: 1.4, parameters }),
		}) as unknown as ILoadOptionsFunctions;
	const list = async (parameters: INodeParameters, filter?: string) => (await embeddingModelListSearch.searchEmbeddingModels.call(loadOptions(parameters), filter)).results;
	const picked = (ref = 'main', embeddingProvider = 'openAiCompatible') => ({ repositoryKey: rl('list', FIXTURE_REPO_KEY), ref: rl('list', ref), embeddingProvider });

	before(async () => {
		embeddings = await startEmbeddingServer();
		env = await createIndexEnv({ embedder: createEmbedder({ provider: 'openai', model: MODEL, apiKey: 'none', baseURL: `${embeddings.url}/v1` }) });
		repo = await makeRepository();
		await syncLocal(env, repo);
		await env.deps.state.ensureRef(FIXTURE_REPO_KEY, 'main', 'onnx:minilm@0123456789ab', 'c_onnx_folder');
		await env.deps.state.ensureRef(FIXTURE_REPO_KEY, 'dev', 'hash:384', 'c_hash_dev');
	});
	after(async () => {
		await env?.close();
		await repo?.dispose();
		await embeddings?.close();
	});

	it('lists the models of the chosen provider the ref is indexed with, by the name the Model field takes', async () => {
		const models = await list(picked());
		const endpoint = new URL(embeddings.url).host;
		assert.deepEqual(models.map((model) => [model.name, model.value]), [[MODEL, MODEL]]);
		assert.match(String(models[0].description), new RegExp(`embedded through ${endpoint}/v1.*index id openai:${MODEL}@${endpoint}/v1`));
		assert.deepEqual(await list(picked(), 'nothing like it'), []);
	});

	it('an id that does not map back, no index of the provider, and no index at all are said in the list', async () => {
		const [folder] = await list(picked('main', 'onnx'));
		assert.deepEqual([folder.name, folder.value], ['minilm (cannot be picked: a local folder, type its path By Name)', '']);
		const [other] = await list(picked('dev'));
		assert.equal(other.name, `No index of ${FIXTURE_REPO_KEY} at dev uses OpenAI-Compatible API; it is indexed with hash:384 (Feature Hashing)`);
		const [none] = await list(picked('feature/none'));
		assert.equal(none.name, `No index of ${FIXTURE_REPO_KEY} at feature/none yet: index it first`);
		const [unknown] = await list({ ...picked(), repositoryKey: rl('id', 'github:octo/unknown') });
		assert.equal(unknown.value, '');
		assert.match(String(unknown.name), /No index of github:octo\/unknown at main yet/);
	});

	it('with the ref empty or an expression, every indexed ref counts; without a repository it says to choose one first', async () => {
		assert.deepEqual((await list({ ...picked(), ref: rl('name', '={{ $json.branch }}') })).map((model) => model.value), [MODEL]);
		assert.deepEqual((await list({ ...picked('', 'onnx') })).map((model) => model.name), ['minilm (cannot be picked: a local folder, type its path By Name)']);
		await assert.rejects(list({ ...picked(), repositoryKey: rl('list', '') }), /Choose the repository first/);
	});

	it('Retrieve 1.4 runs with the picked model and gives the same hits as 1.3 with the typed model; By Name and expressions work too', async () => {
		const common = { question: 'escapeRegExp', topK: 3, mode: 'vector' };
		const run = (typeVersion: number, openAiModel: unknown, json: IDataObject = {}) => runNodeOk(node, { typeVersion, items: [json], parameters: { ...common, ...picked(), openAiModel } as INodeParameters, credentials: credentials() });
		const fromList = await run(1.4, rl('list', MODEL));
		const typed = await run(1.3, MODEL);
		assert.ok((fromList[0].json.hits as unknown[]).length > 0);
		assert.equal(fromList[0].json.embeddingModel, env.embedder.modelId);
		assert.deepEqual(fromList[0].json, typed[0].json);
		assert.deepEqual((await run(1.4, rl('name', MODEL)))[0].json, typed[0].json);
		assert.deepEqual((await run(1.4, rl('name', '={{ $json.model }}'), { model: MODEL }))[0].json, typed[0].json);
	});

	it('Retrieve 1.4 with nothing picked says to pick the model', async () => {
		const error = await runNodeError(node, { typeVersion: 1.4, parameters: { question: 'x', ...picked() }, credentials: credentials() });
		assert.match(error.message, /No embedding model is chosen/);
	});
});
