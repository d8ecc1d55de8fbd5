import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openAiModelId } from '../../lib/embed/openai';
import type { Embedder } from '../../lib/types';
import type { EmbeddingServer } from '../support/embedding-server';
import { attachIndexEnv, snapshotIndex, type IndexSnapshot } from '../support/index-env';
import { SAMPLE_REPO } from '../support/fixture-repo';
import { startStandIns, type StandIns } from '../support/stand-ins';
import { ollamaApiCredential, openAiApiCredential, standInCredentials } from './credentials';
import { N8nInstance, nodeOutput } from './n8n';

const ROOT = join(__dirname, '..', '..');
const REPO_KEY = SAMPLE_REPO.key;
const EMBED_KEY = 'sk-embed-sub-node-SECRET-5c1d';
const CHAT_KEY = 'sk-chat-sub-node-SECRET-9e02';
const QUESTION = 'How does isWindows detect the win32 platform?';
const CREDENTIALS = {
	repoMindChromaApi: { id: 'repomindChroma01', name: 'RepoMind Chroma' },
	repoMindMySql: { id: 'repomindMySql001', name: 'RepoMind MySQL' },
	repoMindGitHubApi: { id: 'repomindGitHub01', name: 'RepoMind GitHub' },
	repoMindOpenAiApi: { id: 'repomindOpenAi01', name: 'RepoMind Embeddings API' },
};

/** One of n8n's own Embeddings sub-nodes, as saved in a workflow. */
interface SubNode {
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
	credentials: Record<string, { id: string; name: string }>;
}

const OPENAI_SUB_NODE = (options: Record<string, unknown> = {}): SubNode => ({
	type: '@n8n/n8n-nodes-langchain.embeddingsOpenAi',
	typeVersion: 1.2,
	parameters: { model: 'text-embedding-3-small', options },
	credentials: { openAiApi: { id: 'openAiEmbed0001', name: 'OpenAI account' } },
});
const OLLAMA_SUB_NODE: SubNode = {
	type: '@n8n/n8n-nodes-langchain.embeddingsOllama',
	typeVersion: 1,
	parameters: { model: 'nomic-embed-text' },
	credentials: { ollamaApi: { id: 'ollamaEmbed0001', name: 'Ollama account' } },
};

/** Manual Trigger -> `root` (a RepoMind node of the version with the Embeddings input), with `subNode` plugged into it. */
function workflow(name: string, root: { name: string; type: string; typeVersion: number; parameters: Record<string, unknown> }, subNode?: SubNode) {
	const nodes: Array<Record<string, unknown>> = [
		{ id: `${name}-trigger`, name: 'Run Now', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{ id: `${name}-root`, ...root, position: [240, 0], credentials: CREDENTIALS },
	];
	const connections: Record<string, unknown> = { 'Run Now': { main: [[{ node: root.name, type: 'main', index: 0 }]] } };
	if (subNode) {
		nodes.push({ id: `${name}-embeddings`, name: 'Embeddings', position: [240, 200], ...subNode });
		connections.Embeddings = { ai_embedding: [[{ node: root.name, type: 'ai_embedding', index: 0 }]] };
	}
	return { name, nodes, connections, settings: {} };
}

const syncNode = (embeddingProvider: string) => ({
	name: 'Sync Repository',
	type: 'n8n-nodes-repomind.repoMindVectorStore',
	typeVersion: 1.1,
	parameters: { operation: 'syncRepository', source: 'github', owner: 'octo-org', repository: 'sample', syncRef: 'main', embeddingProvider, openAiModel: 'text-embedding-3-small', filters: {}, includeSkipped: false },
});

const retrieveNode = (embeddingProvider: string) => ({
	name: 'Retrieve',
	type: 'n8n-nodes-repomind.repoMindRetrieve',
	typeVersion: 1.2,
	parameters: { repositoryKey: REPO_KEY, ref: 'main', question: QUESTION, mode: 'vector', topK: 5, filters: {}, options: {}, embeddingProvider, openAiModel: 'text-embedding-3-small' },
});

/**
 * Manual Trigger -> Question and Answer Chain asking QUESTION, with n8n's OpenAI Chat Model (the chat
 * stand-in) and a RepoMind Code Search retriever of `typeVersion`, `subNode` plugged into Code Search.
 */
function codeSearchWorkflow(name: string, typeVersion: number, embeddingProvider: string, subNode?: SubNode) {
	const nodes: Array<Record<string, unknown>> = [
		{ id: `${name}-trigger`, name: 'Run Now', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{ id: `${name}-chain`, name: 'Question and Answer Chain', type: '@n8n/n8n-nodes-langchain.chainRetrievalQa', typeVersion: 1.7, position: [240, 0], parameters: { promptType: 'define', text: QUESTION, options: {} } },
		{ id: `${name}-chat`, name: 'OpenAI Chat Model', type: '@n8n/n8n-nodes-langchain.lmChatOpenAi', typeVersion: 1.2, position: [160, 200], parameters: { model: { __rl: true, mode: 'id', value: 'repomind-test-chat' }, options: {} }, credentials: { openAiApi: { id: 'openAiChat00001', name: 'OpenAI chat' } } },
		{ id: `${name}-search`, name: 'Code Search', type: 'n8n-nodes-repomind.repoMindCodeSearch', typeVersion, position: [360, 200], credentials: CREDENTIALS, parameters: { supply: 'retriever', repositoryKey: REPO_KEY, ref: 'main', mode: 'vector', topK: 5, filters: {}, options: {}, embeddingProvider, openAiModel: 'text-embedding-3-small' } },
	];
	const connections: Record<string, unknown> = {
		'Run Now': { main: [[{ node: 'Question and Answer Chain', type: 'main', index: 0 }]] },
		'OpenAI Chat Model': { ai_languageModel: [[{ node: 'Question and Answer Chain', type: 'ai_languageModel', index: 0 }]] },
		'Code Search': { ai_retriever: [[{ node: 'Question and Answer Chain', type: 'ai_retriever', index: 0 }]] },
	};
	if (subNode) {
		nodes.push({ id: `${name}-embeddings`, name: 'Embeddings', position: [360, 400], ...subNode });
		connections.Embeddings = { ai_embedding: [[{ node: 'Code Search', type: 'ai_embedding', index: 0 }]] };
	}
	return { name, nodes, connections, settings: {} };
}

describe('n8n Embeddings sub-nodes plugged into RepoMind (real n8n, n8n own Embeddings OpenAI and Embeddings Ollama)', () => {
	let standIns: StandIns;
	let embeddings: EmbeddingServer;
	let n8n: N8nInstance;
	const ids: Record<string, string> = {};

	/** The index of one embedding space, read back through the core library. */
	async function snapshot(modelId: string): Promise<IndexSnapshot> {
		const embedder: Embedder = { modelId, embed: () => Promise.reject(new Error('a snapshot embeds nothing')) };
		const env = await attachIndexEnv(standIns.database, standIns.chroma, { embedder, chunker: {} });
		try {
			return await snapshotIndex(env, REPO_KEY, 'main');
		} finally {
			await env.pool.end();
		}
	}

	/** Runs a workflow and returns the first item of `node`. */
	async function run(name: string, node: string): Promise<Record<string, unknown>> {
		const result = await n8n.execute(ids[name]);
		assert.equal(result.status, 'success', `${name}: ${JSON.stringify(result.error)}\n${n8n.logs().slice(-2000)}`);
		return nodeOutput(result, node)[0];
	}

	before(async () => {
		standIns = await startStandIns({ embedKey: EMBED_KEY, chatKey: CHAT_KEY });
		({ embeddings } = standIns);
		n8n = new N8nInstance({ packageDir: ROOT });
		await n8n.importCredentials([
			...standInCredentials(standIns),
			openAiApiCredential('openAiEmbed0001', 'OpenAI account', standIns.embeddingsBaseUrl, EMBED_KEY),
			openAiApiCredential('openAiChat00001', 'OpenAI chat', `${standIns.chat.url}/v1`, CHAT_KEY),
			ollamaApiCredential('ollamaEmbed0001', 'Ollama account', embeddings.url, EMBED_KEY),
		]);
		const workflows = {
			syncOwn: workflow('syncOwn', syncNode('openAiCompatible')),
			syncOpenAi: workflow('syncOpenAi', syncNode('embeddingsSubNode'), OPENAI_SUB_NODE()),
			syncOpenAiKeepingNewlines: workflow('syncOpenAiKeepingNewlines', syncNode('embeddingsSubNode'), OPENAI_SUB_NODE({ stripNewLines: false })),
			syncOllama: workflow('syncOllama', syncNode('embeddingsSubNode'), OLLAMA_SUB_NODE),
			retrieveOwn: workflow('retrieveOwn', retrieveNode('openAiCompatible')),
			retrieveOllama: workflow('retrieveOllama', retrieveNode('embeddingsSubNode'), OLLAMA_SUB_NODE),
			codeSearchOwn: codeSearchWorkflow('codeSearchOwn', 1, 'openAiCompatible'),
			codeSearchOllama: codeSearchWorkflow('codeSearchOllama', 1.1, 'embeddingsSubNode', OLLAMA_SUB_NODE),
			codeSearchUnplugged: codeSearchWorkflow('codeSearchUnplugged', 1.1, 'embeddingsSubNode'),
		};
		const imported = await n8n.importWorkflows(Object.values(workflows));
		Object.keys(workflows).forEach((name, i) => (ids[name] = imported[i]));
	});

	after(async () => {
		await n8n?.cleanup();
		await standIns?.close();
	});

	const ownModel = () => openAiModelId('text-embedding-3-small', `${embeddings.url}/v1`);
	const ollamaModel = () => `ollama:nomic-embed-text:32@${new URL(embeddings.url).host}`;

	it('Sync Repository through Embeddings OpenAI and Embeddings Ollama builds the index RepoMind own credential builds: same chunk ids, rows and vectors', async () => {
		const own = await run('syncOwn', 'Sync Repository');
		assert.equal(own.embeddingModel, ownModel());
		assert.ok(Number(own.chunksUpserted) > 20);
		const expected = await snapshot(ownModel());
		assert.deepEqual(expected.chromaIds, expected.mysqlChunkIds);

		const requestsBefore = embeddings.requests.length;
		const viaOpenAi = await run('syncOpenAi', 'Sync Repository');
		assert.equal(viaOpenAi.embeddingModel, `${ownModel()}#strip-newlines`, 'n8n\'s sub-node strips newlines by default: its own space, its own collection and cache');
		assert.notEqual(viaOpenAi.collection, own.collection);
		assert.equal(viaOpenAi.embedded, own.embedded);
		const openAiRequests = embeddings.requests.slice(requestsBefore);
		assert.ok(openAiRequests.length > 0 && openAiRequests.every((request) => request.path === '/v1/embeddings' && request.authorization === `Bearer ${EMBED_KEY}`));
		assert.ok(openAiRequests.every((request) => request.texts.every((text) => !text.includes('\n'))), 'the texts went through n8n\'s sub-node');
		assert.deepEqual(await snapshot(String(viaOpenAi.embeddingModel)), expected);

		const ollamaBefore = embeddings.requests.length;
		const viaOllama = await run('syncOllama', 'Sync Repository');
		assert.equal(viaOllama.embeddingModel, ollamaModel());
		assert.equal(viaOllama.embedded, own.embedded);
		const ollamaRequests = embeddings.requests.slice(ollamaBefore);
		assert.ok(ollamaRequests.length > 1 && ollamaRequests.every((request) => request.path === '/api/embed'), ollamaRequests.map((request) => request.path).join(','));
		assert.deepEqual(await snapshot(ollamaModel()), expected);
	});

	it('an OpenAI sub-node that sends the texts unchanged is the space of the own credential: it finds that index up to date', async () => {
		const report = await run('syncOpenAiKeepingNewlines', 'Sync Repository');
		assert.equal(report.embeddingModel, ownModel());
		assert.equal(report.embedded, 0);
		assert.equal(report.chunksUpserted, 0);
	});

	it('Retrieve with the Embeddings Ollama sub-node finds the chunks the own credential finds', async () => {
		const own = await run('retrieveOwn', 'Retrieve');
		const viaOllama = await run('retrieveOllama', 'Retrieve');
		assert.equal(viaOllama.embeddingModel, ollamaModel());
		const hits = (result: Record<string, unknown>) => (result.hits as Array<Record<string, unknown>>).map(({ chunkId, path, startLine, endLine, score }) => ({ chunkId, path, startLine, endLine, score }));
		assert.ok(hits(viaOllama).length === 5 && hits(viaOllama).some((hit) => hit.path === 'lib/utils.js'), JSON.stringify(hits(viaOllama)));
		assert.deepEqual(hits(viaOllama), hits(own));
	});

	it('Code Search 1.1 as a retriever with the Embeddings Ollama sub-node gives the chain the documents Code Search 1 with the own credential gives', async () => {
		/** The documents the Code Search retriever handed to the chain (the call n8n records on the sub-node). */
		const documents = async (name: string) => {
			const result = await n8n.execute(ids[name]);
			assert.equal(result.status, 'success', `${name}: ${JSON.stringify(result.error)}\n${n8n.logs().slice(-2000)}`);
			const recorded = result.runData['Code Search']?.[0]?.data?.ai_retriever?.[0]?.[0]?.json as { response: Array<{ pageContent: string; metadata: Record<string, unknown> }> };
			assert.equal(nodeOutput(result, 'Question and Answer Chain').length, 1);
			return recorded.response.map(({ pageContent, metadata: { path, startLine, endLine, chunkId, score } }) => ({ pageContent, path, startLine, endLine, chunkId, score }));
		};
		const requestsBefore = embeddings.requests.length;
		const viaOllama = await documents('codeSearchOllama');
		assert.ok(embeddings.requests.slice(requestsBefore).some((request) => request.path === '/api/embed'), 'the question went through n8n\'s Embeddings Ollama');
		assert.ok(viaOllama.length === 5 && viaOllama.some((document) => document.path === 'lib/utils.js'), JSON.stringify(viaOllama));
		assert.deepEqual(viaOllama, await documents('codeSearchOwn'));
	});

	it('Code Search 1.1 without a connected sub-node fails with what to connect', async () => {
		const result = await n8n.execute(ids.codeSearchUnplugged);
		assert.equal(result.status, 'error');
		assert.match(JSON.stringify(result.error), /No Embeddings sub-node is connected/);
	});
});
