import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ChatOpenAI } from '@langchain/openai';
import { NodeHelpers, type IDataObject, type INodeParameters } from 'n8n-workflow';
import { Evaluate } from '../../nodes/Evaluate/Evaluate.node.js';
import { startChatServer, type ChatServer } from '../support/chat-server';
import { runNodeError, runNodeOk } from '../support/fake-execute';
import { judgeStandIn, type JudgeStandIn } from '../support/judge-server';

const SUB_NODE_KEY = 'sk-judge-sub-node-SECRET-77a1';
const CREDENTIAL_KEY = 'sk-judge-credential-SECRET-5d02';
const HITS = [{ chunkId: 'c-utils', path: 'lib/utils.js', startLine: 17, endLine: 28, text: 'exports.isWindows = () => process.platform === "win32";' }];
const ITEM: IDataObject = { id: 'q1', question: 'How is win32 detected?', answer: 'It compares process.platform with win32 [1].', hits: HITS, citations: [] };
const PARAMETERS: INodeParameters = { operation: 'evaluateItem', hits: '={{ $json.hits }}', citations: '={{ $json.citations }}', latencyMs: '' };

describe('Evaluate judges through a connected Chat Model sub-node (version 1.1) or its credential', () => {
	const node = new Evaluate();
	let server: ChatServer;
	let judge: JudgeStandIn;
	const subNodeModel = () => new ChatOpenAI({ model: 'judge-sub-node', apiKey: SUB_NODE_KEY, maxRetries: 0, configuration: { baseURL: `${server.url}/v1` } });
	const parametersFor = (typeVersion: number, chatProvider?: string) => NodeHelpers.getNodeParameters(node.description.properties, { ...PARAMETERS, ...(chatProvider ? { chatProvider } : {}) }, true, false, { typeVersion }, node.description)!;
	const providerOptions = (typeVersion: number) =>
		node.description.properties
			.filter((property) => property.name === 'chatProvider' && NodeHelpers.displayParameter({ operation: 'evaluateItem', useJudge: true }, property, { typeVersion }, node.description))
			.flatMap((property) => (property.options as Array<{ value: string }>).map((option) => option.value));

	before(async () => {
		server = await startChatServer();
		judge = judgeStandIn();
		server.reply = judge.reply;
	});
	after(() => server?.close());
	beforeEach(() => {
		server.requests.length = 0;
		judge.calls.length = 0;
	});

	it('version 1.1 and later (the default is the newest) offer the Connected Chat Model; version 1 keeps its two providers and its default', () => {
		assert.deepEqual(node.description.version, [1, 1.1, 1.2], '1.1 adds the Chat Model input, 1.2 the repository and ref pickers');
		assert.equal(node.description.defaultVersion, 1.2);
		assert.deepEqual(providerOptions(1), ['openAiCompatible', 'huggingFace']);
		for (const version of [1.1, 1.2]) assert.deepEqual(providerOptions(version), ['openAiCompatible', 'huggingFace', 'chatModelNode']);
		for (const version of [1, 1.1, 1.2]) assert.equal(parametersFor(version).chatProvider, 'openAiCompatible');
	});

	it('the judge uses the connected model (its own model name and key), and no judge credential is asked for', async () => {
		const [item] = await runNodeOk(node, { items: [ITEM], parameters: { ...PARAMETERS, chatProvider: 'chatModelNode' }, typeVersion: 1.1, connections: { ai_languageModel: subNodeModel() } });
		assert.deepEqual(server.requests.map((request) => [request.model, request.authorization]).sort(), [
			['judge-sub-node', `Bearer ${SUB_NODE_KEY}`],
			['judge-sub-node', `Bearer ${SUB_NODE_KEY}`],
		]);
		assert.deepEqual(judge.calls.map((call) => call.task).sort(), ['answerRelevance', 'faithfulness']);
		const metrics = item.json.metrics as Record<string, number>;
		assert.equal(metrics.faithfulness, 1);
		assert.equal(typeof metrics.answerRelevance, 'number');
		assert.deepEqual(item.json.judgeFailures, []);
	});

	it('without a connected model the run fails with what to plug in', async () => {
		const error = await runNodeError(node, { items: [ITEM], parameters: { ...PARAMETERS, chatProvider: 'chatModelNode' }, typeVersion: 1.1 });
		assert.match(error.message, /No chat model is connected/);
		assert.equal(server.requests.length, 0);
	});

	it('a version 1 workflow (no provider saved) judges through its credential as before', async () => {
		const [item] = await runNodeOk(node, {
			items: [ITEM],
			parameters: { ...PARAMETERS, openAiChatModel: 'judge-credential-model' },
			typeVersion: 1,
			credentials: { repoMindOpenAiApi: { baseUrl: `${server.url}/v1`, apiKey: CREDENTIAL_KEY } },
		});
		assert.deepEqual(server.requests.map((request) => [request.model, request.authorization]), [
			['judge-credential-model', `Bearer ${CREDENTIAL_KEY}`],
			['judge-credential-model', `Bearer ${CREDENTIAL_KEY}`],
		]);
		assert.equal((item.json.metrics as Record<string, number>).faithfulness, 1);
	});
});
