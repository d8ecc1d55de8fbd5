import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { NO_RELEVANT_CONTEXT_ANSWER } from '../../lib/generate';
import { openPool } from '../../lib/store/mysql';
import { QueryLog } from '../../lib/store/query-log';
import { Generate } from '../../nodes/Generate/Generate.node.js';
import { startChatServer, type ChatServer } from '../support/chat-server';
import { assertNoSecrets, runNode, runNodeOk } from '../support/fake-execute';
import { createTestDatabase, type TestDatabase } from '../support/mysql-db';

const API_KEY = 'sk-generate-node-SECRET-55e1a0c7';
const HITS = [
	{
		chunkId: 'c-parse',
		repo: 'github:octo-org/sample',
		ref: 'main',
		path: 'lib/parse.js',
		startLine: 20,
		endLine: 42,
		symbol: 'parse',
		language: 'javascript',
		score: 0.031,
		scores: { vector: 0.62, lexical: 4.1, fused: 0.031 },
		text: 'const parse = (input, options) => {\n  // parse a glob pattern into a regex source\n};',
	},
	{
		chunkId: 'c-utils',
		repo: 'github:octo-org/sample',
		ref: 'main',
		path: 'lib/utils.js',
		startLine: 1,
		endLine: 9,
		symbol: null,
		language: 'javascript',
		score: 0.016,
		scores: { vector: 0.4, fused: 0.016 },
		text: 'exports.isObject = val => val !== null && typeof val === "object";',
	},
];
const RETRIEVED = {
	question: 'How is a glob pattern parsed?',
	repo: 'github:octo-org/sample',
	ref: 'main',
	commit: 'a'.repeat(40),
	mode: 'hybrid',
	embeddingModel: 'openai:text-embedding-3-small',
	filters: { pathPrefix: 'lib/' },
	hits: HITS,
	sessionId: 'session-42',
};
const PARAMETERS: INodeParameters = {
	operation: 'answer',
	openAiChatModel: 'test-chat',
	options: { retries: 1 },
};

describe('Generate node', () => {
	const node = new Generate();
	let server: ChatServer;
	let database: TestDatabase;
	const credentials = () => ({
		repoMindOpenAiApi: { apiKey: API_KEY, baseUrl: `${server.url}/v1/` },
		repoMindHuggingFaceApi: { accessToken: API_KEY, endpointUrl: server.url },
		repoMindMySql: { ...database.config, password: database.config.password ?? '' },
	});
	const logged = async () => {
		const pool = openPool(database.config);
		try {
			const [rows] = await pool.query('SELECT * FROM repomind_queries ORDER BY id');
			return rows as Array<Record<string, unknown>>;
		} finally {
			await pool.end();
		}
	};

	before(async () => {
		[server, database] = await Promise.all([
			startChatServer({ apiKey: API_KEY }),
			createTestDatabase('repomind_node_generate'),
		]);
	});
	after(async () => {
		await Promise.all([server.close(), database.drop()]);
	});
	beforeEach(() => {
		server.requests.length = 0;
		server.appendToAnswers = '';
	});

	test('answer: cited answer from the Retrieve item, logged with its conversation id', async () => {
		server.appendToAnswers = ' Maybe [7].';
		const output = await runNodeOk(node, {
			items: [RETRIEVED],
			parameters: PARAMETERS,
			credentials: credentials(),
		});
		assert.equal(output.length, 1);
		const json = output[0].json;
		assert.deepEqual(
			server.requests[0].sources.map((source) => source.label),
			['lib/parse.js:20-42 (parse)', 'lib/utils.js:1-9'],
		);
		assert.equal(json.answer, 'lib/parse.js:20-42 is relevant here [1]. Maybe.');
		assert.deepEqual(json.citations, [
			{ n: 1, chunkId: 'c-parse', path: 'lib/parse.js', startLine: 20, endLine: 42 },
		]);
		assert.deepEqual(json.invalidCitations, [{ text: '[7]', reason: 'not-retrieved' }]);
		assert.deepEqual(
			[
				json.question,
				json.repo,
				json.ref,
				json.commit,
				json.conversationId,
				json.model,
				json.noRelevantContext,
			],
			[
				RETRIEVED.question,
				'github:octo-org/sample',
				'main',
				'a'.repeat(40),
				'session-42',
				'test-chat',
				false,
			],
		);
		assert.deepEqual([json.sourcesUsed, json.sourcesOmitted], [2, 0]);
		assert.equal(typeof json.latencyMs, 'number');
		const [row] = await logged();
		assert.deepEqual(
			[
				row.conversation_id,
				row.repo_key,
				row.ref,
				row.question,
				row.answer,
				row.model,
				row.prompt_tokens,
				row.completion_tokens,
				row.latency_ms,
				row.error,
			],
			[
				'session-42',
				'github:octo-org/sample',
				'main',
				RETRIEVED.question,
				json.answer,
				'test-chat',
				(json.usage as IDataObject).promptTokens,
				(json.usage as IDataObject).completionTokens,
				json.latencyMs,
				null,
			],
		);
		assert.deepEqual(row.filters, { pathPrefix: 'lib/' });
		assert.deepEqual(row.retrieved, [
			{ chunkId: 'c-parse', score: 0.031 },
			{ chunkId: 'c-utils', score: 0.016 },
		]);
		assert.deepEqual(row.citations, json.citations);
		const pool = openPool(database.config);
		const conversation = await new QueryLog(pool)
			.conversation('session-42')
			.finally(() => pool.end());
		assert.deepEqual(
			conversation.map((entry) => [entry.question, entry.citations, entry.retrieved.length]),
			[[RETRIEVED.question, json.citations, 2]],
		);
		assertNoSecrets({ output }, [API_KEY]);
	});

	test('no hits: a flagged answer, no model call, still logged', async () => {
		const item = {
			...RETRIEVED,
			question: 'Where is the billing code?',
			hits: [],
			empty: true,
			reason: 'no chunk matched the filters',
			sessionId: 'session-empty',
		};
		const [{ json }] = await runNodeOk(node, {
			items: [item],
			parameters: PARAMETERS,
			credentials: credentials(),
		});
		assert.equal(server.requests.length, 0);
		assert.equal(json.noRelevantContext, true);
		assert.equal(json.answer, `${NO_RELEVANT_CONTEXT_ANSWER} (no chunk matched the filters)`);
		const rows = (await logged()).filter((row) => row.conversation_id === 'session-empty');
		assert.deepEqual(
			rows.map((row) => [row.question, row.retrieved, row.citations, row.model]),
			[['Where is the billing code?', [], [], null]],
		);
	});

	test('per-item errors with Continue On Fail: empty question, context too small, bad hits; the good item is answered', async () => {
		const items = [{ ...RETRIEVED, question: '' }, RETRIEVED, { ...RETRIEVED, hits: 'oops' }];
		const parameters = [
			PARAMETERS,
			{ ...PARAMETERS, contextWindow: 256, maxTokens: 200 },
			PARAMETERS,
		];
		const good = { ...RETRIEVED, sessionId: 'ok' };
		const output = await runNodeOk(node, {
			items: [...items, good],
			parameters: [...parameters, PARAMETERS],
			credentials: credentials(),
			continueOnFail: true,
		});
		assert.deepEqual(
			output.map((item) => [item.pairedItem, item.json.error ?? null]),
			[
				[{ item: 0 }, 'The question is empty'],
				[{ item: 1 }, output[1].json.error],
				[{ item: 2 }, '"hits" is not a list of hits'],
				[{ item: 3 }, null],
			],
		);
		assert.match(
			String(output[1].json.error),
			/^The context window \(256 tokens\) is too small for even one source/,
		);
		assert.equal(output[3].json.answer, 'lib/parse.js:20-42 is relevant here [1].');
		const failure = await runNode(node, {
			items: [{ ...RETRIEVED, question: '   ' }],
			parameters: PARAMETERS,
			credentials: credentials(),
		});
		assert.equal(failure.error?.message, 'The question is empty');
	});

	test('LLM 5xx after retries: a clear error, logged with the error, no secret anywhere', async () => {
		server.failNext(2, 'server-error');
		const item = { ...RETRIEVED, sessionId: 'session-500' };
		const result = await runNode(node, {
			items: [item],
			parameters: PARAMETERS,
			credentials: credentials(),
		});
		assert.match(
			String(result.error?.message),
			/^Chat completion with openai:test-chat failed: server error \(HTTP 500\): .* \(gave up after 2 attempts\)$/,
		);
		assertNoSecrets(result, [API_KEY]);
		const rows = (await logged()).filter((row) => row.conversation_id === 'session-500');
		assert.equal(rows.length, 1);
		assert.equal(rows[0].error, result.error?.message);
		assert.equal(rows[0].answer, null);
	});

	test('Hugging Face provider through the credential endpoint; logging off needs no MySQL credential', async () => {
		const parameters = {
			...PARAMETERS,
			chatProvider: 'huggingFace',
			huggingFaceChatModel: 'tgi',
			logQuery: false,
		};
		const { repoMindHuggingFaceApi } = credentials();
		const before = (await logged()).length;
		const [{ json }] = await runNodeOk(node, {
			items: [RETRIEVED],
			parameters,
			credentials: { repoMindHuggingFaceApi },
		});
		assert.equal(json.answer, 'lib/parse.js:20-42 is relevant here [1].');
		assert.equal(json.conversationId, null);
		assert.equal(server.requests[0].authorization, `Bearer ${API_KEY}`);
		assert.equal((await logged()).length, before);
	});

	test('summarizeChanges: areas with their sections', async () => {
		server.reply = (request) =>
			request.system.includes('## <area>')
				? '## lib\nParsing changed [2].\n\n## (root)\nDocs [1].'
				: undefined;
		try {
			const changes = [
				{ status: 'modified', path: 'lib/parse.js', diff: '-a\n+b' },
				{ status: 'added', path: 'README.md' },
			];
			const [{ json }] = await runNodeOk(node, {
				items: [{ changes }],
				parameters: {
					operation: 'summarizeChanges',
					openAiChatModel: 'test-chat',
					title: 'This week',
				},
				credentials: credentials(),
			});
			assert.equal(json.summary, '## lib\nParsing changed [2].\n\n## (root)\nDocs [1].');
			assert.deepEqual(json.areas, [
				{
					area: 'lib',
					files: [{ status: 'modified', path: 'lib/parse.js' }],
					summary: 'Parsing changed [2].',
				},
				{ area: '(root)', files: [{ status: 'added', path: 'README.md' }], summary: 'Docs [1].' },
			]);
			assert.deepEqual(
				(json.citations as IDataObject[]).map((citation) => citation.path),
				['lib/parse.js', 'changed files'],
			);
		} finally {
			server.reply = undefined;
		}
	});

	test('explainFile: the file and related hits reach the model', async () => {
		const item = {
			path: 'lib/parse.js',
			content: 'const parse = () => {};\nmodule.exports = parse;',
			hits: HITS,
		};
		const [{ json }] = await runNodeOk(node, {
			items: [item],
			parameters: {
				operation: 'explainFile',
				openAiChatModel: 'test-chat',
				focus: 'parse exports',
			},
			credentials: credentials(),
		});
		assert.deepEqual(
			server.requests[0].sources.map((source) => source.label),
			['lib/parse.js:1-2 — the file to explain', 'lib/utils.js:1-9'],
		);
		assert.equal(
			json.answer,
			'lib/parse.js:1-2 is relevant here [1]. lib/utils.js:1-9 is relevant here [2].',
		);
		assert.equal(json.path, 'lib/parse.js');
	});
});
