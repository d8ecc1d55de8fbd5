import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RowDataPacket } from 'mysql2/promise';
import type { IDataObject } from 'n8n-workflow';
import { InputTokenizer, type EmbeddingsWorker } from '../../embeddings-worker/src';
import { embeddingHeader } from '../../lib/chunk/layout';
import { OnnxEmbedder } from '../../lib/embed';
import { openPool } from '../../lib/store/mysql';
import { ChromaVectorStore } from '../../lib/vector/chroma';
import { Chunk } from '../../nodes/Chunk/Chunk.node.js';
import { Embed } from '../../nodes/Embed/Embed.node.js';
import { VectorStore } from '../../nodes/VectorStore/VectorStore.node.js';
import { startChroma, type ChromaServer } from '../support/chroma-server';
import { assertNoSecrets, runNode, runNodeOk } from '../support/fake-execute';
import { makeRepository } from '../support/fixture-repo';
import type { GitRepo } from '../support/git-repo';
import { createTestDatabase, type TestDatabase } from '../support/mysql-db';
import { WORKER_KEY, callWorker, closeTo, metricValue, startTinyWorker, writeTinyModels, type TinyModels } from '../support/worker-server';

const SOURCE = 'export function parse(path: string): string {\n\treturn path;\n}\n\nexport function write(file: string): void {\n\tconsole.log(file);\n}\n';
const WORKER = { embeddingProvider: 'embeddingsWorker' };

describe('Embed provider "RepoMind Embeddings Worker" end to end', () => {
	let models: TinyModels;
	let worker: EmbeddingsWorker;
	let repo: GitRepo;
	let chroma: ChromaServer;
	let database: TestDatabase;
	let local: OnnxEmbedder;
	const credentials = (apiKey = WORKER_KEY) => ({
		repoMindEmbeddingsWorkerApi: { url: `${worker.url}/`, apiKey },
		repoMindChromaApi: { url: chroma.url, authType: 'none' },
		repoMindMySql: { host: database.config.host, port: database.config.port ?? 3306, user: database.config.user, password: database.config.password ?? '', database: database.config.database },
	});
	const textsEmbedded = async () => metricValue((await callWorker(worker.url, '/metrics')).body as string, 'repomind_worker_texts_total{kind="embed"}');

	before(async () => {
		models = writeTinyModels();
		[worker, repo, chroma, database] = await Promise.all([startTinyWorker(models, { maxBatchSize: 16 }), makeRepository(), startChroma(), createTestDatabase('repomind_worker_node')]);
		local = new OnnxEmbedder({ model: models.embed.folder });
	});
	after(async () => {
		await worker.close();
		await Promise.all([chroma.stop(), database.drop(), repo.dispose()]);
		models.remove();
	});

	test('Embed node: Chunk items get the vectors the same model gives in process, model named worker:<model>', async () => {
		const file = { repo: 'local:worker', ref: 'main', commit: 'c'.repeat(40), path: 'src/io.ts', blobSha: 'b'.repeat(40), content: SOURCE };
		const chunks = (await runNodeOk(new Chunk(), { items: [file], parameters: { maxTokens: 32, overlapLines: 0 } })).map((item) => item.json);
		assert.equal(chunks.length, 2);
		const output = await runNodeOk(new Embed(), { items: chunks, parameters: WORKER, credentials: credentials() });
		const expected = await local.embed(chunks.map((chunk) => String(chunk.embeddingText)));
		assert.deepEqual(output.map((item) => [item.json.embeddingModel, item.pairedItem]), [['worker:tiny-embed:fp32:mean', { item: 0 }], ['worker:tiny-embed:fp32:mean', { item: 1 }]]);
		output.forEach((item, i) => assert.ok(closeTo(item.json.vector as number[], expected[i], 1e-6), `vector ${i}`));
		assertNoSecrets({ output }, [WORKER_KEY]);
	});

	test('Vector Store Sync Repository indexes a repository through the worker; Chroma holds the model\'s vectors', async () => {
		const before = await textsEmbedded();
		const parameters = { operation: 'syncRepository', source: 'local', repositoryPath: repo.path, repositoryKey: 'local:worker-fixture', syncRef: 'main', ...WORKER };
		const [result] = await runNodeOk(new VectorStore(), { parameters, credentials: credentials() });
		const report = result.json as IDataObject;
		assert.equal(report.embeddingModel, 'worker:tiny-embed:fp32:mean');
		assert.ok(Number(report.chunksUpserted) > 20, `chunks upserted: ${report.chunksUpserted}`);
		assert.equal(report.embedded, report.chunksUpserted);
		assert.equal(await textsEmbedded() - before, report.embedded, 'every chunk went through the worker');

		const pool = openPool(database.config);
		try {
			const [rows] = await pool.query<RowDataPacket[]>('SELECT id, path, symbol, content FROM repomind_chunks ORDER BY id');
			assert.equal(rows.length, report.chunksUpserted);
			const records = await new ChromaVectorStore({ url: chroma.url }).getRecords(String(report.collection), rows.map((row) => row.id as string));
			const byId = new Map(records.map((record) => [record.id, record.vector]));
			const expected = await local.embed(rows.map((row) => embeddingHeader(row.path, row.symbol) + row.content));
			// inputs over 512 tokens: the worker cuts them as TEI and sentence-transformers do, keeping the
			// final [SEP]; transformers.js (the in-process embedder) cuts the [SEP] off instead
			const tokenizer = await InputTokenizer.load(await import('@huggingface/transformers'), models.embed.folder, {});
			const cosine = (a: number[], b: number[]) => a.reduce((sum, value, j) => sum + value * b[j], 0);
			rows.forEach((row, i) => {
				const vector = byId.get(row.id) as number[];
				const fits = tokenizer.countTokens(embeddingHeader(row.path, row.symbol) + row.content) <= 512;
				assert.ok(fits ? closeTo(vector, expected[i], 1e-6) : cosine(vector, expected[i]) > 0.999, `chunk ${row.path}:${row.id}`);
			});
		} finally {
			await pool.end();
		}
	});

	test('a wrong key: the node says the worker rejected the credentials, without the key', async () => {
		const wrongKey = 'worker-test-KEY-wrong-0000';
		const result = await runNode(new Embed(), { items: [{ embeddingText: 'parse file' }], parameters: WORKER, credentials: credentials(wrongKey) });
		assert.equal(result.error?.message, 'Embedding with the embeddings worker failed: the service rejected the credentials (HTTP 401)');
		assertNoSecrets(result, [wrongKey, WORKER_KEY]);
	});
});
