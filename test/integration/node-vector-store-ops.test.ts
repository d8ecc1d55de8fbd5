import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ChromaClient } from 'chromadb';
import { NodeOperationError, type IDataObject, type INodeParameters } from 'n8n-workflow';
import { openAiModelId } from '../../lib/embed/openai';
import { ChromaVectorStore } from '../../lib/vector/chroma';
import { Chunk } from '../../nodes/Chunk/Chunk.node.js';
import { Embed } from '../../nodes/Embed/Embed.node.js';
import { RepoFetch } from '../../nodes/RepoFetch/RepoFetch.node.js';
import { VectorStore } from '../../nodes/VectorStore/VectorStore.node.js';
import { startChroma, type ChromaServer } from '../support/chroma-server';
import { startEmbeddingServer, type EmbeddingServer } from '../support/embedding-server';
import { assertNoSecrets, runNode, runNodeOk } from '../support/fake-execute';
import { GitRepo } from '../support/git-repo';

const API_KEY = 'sk-ops-node-SECRET-3e4f5a6b7c';
const CHROMA_TOKEN = 'chroma-ops-node-SECRET-8d9e0f';
const REPO_KEY = 'local:ops';
const APP = 'export function add(a: number, b: number): number {\n\treturn a + b;\n}\n\nexport function sub(a: number, b: number): number {\n\treturn a - b;\n}\n';
const GUIDE = '# Guide\n\nCall `add` with two numbers.\n\n## Errors\n\nNone so far.\n';

describe('Vector Store node: upsert, query, delete on Chunk + Embed items', () => {
	const node = new VectorStore();
	let repo: GitRepo;
	let embeddings: EmbeddingServer;
	const model = () => openAiModelId('hash-embed', `${embeddings.url}/v1`);
	const collection = () => ChromaVectorStore.collectionName(REPO_KEY, model());
	let chroma: ChromaServer;
	let chunks: IDataObject[];
	const credentials = () => ({
		repoMindChromaApi: { url: chroma.url, authType: 'xChromaToken', token: CHROMA_TOKEN, tenant: 'default_tenant', database: 'default_database' },
		repoMindOpenAiApi: { apiKey: API_KEY, baseUrl: `${embeddings.url}/v1` },
	});
	const embed = async (items: IDataObject[], parameters: INodeParameters = {}) =>
		(await runNodeOk(new Embed(), { items, parameters: { openAiModel: 'hash-embed', ...parameters }, credentials: credentials() })).map((item) => item.json);
	const storedIds = async () => (await new ChromaVectorStore({ url: chroma.url }).listIds(collection())).sort();
	const idsOf = (paths: string[]) => chunks.filter((chunk) => paths.includes(String(chunk.path))).map((chunk) => String(chunk.id)).sort();

	before(async () => {
		repo = await GitRepo.create();
		await repo.writeFiles({ 'src/app.ts': APP, 'docs/guide.md': GUIDE });
		await repo.commit('first');
		[embeddings, chroma] = await Promise.all([startEmbeddingServer({ apiKey: API_KEY }), startChroma()]);
		const files = await runNodeOk(new RepoFetch(), { parameters: { source: 'local', repositoryPath: repo.path, repositoryKey: REPO_KEY, ref: 'main' } });
		const chunked = await runNodeOk(new Chunk(), { items: files, parameters: { maxTokens: 32, overlapLines: 0 } });
		chunks = await embed(chunked.map((item) => item.json));
		assert.deepEqual(chunks.map((chunk) => [chunk.path, chunk.startLine, chunk.endLine]), [['docs/guide.md', 1, 3], ['docs/guide.md', 5, 7], ['src/app.ts', 1, 3], ['src/app.ts', 5, 7]]);
	});
	after(async () => {
		await Promise.all([embeddings.close(), chroma.stop()]);
		await repo.dispose();
	});

	test('upsert: each chunk item lands in the collection named by its repo and model', async () => {
		const output = await runNodeOk(node, { items: chunks, parameters: { operation: 'upsert' }, credentials: credentials() });
		assert.deepEqual(output, chunks.map((chunk, index) => ({ json: { id: chunk.id, collection: collection(), upserted: true }, pairedItem: { item: index } })));
		assert.deepEqual(await storedIds(), idsOf(['docs/guide.md', 'src/app.ts']));
		const [record] = await new ChromaVectorStore({ url: chroma.url }).getRecords(collection(), [String(chunks[2].id)]);
		assert.equal(record.content, 'export function add(a: number, b: number): number {\n\treturn a + b;\n}');
		assert.deepEqual(record.metadata, { repo: REPO_KEY, ref: 'main', path: 'src/app.ts', language: 'typescript', startLine: 1, endLine: 3, symbol: 'add', blobSha: chunks[2].blobSha });
		assertNoSecrets({ output }, [API_KEY, CHROMA_TOKEN]);
	});

	test('upsert of an item without a vector: per-item error, the others still upserted', async () => {
		const items = [chunks[0], { ...chunks[1], vector: undefined }];
		const message = 'The item needs "id", "content" and a vector in "vector"';
		const output = await runNodeOk(node, { items, parameters: { operation: 'upsert' }, credentials: credentials(), continueOnFail: true });
		assert.deepEqual(output[0], { json: { id: chunks[0].id, collection: collection(), upserted: true }, pairedItem: { item: 0 } });
		assert.deepEqual([output[1].json.error, output[1].pairedItem], [message, { item: 1 }]);
	});

	test('query: the nearest chunk to its own text comes first, with its metadata; filters apply', async () => {
		const [question] = await embed([{ question: chunks[3].embeddingText }], { textField: 'question' });
		const parameters = { operation: 'query', repoKey: REPO_KEY, embeddingModel: model(), limit: 2 };
		const output = await runNodeOk(node, { items: [question], parameters, credentials: credentials() });
		assert.deepEqual(output.map((item) => [item.json.rank, item.json.id, item.pairedItem]), [[1, chunks[3].id, { item: 0 }], [2, output[1].json.id, { item: 0 }]]);
		const { score, distance, ...best } = output[0].json;
		assert.ok(Math.abs(Number(distance)) < 1e-6 && Math.abs(Number(score) - 1) < 1e-6, `distance ${distance}`);
		assert.deepEqual(best, { rank: 1, id: chunks[3].id, content: chunks[3].content, repo: REPO_KEY, ref: 'main', path: 'src/app.ts', language: 'typescript', startLine: 5, endLine: 7, symbol: 'sub', blobSha: chunks[3].blobSha });

		const markdown = await runNodeOk(node, { items: [question], parameters: { ...parameters, limit: 10, queryLanguage: 'markdown', queryRef: 'main' }, credentials: credentials() });
		assert.deepEqual(markdown.map((item) => item.json.id).sort(), idsOf(['docs/guide.md']));
		const none = await runNodeOk(node, { items: [question], parameters: { ...parameters, queryRef: 'other-branch' }, credentials: credentials() });
		assert.deepEqual(none, []);
	});

	test('query and getRecords read the text of a record an earlier version stored as the Chroma document', async () => {
		const client = new ChromaClient({ host: new URL(chroma.url).hostname, port: Number(new URL(chroma.url).port), ssl: false });
		const legacy = await client.getOrCreateCollection({ name: 'legacy-documents', embeddingFunction: null, metadata: { 'hnsw:space': 'cosine' } });
		await legacy.upsert({ ids: ['old-1'], embeddings: [[1, 0, 0]], documents: ['legacy text'], metadatas: [{ path: 'a.ts', ref: 'main' }] });
		const store = new ChromaVectorStore({ url: chroma.url });
		const [record] = await store.getRecords('legacy-documents', ['old-1']);
		assert.deepEqual([record.content, record.metadata], ['legacy text', { path: 'a.ts', ref: 'main' }]);
		const [hit] = await store.query('legacy-documents', [1, 0, 0], 1);
		assert.deepEqual([hit.id, hit.content, hit.metadata], ['old-1', 'legacy text', { path: 'a.ts', ref: 'main' }]);
	});

	test('query without a vector: NodeOperationError that says to embed first', async () => {
		const thrown = await runNode(node, { items: [{ question: 'add?' }], parameters: { operation: 'query', repoKey: REPO_KEY, embeddingModel: model() }, credentials: credentials() });
		assert.ok(thrown.error instanceof NodeOperationError);
		assert.equal(thrown.error.message, 'No query vector in field "vector"');
		assert.equal(thrown.error.description, 'Embed the question with RepoMind Embed (same provider and model as the index) first');
		assert.equal(thrown.error.context.itemIndex, 0);
	});

	test('delete by ids (from the items) and by path', async () => {
		await runNodeOk(node, { items: chunks, parameters: { operation: 'upsert' }, credentials: credentials() });
		const byIds = await runNodeOk(node, { items: [chunks[0]], parameters: { operation: 'delete', deleteBy: 'ids' }, credentials: credentials() });
		assert.deepEqual(byIds, [{ json: { collection: collection(), deletedIds: [chunks[0].id] }, pairedItem: { item: 0 } }]);
		assert.deepEqual(await storedIds(), [...idsOf(['src/app.ts']), String(chunks[1].id)].sort());

		const otherRef = await runNodeOk(node, { items: [{}], parameters: { operation: 'delete', repoKey: REPO_KEY, embeddingModel: model(), paths: 'src/app.ts', ref: 'other-branch' }, credentials: credentials() });
		assert.deepEqual(otherRef[0].json, { collection: collection(), deletedPaths: ['src/app.ts'], ref: 'other-branch' });
		assert.equal((await storedIds()).length, 3, 'chunks of another ref are kept');

		const byPath = await runNodeOk(node, { items: [{}], parameters: { operation: 'delete', repoKey: REPO_KEY, embeddingModel: model(), paths: 'src/app.ts, docs/missing.md' }, credentials: credentials() });
		assert.deepEqual(byPath[0].json, { collection: collection(), deletedPaths: ['src/app.ts', 'docs/missing.md'], ref: null });
		assert.deepEqual(await storedIds(), [String(chunks[1].id)]);

		const noPaths = await runNode(node, { items: [{}], parameters: { operation: 'delete', repoKey: REPO_KEY, embeddingModel: model(), paths: ' , ' }, credentials: credentials() });
		assert.ok(noPaths.error instanceof NodeOperationError);
		assert.deepEqual([noPaths.error.message, noPaths.error.description], ['No paths given', 'Set "Paths" to one or more file paths']);
	});
});
