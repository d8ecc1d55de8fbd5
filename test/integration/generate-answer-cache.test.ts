import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { IndexStateStore } from '../../lib/store/index-state';
import { migrate } from '../../lib/store/migrate';
import { openPool } from '../../lib/store/mysql';
import { Generate } from '../../nodes/Generate/Generate.node.js';
import { startChatServer, type ChatServer } from '../support/chat-server';
import { assertNoSecrets, runNode, runNodeOk } from '../support/fake-execute';
import { createTestDatabase, type TestDatabase } from '../support/mysql-db';

const API_KEY = 'sk-generate-cache-SECRET-3f0c2b99';
const REPO = 'github:octo-org/sample';
const MODEL = 'openai:text-embedding-3-small';
const RETRIEVED = {
	question: 'How is a glob pattern parsed?',
	repo: REPO,
	ref: 'main',
	commit: 'a'.repeat(40),
	mode: 'hybrid',
	embeddingModel: MODEL,
	filters: {},
	hits: [
		{ chunkId: 'c-parse', repo: REPO, ref: 'main', path: 'lib/parse.js', startLine: 20, endLine: 42, symbol: 'parse', text: 'const parse = (input, options) => {\n  // parse a glob pattern into a regex source\n};' },
		{ chunkId: 'c-utils', repo: REPO, ref: 'main', path: 'lib/utils.js', startLine: 1, endLine: 9, symbol: null, text: 'exports.isObject = val => val !== null && typeof val === "object";' },
	],
};
const CACHED: INodeParameters = { operation: 'answer', openAiChatModel: 'test-chat', answerCache: true, conversationId: 'session-7', options: { retries: 0 } };

describe('Generate node: Answer Cache', () => {
	const node = new Generate();
	let server: ChatServer;
	let database: TestDatabase;
	let state: IndexStateStore;
	let refId: number;
	const credentials = () => ({
		repoMindOpenAiApi: { apiKey: API_KEY, baseUrl: `${server.url}/v1` },
		repoMindMySql: { ...database.config, password: database.config.password ?? '' },
	});
	const run = async (parameters: INodeParameters = CACHED, chunks?: Array<{ type: string; itemIndex: number; content?: unknown }>) =>
		(await runNodeOk(node, { items: [RETRIEVED], parameters, credentials: credentials(), chunks }))[0].json;
	const indexAt = (commit: string) => state.markIndexed(refId, commit, { files: 2, chunks: 2 });

	before(async () => {
		[server, database] = await Promise.all([startChatServer({ apiKey: API_KEY }), createTestDatabase('repomind_node_cache')]);
		state = new IndexStateStore(openPool(database.config));
		await migrate(state.pool);
		refId = (await state.ensureRef(REPO, 'main', MODEL, 'collection-x')).id;
	});
	after(async () => {
		await state?.pool.end();
		await Promise.all([server.close(), database.drop()]);
	});
	beforeEach(async () => {
		server.requests.length = 0;
		await state.pool.query('DELETE FROM repomind_answer_cache');
		await state.pool.query('DELETE FROM repomind_queries');
		await indexAt('a'.repeat(40));
	});

	test('off by default: no cache field, every question asks the model', async () => {
		const parameters = { ...CACHED, answerCache: undefined } as INodeParameters;
		const first = await run(parameters);
		await run(parameters);
		assert.equal(first.cache, undefined);
		assert.equal(server.requests.length, 2);
	});

	test('a second identical question is a hit, marked in the output, and logged', async () => {
		const first = await run();
		const second = await run();
		assert.equal(server.requests.length, 1);
		assert.deepEqual(first.cache, { hit: false, stored: true, key: (first.cache as IDataObject).key });
		const cache = second.cache as IDataObject;
		assert.equal(cache.hit, true);
		assert.equal(cache.key, (first.cache as IDataObject).key);
		assert.ok(Date.parse(cache.storedAt as string) <= Date.now());
		assert.deepEqual(cache.savedUsage, first.usage);
		assert.deepEqual(second.usage, { promptTokens: 0, completionTokens: 0 });
		assert.deepEqual([second.answer, second.citations, second.model], [first.answer, first.citations, first.model]);
		const [logged] = await state.pool.query('SELECT answer, conversation_id FROM repomind_queries ORDER BY id');
		assert.deepEqual((logged as IDataObject[]).map((row) => [row.answer, row.conversation_id]), [[first.answer, 'session-7'], [first.answer, 'session-7']]);
		assertNoSecrets({ output: second }, [API_KEY]);
	});

	test('streaming: a hit still arrives as several chunks, answer then sources', async () => {
		const first = await run();
		const chunks: Array<{ type: string; itemIndex: number; content?: unknown }> = [];
		const second = await run(CACHED, chunks);
		assert.equal((second.cache as IDataObject).hit, true);
		assert.deepEqual([chunks[0].type, chunks.at(-1)!.type], ['begin', 'end']);
		const items = chunks.filter((chunk) => chunk.type === 'item').map((chunk) => String(chunk.content));
		assert.ok(items.length > 2, `${items.length} chunks`);
		assert.equal(items.join(''), `${first.answer}\n\nSources:\n[1] lib/parse.js:20-42`);
		assert.equal(server.requests.length, 1);
	});

	test('a new indexed commit of the ref is a miss', async () => {
		await run();
		await indexAt('b'.repeat(40));
		const after = await run();
		assert.equal((after.cache as IDataObject).hit, false);
		assert.equal(server.requests.length, 2);
	});

	test('a bad TTL is an error that says what to fix, and continueOnFail keeps the item', async () => {
		const result = await runNode(node, { items: [RETRIEVED], parameters: { ...CACHED, cacheTtlSeconds: 0 }, credentials: credentials(), continueOnFail: true });
		assert.match(String(result.output?.[0].json.error), /Cache TTL must be a whole number of seconds from 1 to 31536000: 0/);
		assert.equal(server.requests.length, 0);
	});
});
