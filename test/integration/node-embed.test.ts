import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { NodeOperationError, type IDataObject, type INodeParameters } from 'n8n-workflow';
import { Chunk } from '../../nodes/Chunk/Chunk.node.js';
import { Embed } from '../../nodes/Embed/Embed.node.js';
import { openAiModelId } from '../../lib/embed/openai';
import { assertNoSecrets, runNode, runNodeOk } from '../support/fake-execute';
import { expectedVector, startEmbeddingServer, type EmbeddingServer } from '../support/embedding-server';
import { createTestDatabase, type TestDatabase } from '../support/mysql-db';

const API_KEY = 'sk-node-test-REAL-KEY-4c7e1a9b3f';
const WRONG_KEY = 'sk-node-test-WRONG-KEY-8d2f6b0e5a';
const SOURCE = 'export function add(a: number, b: number): number {\n\treturn a + b;\n}\n\nexport function sub(a: number, b: number): number {\n\treturn a - b;\n}\n';
const OPENAI: INodeParameters = { embeddingProvider: 'openAiCompatible', openAiModel: 'hash-embed' };

describe('Embed node', () => {
	const node = new Embed();
	let server: EmbeddingServer;
	let database: TestDatabase;
	let chunks: IDataObject[];
	const credentials = (apiKey = API_KEY) => ({
		repoMindOpenAiApi: { apiKey, baseUrl: `${server.url}/v1` },
		repoMindMySql: { host: database.config.host, port: database.config.port ?? 3306, user: database.config.user, password: database.config.password ?? '', database: database.config.database },
	});
	const withVector = (chunk: IDataObject, index: number) => ({
		json: { ...chunk, vector: toFloat32(expectedVector(String(chunk.embeddingText))), embeddingModel: openAiModelId('hash-embed', `${server.url}/v1`) },
		pairedItem: { item: index },
	});

	before(async () => {
		[server, database] = await Promise.all([startEmbeddingServer({ apiKey: API_KEY }), createTestDatabase('repomind_node_embed')]);
		const file = { repo: 'local:embed', ref: 'main', commit: 'c'.repeat(40), path: 'src/app.ts', blobSha: 'b'.repeat(40), content: SOURCE };
		chunks = (await runNodeOk(new Chunk(), { items: [file], parameters: { maxTokens: 32, overlapLines: 0 } })).map((item) => item.json);
		assert.equal(chunks.length, 2);
	});
	after(async () => {
		await Promise.all([server.close(), database.drop()]);
	});

	test('OpenAI-compatible provider: one vector per chunk item, model named, key sent as bearer', async () => {
		server.requests.length = 0;
		const output = await runNodeOk(node, { items: chunks, parameters: OPENAI, credentials: credentials() });
		assert.deepEqual(output, chunks.map(withVector));
		assert.deepEqual(server.requests.map((request) => [request.path, request.batchSize, request.status, request.encodingFormat]), [['/v1/embeddings', 2, 200, 'float']]);
		assert.equal(server.requests[0].authorization, `Bearer ${API_KEY}`);
		assertNoSecrets({ output }, [API_KEY]);
	});

	test('with the MySQL cache a second run sends nothing to the server', async () => {
		server.requests.length = 0;
		const parameters = { ...OPENAI, useCache: true };
		const first = await runNodeOk(node, { items: chunks, parameters, credentials: credentials() });
		assert.deepEqual(first, chunks.map(withVector));
		assert.equal(server.requests.length, 1);
		const second = await runNodeOk(node, { items: chunks, parameters, credentials: credentials() });
		assert.deepEqual(second, first);
		assert.equal(server.requests.length, 1, 'the second run is answered from MySQL');
		assertNoSecrets({ output: [first, second] }, [API_KEY]);
	});

	test('the cache is keyed by the text embedded, not by an incoming contentHash', async () => {
		const parameters = { ...OPENAI, useCache: true };
		const moved = { ...chunks[0], embeddingText: String(chunks[0].embeddingText).replace('src/app.ts', 'lib/moved.ts') };
		const output = await runNodeOk(node, { items: [chunks[0], moved], parameters, credentials: credentials() });
		assert.deepEqual(output.map((item) => item.json.vector), [chunks[0], moved].map((chunk) => toFloat32(expectedVector(String(chunk.embeddingText)))));
	});

	test('an empty text field: error for that item with Continue On Fail, the others are embedded', async () => {
		const items = [chunks[0], { ...chunks[1], embeddingText: '  ' }];
		const message = 'Field "embeddingText" is missing or empty';
		const thrown = await runNode(node, { items, parameters: OPENAI, credentials: credentials() });
		assert.ok(thrown.error instanceof NodeOperationError);
		assert.equal(thrown.error.message, message);
		assert.equal(thrown.error.description, 'Set "Text Field" to the field that holds the text, e.g. embeddingText for RepoMind Chunk items');
		assert.equal(thrown.error.context.itemIndex, 1);

		const output = await runNodeOk(node, { items, parameters: OPENAI, credentials: credentials(), continueOnFail: true });
		assert.deepEqual(output, [withVector(chunks[0], 0), { json: { ...items[1], error: message }, pairedItem: { item: 1 } }]);
	});

	test('a custom text field and vector field', async () => {
		const items = [{ question: 'how do I add numbers?' }];
		const output = await runNodeOk(node, { items, parameters: { ...OPENAI, textField: 'question', vectorField: 'queryVector' }, credentials: credentials() });
		const queryVector = toFloat32(expectedVector('how do I add numbers?'));
		assert.deepEqual(output, [{ json: { question: 'how do I add numbers?', queryVector, embeddingModel: openAiModelId('hash-embed', `${server.url}/v1`) }, pairedItem: { item: 0 } }]);
	});

	test('429 then success: the batch is retried and every item gets its vector', async () => {
		server.requests.length = 0;
		server.failNext(1, 'rate-limit', '0');
		const output = await runNodeOk(node, { items: chunks, parameters: OPENAI, credentials: credentials() });
		assert.deepEqual(output, chunks.map(withVector));
		assert.deepEqual(server.requests.map((request) => request.status), [429, 200]);
	});

	test('401: a clear error without the API key, for every item with Continue On Fail', async () => {
		const message = `Embedding with ${openAiModelId('hash-embed', `${server.url}/v1`)} failed: the service rejected the credentials (HTTP 401)`;
		const description = 'Check the API key or token, and that it may use this model.';
		const thrown = await runNode(node, { items: chunks, parameters: OPENAI, credentials: credentials(WRONG_KEY) });
		assert.ok(thrown.error instanceof NodeOperationError);
		assert.equal(thrown.error.message, message);
		assert.equal(thrown.error.description, description);
		assert.equal(thrown.error.context.itemIndex, 0);
		assertNoSecrets(thrown, [WRONG_KEY, API_KEY]);

		const continued = await runNode(node, { items: chunks, parameters: OPENAI, credentials: credentials(WRONG_KEY), continueOnFail: true });
		assert.deepEqual(continued.output, chunks.map((chunk, index) => ({ json: { ...chunk, error: message }, pairedItem: { item: index } })));
		assertNoSecrets(continued, [WRONG_KEY, API_KEY]);
	});
});

function toFloat32(vector: number[]): number[] {
	return Array.from(Float32Array.from(vector));
}
