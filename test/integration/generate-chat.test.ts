import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { AuthError, RateLimitError, ServiceError } from '../../lib/errors';
import {
	answerQuestion,
	createChatModel,
	hitsFromJson,
	type ChatModelConfig,
} from '../../lib/generate';
import { startChatServer, type ChatServer } from '../support/chat-server';

const API_KEY = 'sk-chat-test-SECRET-7d1f0c2b9e';
const HITS = hitsFromJson([
	{
		chunkId: 'p1',
		path: 'lib/parse.js',
		startLine: 1,
		endLine: 3,
		symbol: 'parse',
		text: 'function parse(glob, options) {\n  return scanGlob(glob);\n}',
	},
	{
		chunkId: 'u1',
		path: 'lib/utils.js',
		startLine: 10,
		endLine: 12,
		symbol: 'isWindows',
		text: 'exports.isWindows = () => process.platform === "win32";',
	},
	{
		chunkId: 'r1',
		path: 'README.md',
		startLine: 1,
		endLine: 2,
		symbol: '# picomatch',
		text: 'Blazing fast glob matcher.',
	},
]);

describe('chat models against a local chat API', () => {
	let server: ChatServer;
	before(async () => {
		server = await startChatServer({ apiKey: API_KEY });
	});
	after(() => server.close());
	beforeEach(() => {
		server.requests.length = 0;
		server.appendToAnswers = '';
	});

	const providers: Array<[string, () => ChatModelConfig]> = [
		[
			'OpenAI-compatible',
			() => ({
				provider: 'openai',
				model: 'test-chat-1',
				apiKey: API_KEY,
				baseURL: `${server.url}/v1`,
				baseDelayMs: 10,
			}),
		],
		[
			'Hugging Face endpoint',
			() => ({
				provider: 'huggingface',
				model: 'tgi',
				token: API_KEY,
				endpointUrl: server.url,
				baseDelayMs: 10,
			}),
		],
	];

	for (const [name, config] of providers) {
		test(`${name}: the right chunks reach the model and the answer cites them`, async () => {
			const model = createChatModel(config());
			const result = await answerQuestion(
				{ question: 'Where is the glob parsed?', hits: HITS },
				{ model, contextWindow: 4000, maxTokens: 300, temperature: 0.2 },
			);
			const [request] = server.requests;
			assert.equal(server.requests.length, 1);
			assert.equal(request.authorization, `Bearer ${API_KEY}`);
			assert.equal(request.model, config().model);
			assert.equal(request.temperature, 0.2);
			assert.equal(request.maxTokens, 300);
			assert.deepEqual(
				request.sources.map((source) => source.label),
				[
					'lib/parse.js:1-3 (parse)',
					'lib/utils.js:10-12 (isWindows)',
					'README.md:1-2 (# picomatch)',
				],
			);
			assert.equal(request.question, 'Where is the glob parsed?');
			assert.equal(
				result.answer,
				'lib/parse.js:1-3 is relevant here [1]. README.md:1-2 is relevant here [3].',
			);
			assert.deepEqual(
				result.citations.map((citation) => citation.chunkId),
				['p1', 'r1'],
			);
			assert.ok(result.usage.promptTokens > 100 && result.usage.completionTokens > 5);
			assert.equal(result.model, config().model);
		});

		test(`${name}: an invented citation is removed and reported`, async () => {
			server.appendToAnswers = ' Also see [99].';
			const model = createChatModel(config());
			const result = await answerQuestion(
				{ question: 'Where is the glob parsed?', hits: HITS },
				{ model, contextWindow: 4000, maxTokens: 300 },
			);
			assert.equal(
				result.answer,
				'lib/parse.js:1-3 is relevant here [1]. README.md:1-2 is relevant here [3]. Also see.',
			);
			assert.deepEqual(result.invalidCitations, [{ text: '[99]', reason: 'not-retrieved' }]);
		});

		test(`${name}: 429 with Retry-After is retried after the asked delay`, async () => {
			server.failNext(1, 'rate-limit', '1');
			const started = Date.now();
			const completion = await createChatModel(config()).complete([
				{ role: 'user', content: 'hello' },
			]);
			assert.ok(Date.now() - started >= 950, 'waited for Retry-After');
			assert.deepEqual(
				server.requests.map((request) => request.status),
				[429, 200],
			);
			assert.equal(completion.text, 'The sources do not answer this question.');
		});

		test(`${name}: 5xx after every retry is a clear ServiceError`, async () => {
			server.failNext(4, 'server-error');
			const model = createChatModel({ ...config(), retries: 3 });
			await assert.rejects(
				model.complete([{ role: 'user', content: 'hello' }]),
				(error: unknown) => {
					assert.ok(error instanceof ServiceError);
					assert.match(
						error.message,
						/^Chat completion with (openai:test-chat-1|hf:tgi) failed: server error \(HTTP 500\): .* \(gave up after 4 attempts\)$/,
					);
					assert.ok(
						!JSON.stringify({ message: error.message, stack: error.stack }).includes(API_KEY),
					);
					return true;
				},
			);
			assert.deepEqual(
				server.requests.map((request) => request.status),
				[500, 500, 500, 500],
			);
		});

		test(`${name}: 429 forever is a RateLimitError`, async () => {
			server.failNext(2, 'rate-limit', '0');
			await assert.rejects(
				createChatModel({ ...config(), retries: 1 }).complete([{ role: 'user', content: 'x' }]),
				RateLimitError,
			);
		});

		test(`${name}: a wrong key is an AuthError that does not echo the key`, async () => {
			const wrong = 'sk-chat-test-WRONG-3a9d7e';
			const base = config();
			const model = createChatModel(
				base.provider === 'openai' ? { ...base, apiKey: wrong } : { ...base, token: wrong },
			);
			await assert.rejects(
				model.complete([{ role: 'user', content: 'x' }]),
				(error: unknown) =>
					error instanceof AuthError &&
					/HTTP 401/.test(error.message) &&
					!error.message.includes(wrong),
			);
			assert.equal(server.requests.length, 1, '401 is not retried');
		});
	}

	test('an unreachable server is a ServiceError naming where it tried', async () => {
		const model = createChatModel({
			provider: 'openai',
			model: 'm',
			apiKey: API_KEY,
			baseURL: 'http://127.0.0.1:9/v1',
			retries: 1,
			baseDelayMs: 5,
		});
		await assert.rejects(
			model.complete([{ role: 'user', content: 'x' }]),
			(error: unknown) =>
				error instanceof ServiceError &&
				/could not reach http:\/\/127\.0\.0\.1:9\/v1/.test(error.message) &&
				!error.message.includes(API_KEY),
		);
	});
});
