import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ChatOpenAI } from '@langchain/openai';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { Generate } from '../../nodes/Generate/Generate.node.js';
import { startChatServer, type ChatServer } from '../support/chat-server';
import { runNode, runNodeOk } from '../support/fake-execute';

const API_KEY = 'sk-chat-model-input-SECRET-31c9';
const HITS = [
	{ chunkId: 'c-parse', repo: 'github:o/r', ref: 'main', path: 'lib/parse.js', startLine: 20, endLine: 42, symbol: 'parse', language: 'javascript', score: 0.03, text: 'const parse = (input, options) => {\n  // parse a glob pattern into a regex source\n};' },
	{ chunkId: 'c-utils', repo: 'github:o/r', ref: 'main', path: 'lib/utils.js', startLine: 1, endLine: 9, symbol: null, language: 'javascript', score: 0.01, text: 'exports.isObject = val => val !== null && typeof val === "object";' },
];
const ITEM: IDataObject = { question: 'How is a glob pattern parsed?', repo: 'github:o/r', ref: 'main', hits: HITS };
const PARAMETERS: INodeParameters = { operation: 'answer', chatProvider: 'chatModelNode', logQuery: false, question: '={{ $json.question }}' };

describe('Generate with a connected Chat Model sub-node, streamed and not', () => {
	const node = new Generate();
	let server: ChatServer;
	const chatModel = () => new ChatOpenAI({ model: 'sub-node-model', apiKey: API_KEY, maxRetries: 0, configuration: { baseURL: `${server.url}/v1` } });
	const run = (chunks?: Array<{ type: string; itemIndex: number; content?: unknown }>) =>
		runNodeOk(node, { items: [ITEM], parameters: PARAMETERS, connections: { ai_languageModel: chatModel() }, chunks });

	before(async () => {
		server = await startChatServer({ apiKey: API_KEY });
	});
	after(() => server?.close());
	beforeEach(() => {
		server.requests.length = 0;
		server.appendToAnswers = '';
	});

	it('answers through the connected model, which keeps its own model name and key', async () => {
		const [item] = await run();
		const [request] = server.requests;
		assert.equal(request.model, 'sub-node-model');
		assert.equal(request.authorization, `Bearer ${API_KEY}`);
		assert.equal(request.stream, false);
		assert.equal(item.json.answer, request.answer);
		assert.equal(item.json.streamed, false);
		assert.deepEqual((item.json.citations as Array<{ path: string }>).map((citation) => citation.path), ['lib/parse.js']);
	});

	it('streams the answer in several chunks whose concatenation is the non-streamed answer, then the sources', async () => {
		const [plain] = await run();
		const chunks: Array<{ type: string; itemIndex: number; content?: unknown }> = [];
		const [streamed] = await run(chunks);
		assert.equal(server.requests.at(-1)!.stream, true);
		assert.equal(chunks[0].type, 'begin');
		assert.equal(chunks.at(-1)!.type, 'end');
		const items = chunks.filter((chunk) => chunk.type === 'item').map((chunk) => String(chunk.content));
		const footer = items.pop()!;
		assert.ok(items.length > 3, `several chunks: ${items.length}`);
		assert.equal(items.join(''), plain.json.answer);
		assert.equal(streamed.json.answer, plain.json.answer);
		assert.equal(footer, '\n\nSources:\n[1] lib/parse.js:20-42');
		assert.equal(streamed.json.streamed, true);
	});

	it('an invented citation is streamed as the model wrote it and reported in the final chunk', async () => {
		server.appendToAnswers = ' See also [7].';
		const chunks: Array<{ type: string; itemIndex: number; content?: unknown }> = [];
		const [item] = await run(chunks);
		const items = chunks.filter((chunk) => chunk.type === 'item').map((chunk) => String(chunk.content));
		assert.ok(items.slice(0, -1).join('').endsWith(' See also [7].'));
		assert.match(items.at(-1)!, /\n\n\(1 citation\(s\) above point to code that was not retrieved and are not backed by the sources: \[7\]\)$/);
		assert.ok(!String(item.json.answer).includes('[7]'), 'the output item has it removed');
	});

	it('without a connected model the run fails with what to plug in', async () => {
		const result = await runNode(node, { items: [ITEM], parameters: PARAMETERS });
		assert.match(String(result.error?.message), /No chat model is connected/);
	});
});
