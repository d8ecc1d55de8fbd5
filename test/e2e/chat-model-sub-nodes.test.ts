import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startChatServer, type ChatServer } from '../support/chat-server';
import { PICOMATCH } from '../support/fixture-repo';
import { judgeStandIn, standInVerdict, type JudgeStandIn } from '../support/judge-server';
import { ollamaApiCredential, openAiApiCredential } from './credentials';
import { N8nInstance, sendChatMessage } from './n8n';

const ROOT = join(__dirname, '..', '..');
const CHAT_KEY = 'sk-chat-sub-nodes-SECRET-7c3e';
const QUESTION = 'How does isWindows detect the win32 platform (navigator or process)?';
const STREAM_DELAY_MS = 40;

/** A retrieved chunk of picomatch (the e2e fixture repository) with its real text. */
function hit(path: string, startLine: number, endLine: number, symbol: string | null) {
	const text = readFileSync(join(PICOMATCH, path), 'utf8').split('\n').slice(startLine - 1, endLine).join('\n');
	return { chunkId: `chunk-${path}-${startLine}`, repo: 'github:octo-org/sample', ref: 'main', path, startLine, endLine, symbol, language: 'javascript', score: 0.5, text };
}
const HITS = [hit('lib/utils.js', 17, 28, 'isWindows'), hit('lib/parse.js', 356, 380, 'parse'), hit('lib/utils.js', 11, 15, null)];

const OPENAI_MODEL = {
	type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
	typeVersion: 1.2,
	parameters: { model: { __rl: true, mode: 'id', value: 'repomind-test-chat' }, options: {} },
	credentials: { openAiApi: { id: 'openAiChatModel01', name: 'OpenAI account' } },
};
const OLLAMA_MODEL = {
	type: '@n8n/n8n-nodes-langchain.lmChatOllama',
	typeVersion: 1,
	parameters: { model: 'llama3.2:1b', options: {} },
	credentials: { ollamaApi: { id: 'ollamaChatModel01', name: 'Ollama account' } },
};

type ResponseMode = 'streaming' | 'lastNode';
interface Workflow {
	name: string;
	nodes: Array<Record<string, unknown>>;
	connections: Record<string, unknown>;
}

/** Chat Trigger → Set (the item a RepoMind node gets) → `node`, with an n8n Chat Model sub-node on its Chat Model input. */
function chatWorkflow(name: string, webhookId: string, responseMode: ResponseMode, item: unknown, node: Record<string, unknown>, model: Record<string, unknown>): Workflow {
	return {
		name,
		nodes: [
			{ id: `${webhookId}-1`, name: 'Chat', type: '@n8n/n8n-nodes-langchain.chatTrigger', typeVersion: 1.5, position: [0, 0], webhookId, parameters: { public: true, mode: 'webhook', authentication: 'none', options: { responseMode } } },
			{ id: `${webhookId}-2`, name: 'Retrieved', type: 'n8n-nodes-base.set', typeVersion: 3.4, position: [220, 0], parameters: { mode: 'raw', jsonOutput: JSON.stringify(item), options: {} } },
			{ id: `${webhookId}-3`, position: [440, 0], ...node },
			{ id: `${webhookId}-4`, name: 'Chat Model', position: [440, 220], ...model },
		],
		connections: {
			Chat: { main: [[{ node: 'Retrieved', type: 'main', index: 0 }]] },
			Retrieved: { main: [[{ node: String(node.name), type: 'main', index: 0 }]] },
			'Chat Model': { ai_languageModel: [[{ node: String(node.name), type: 'ai_languageModel', index: 0 }]] },
		},
	};
}

function generateWorkflow(name: string, webhookId: string, responseMode: ResponseMode, model: Record<string, unknown>): Workflow {
	const generate = { name: 'Generate', type: 'n8n-nodes-repomind.repoMindGenerate', typeVersion: 1, parameters: { operation: 'answer', question: "={{ $('Chat').item.json.chatInput }}", chatProvider: 'chatModelNode', logQuery: false, options: {} } };
	return chatWorkflow(name, webhookId, responseMode, { repo: 'github:octo-org/sample', ref: 'main', hits: HITS }, generate, model);
}

/** One line of the chat webhook's streamed reply, and when the client read it. */
interface StreamedChunk {
	type: string;
	content?: string;
	at: number;
}

describe("Generate and Evaluate through n8n's own Chat Model sub-nodes (real n8n)", () => {
	let chat: ChatServer;
	let judge: JudgeStandIn;
	let n8n: N8nInstance;
	const urls: Record<string, string> = {};

	const post = (url: string, sessionId: string) => sendChatMessage(url, sessionId, QUESTION);
	const failure = async (response: Response) => `${response.status} ${await response.text()}\nmodel requests: ${JSON.stringify(chat.requests.map((request) => [request.path, request.status]))}\n${n8n.logs().slice(-2000)}`;

	/** The reply of a Chat Trigger in Last Node mode: the last node's item. */
	const ask = async (url: string, sessionId: string): Promise<Record<string, unknown>> => {
		const response = await post(url, sessionId);
		if (response.status !== 200) assert.fail(await failure(response));
		return (await response.json()) as Record<string, unknown>;
	};

	/** The reply of a Chat Trigger in Streaming mode, read line by line as it arrives. */
	const askStreaming = async (url: string, sessionId: string): Promise<StreamedChunk[]> => {
		const response = await post(url, sessionId);
		if (response.status !== 200 || !response.body) assert.fail(await failure(response));
		const chunks: StreamedChunk[] = [];
		const decoder = new TextDecoder();
		let buffered = '';
		for await (const bytes of response.body) {
			buffered += decoder.decode(bytes, { stream: true });
			const lines = buffered.split('\n');
			buffered = lines.pop()!;
			for (const line of lines.filter(Boolean)) chunks.push({ ...(JSON.parse(line) as { type: string; content?: string }), at: performance.now() });
		}
		return chunks;
	};

	/** Streamed and not, through one sub-node: the same answer with its citations, streamed in pieces that arrive over time. */
	const assertAnswers = async (plainUrl: string, streamingUrl: string, session: string) => {
		const plain = await ask(plainUrl, `${session}-plain`);
		const [first] = chat.requests;
		assert.deepEqual(first.sources.map((source) => source.text), HITS.map((entry) => entry.text), 'Generate put the retrieved chunks in the prompt');
		assert.equal(first.question, QUESTION);
		assert.equal(first.authorization, `Bearer ${CHAT_KEY}`);
		assert.equal(plain.answer, first.answer, 'the answer is the model output, with nothing removed');
		assert.match(String(plain.answer), /^lib\/utils\.js:17-28 is relevant here \[1\]\./);
		assert.deepEqual(plain.citations, [{ n: 1, chunkId: HITS[0].chunkId, path: 'lib/utils.js', startLine: 17, endLine: 28 }]);
		assert.deepEqual([plain.invalidCitations, plain.streamed, plain.noRelevantContext], [[], false, false]);

		const streamed = await askStreaming(streamingUrl, `${session}-streamed`);
		assert.equal(chat.requests.length, 2);
		assert.equal(chat.requests[1].answer, first.answer, 'the stand-in gave the same output to both');
		const ends = streamed.filter((chunk) => chunk.type === 'end');
		const items = streamed.filter((chunk) => chunk.type === 'item');
		const footer = items.pop()!;
		assert.ok(items.length >= 5, `several chunks before the end: ${items.length}`);
		assert.ok(items.every((chunk) => chunk.at <= ends.at(-1)!.at));
		assert.ok(items.at(-1)!.at - items[0].at >= STREAM_DELAY_MS * 2, `the pieces arrived over time, not in one reply: ${Math.round(items.at(-1)!.at - items[0].at)} ms`);
		assert.equal(items.map((chunk) => chunk.content).join(''), plain.answer, 'the streamed pieces add up to the non-streamed answer');
		assert.equal(footer.content, '\n\nSources:\n[1] lib/utils.js:17-28');
	};

	before(async () => {
		chat = await startChatServer({ apiKey: CHAT_KEY, maxCitations: 1 });
		chat.streamDelayMs = STREAM_DELAY_MS;
		judge = judgeStandIn();
		n8n = new N8nInstance({ packageDir: ROOT });
		await n8n.importCredentials([
			openAiApiCredential('openAiChatModel01', 'OpenAI account', `${chat.url}/v1`, CHAT_KEY),
			ollamaApiCredential('ollamaChatModel01', 'Ollama account', chat.url, CHAT_KEY),
		]);
		const answered = { id: 'is-windows', answer: 'isWindows compares process.platform with win32 [1]. It reads navigator.platform in a browser [1].', hits: HITS, citations: [] };
		const evaluate = { name: 'Evaluate', type: 'n8n-nodes-repomind.repoMindEvaluate', typeVersion: 1.1, parameters: { operation: 'evaluateItem', question: "={{ $('Chat').item.json.chatInput }}", chatProvider: 'chatModelNode', options: {} } };
		const workflows: Record<string, Workflow> = {
			openAiPlain: generateWorkflow('Generate, OpenAI Chat Model', '6b1f0a52-0c4e-4f7e-9d3a-12000000000a', 'lastNode', OPENAI_MODEL),
			openAiStreaming: generateWorkflow('Generate, OpenAI Chat Model, streaming', '6b1f0a52-0c4e-4f7e-9d3a-12000000000b', 'streaming', OPENAI_MODEL),
			ollamaPlain: generateWorkflow('Generate, Ollama Chat Model', '6b1f0a52-0c4e-4f7e-9d3a-12000000000c', 'lastNode', OLLAMA_MODEL),
			ollamaStreaming: generateWorkflow('Generate, Ollama Chat Model, streaming', '6b1f0a52-0c4e-4f7e-9d3a-12000000000d', 'streaming', OLLAMA_MODEL),
			evaluate: chatWorkflow('Evaluate, judged by an OpenAI Chat Model', '6b1f0a52-0c4e-4f7e-9d3a-12000000000e', 'lastNode', answered, evaluate, OPENAI_MODEL),
		};
		const served = await n8n.serveChatWorkflows(Object.values(workflows));
		Object.keys(workflows).forEach((key, i) => (urls[key] = served[i]));
	});

	after(async () => {
		await n8n?.cleanup();
		await chat?.close();
	});

	beforeEach(() => {
		chat.requests.length = 0;
		chat.reply = undefined;
		judge.calls.length = 0;
	});

	it("Generate answers through n8n's OpenAI Chat Model with its citations; streamed, the pieces add up to the same answer", async () => {
		await assertAnswers(urls.openAiPlain, urls.openAiStreaming, 'openai');
		assert.deepEqual(chat.requests.map((request) => [request.path, request.model, request.stream]), [
			['/v1/chat/completions', 'repomind-test-chat', false],
			['/v1/chat/completions', 'repomind-test-chat', true],
		]);
	});

	it("Generate answers through n8n's Ollama Chat Model (/api/chat, NDJSON) with its citations; streamed, the pieces add up to the same answer", async () => {
		await assertAnswers(urls.ollamaPlain, urls.ollamaStreaming, 'ollama');
		// @langchain/ollama always asks /api/chat for a stream, also for a single invoke.
		assert.deepEqual(chat.requests.map((request) => [request.path, request.model, request.stream]), [
			['/api/chat', 'llama3.2:1b', true],
			['/api/chat', 'llama3.2:1b', true],
		]);
	});

	it("Evaluate 1.1 judges through n8n's OpenAI Chat Model on its Chat Model input", async () => {
		chat.reply = judge.reply;
		const result = await ask(urls.evaluate, 'evaluate-1');
		assert.deepEqual(chat.requests.map((request) => [request.path, request.model, request.authorization]), [
			['/v1/chat/completions', 'repomind-test-chat', `Bearer ${CHAT_KEY}`],
			['/v1/chat/completions', 'repomind-test-chat', `Bearer ${CHAT_KEY}`],
		]);
		assert.deepEqual(judge.calls.map((call) => [call.task, call.question, call.malformed]).sort(), [
			['answerRelevance', QUESTION, false],
			['faithfulness', QUESTION, false],
		]);
		const answer = 'isWindows compares process.platform with win32 [1]. It reads navigator.platform in a browser [1].';
		const relevance = standInVerdict.relevance(QUESTION, answer);
		assert.deepEqual(result.metrics, { faithfulness: 1, answerRelevance: relevance.score });
		assert.deepEqual((result.verdicts as Record<string, { score: number; reason: string }>).answerRelevance, relevance);
		assert.deepEqual(result.judgeFailures, []);
		assert.equal(result.id, 'is-windows');
	});
});
