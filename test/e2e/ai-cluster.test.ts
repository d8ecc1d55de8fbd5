import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { CodeSearch, formatSearch, TOOL_NAMES } from '../../lib/agent';
import type { ChatServer } from '../support/chat-server';
import type { EmbeddingServer } from '../support/embedding-server';
import type { IndexEnv } from '../support/index-env';
import { SAMPLE_REPO } from '../support/fixture-repo';
import { startStandIns, type StandIns } from '../support/stand-ins';
import { openAiApiCredential, standInCredentials } from './credentials';
import { N8nInstance, sendChatMessage } from './n8n';

const ROOT = join(__dirname, '..', '..');
const REPO_KEY = SAMPLE_REPO.key;
const EMBED_KEY = 'sk-local-test';
const CHAT_KEY = 'sk-chat-e2e-SECRET-12ab';
const QUESTION = 'How does isWindows detect the win32 platform (navigator or process)?';
const LOCATION = /\b([\w./-]+\.\w+):(\d+)-(\d+)\b/g;

interface WorkflowJson {
	nodes: Array<{ name: string; type: string; parameters: Record<string, unknown> }>;
	connections: Record<string, unknown>;
}

/** The `item` contents of a streamed chat reply (NDJSON of begin/item/end chunks). */
function streamedItems(text: string): string[] {
	return text
		.split('\n')
		.filter(Boolean)
		.map((line) => JSON.parse(line) as { type: string; content?: string })
		.filter((chunk) => chunk.type === 'item')
		.map((chunk) => chunk.content ?? '');
}

function workflow(file: string): WorkflowJson {
	const parsed = JSON.parse(readFileSync(join(ROOT, 'workflows', file), 'utf8')) as WorkflowJson;
	for (const node of parsed.nodes) {
		if (node.type === 'n8n-nodes-repomind.repoMindCodeSearch' || node.type === 'n8n-nodes-repomind.repoMindCodeRetriever') node.parameters.repositoryKey = { __rl: true, mode: 'list', value: REPO_KEY };
		if (node.type === '@n8n/n8n-nodes-langchain.lmChatOpenAi') node.parameters.model = { __rl: true, mode: 'id', value: 'repomind-test-chat' };
	}
	return parsed;
}

/** The `path:start-end` locations a text names. */
function locations(text: string): string[] {
	return [...text.matchAll(LOCATION)].map((match) => `${match[1]}:${match[2]}-${match[3]}`);
}

describe('RepoMind Code Search in n8n AI cluster workflows (real n8n)', () => {
	let standIns: StandIns;
	let chat: ChatServer;
	let embeddings: EmbeddingServer;
	let index: IndexEnv;
	let n8n: N8nInstance;
	let agentUrl: string;
	let chainUrl: string;

	const codeSearch = () =>
		new CodeSearch(
			{ state: index.deps.state, vectors: index.deps.vectors, embedder: standIns.embedder() },
			{ repoKey: REPO_KEY, ref: 'main', mode: 'hybrid', topK: 8, filters: {} }, // the node's defaults: fusion and weights unset
		);

	const post = async (url: string, sessionId: string, chatInput: string) => {
		const response = await sendChatMessage(url, sessionId, chatInput);
		return { status: response.status, text: await response.text() };
	};

	before(async () => {
		standIns = await startStandIns({ embedKey: EMBED_KEY, chatKey: CHAT_KEY });
		({ chat, embeddings } = standIns);
		index = await standIns.indexRepository();
		n8n = new N8nInstance({ packageDir: ROOT });
		await n8n.importCredentials([...standInCredentials(standIns), openAiApiCredential('openAiChatModel01', 'OpenAI account', `${chat.url}/v1`, CHAT_KEY)]);
		[agentUrl, chainUrl] = await n8n.serveChatWorkflows([workflow('repo-agent.json'), workflow('repo-qa-chain.json')]);
	});

	after(async () => {
		await n8n?.cleanup();
		await standIns?.close();
	});

	beforeEach(() => {
		chat.requests.length = 0;
		chat.reply = undefined;
		chat.callTool = undefined;
	});

	it('the agent calls the RepoMind search tool, gets its results and streams an answer citing retrieved chunks', async () => {
		chat.callTool = (request) => (request.tools.includes(TOOL_NAMES.search) ? { name: TOOL_NAMES.search, arguments: { query: QUESTION } } : undefined);
		chat.reply = (request) => {
			const found = locations(request.toolResults.join('\n')).slice(0, 2);
			return found.length ? `isWindows checks the platform (${found.join(') and (')}).` : undefined;
		};
		const reply = await post(agentUrl, 'agent-session-1', QUESTION);
		assert.equal(reply.status, 200, `${reply.text}\n${n8n.logs().slice(-3000)}`);

		assert.equal(chat.requests.length, 2, chat.requests.map((request) => request.tools.join(',')).join('\n'));
		const [first, second] = chat.requests;
		assert.deepEqual(first.tools.sort(), Object.values(TOOL_NAMES).sort());
		assert.deepEqual(first.toolCall, { name: TOOL_NAMES.search, arguments: { query: QUESTION } });
		assert.ok(first.stream && second.stream, 'the agent streams from the model');
		const expected = await codeSearch().search(QUESTION);
		assert.ok(expected.hits.some((hit) => hit.path === 'lib/utils.js'));
		assert.equal(second.toolResults.length, 1);
		assert.equal(second.toolResults[0], formatSearch(expected));

		const pieces = streamedItems(reply.text);
		assert.ok(pieces.length > 2, `streamed in several chunks: ${reply.text}`);
		const answer = pieces.join('');
		assert.equal(answer, second.answer);
		const cited = locations(answer);
		const retrieved = expected.hits.map((hit) => `${hit.path}:${hit.startLine}-${hit.endLine}`);
		assert.ok(cited.length === 2 && cited.every((location) => retrieved.includes(location)), `${answer} cites ${retrieved.join(', ')}`);
	});

	it('asking the agent again reuses the search result from the cache, marked in the tool result', async () => {
		chat.callTool = (request) => (request.tools.includes(TOOL_NAMES.search) ? { name: TOOL_NAMES.search, arguments: { query: QUESTION } } : undefined);
		const embedded = embeddings.requests.length;
		const reply = await post(agentUrl, 'agent-session-2', QUESTION);
		assert.equal(reply.status, 200, `${reply.text}\n${n8n.logs().slice(-3000)}`);
		const [, second] = chat.requests;
		const fresh = formatSearch(await codeSearch().search(QUESTION));
		const cached = second.toolResults[0];
		assert.match(cached, /\(commit [0-9a-f]{12}, cached result stored \d{4}-\d\d-\d\dT[\d:.]+Z\)/);
		assert.equal(cached.replace(/, cached result stored [^)]+/, ''), fresh);
		assert.equal(embeddings.requests.length, embedded + 1, 'only the in-process search above embedded the question');
	});

	it('the Question and Answer Chain answers from RepoMind documents labelled path:start-end', async () => {
		chat.reply = (request) => `It is in ${locations(request.system).slice(0, 1).join('')}.`;
		const reply = await post(chainUrl, 'chain-session-1', QUESTION);
		assert.equal(reply.status, 200, `${reply.text}\n${n8n.logs().slice(-3000)}`);
		assert.equal(chat.requests.length, 1);
		const [request] = chat.requests;
		assert.equal(request.user, QUESTION);
		const expected = await codeSearch().search(QUESTION);
		for (const hit of expected.hits) {
			assert.ok(request.system.includes(`${hit.path}:${hit.startLine}-${hit.endLine}${hit.symbol ? ` (${hit.symbol})` : ''}\n${hit.text}`), `document ${hit.path}:${hit.startLine}`);
		}
		const first = expected.hits[0];
		assert.equal(JSON.parse(reply.text).response, `It is in ${first.path}:${first.startLine}-${first.endLine}.`);
	});
});
