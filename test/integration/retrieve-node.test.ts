import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NodeHelpers, NodeOperationError, type INodeParameters } from 'n8n-workflow';
import { RepoMindRerankApi } from '../../credentials/RepoMindRerankApi.credentials';
import { HashEmbedder } from '../../lib/embed';
import { retrieve } from '../../lib/retrieve';
import { Retrieve } from '../../nodes/Retrieve/Retrieve.node.js';
import { runNodeError, runNodeOk } from '../support/fake-execute';
import { makeRepository } from '../support/fixture-repo';
import type { GitRepo } from '../support/git-repo';
import { createIndexEnv, type IndexEnv } from '../support/index-env';
import { startRerankServer } from '../support/rerank-server';
import { FIXTURE_REPO_KEY, syncLocal } from '../support/sync-assert';

describe('RepoMind Retrieve node (execute through a fake IExecuteFunctions)', () => {
	let env: IndexEnv;
	let repo: GitRepo;
	const node = new Retrieve();
	const base: INodeParameters = { repositoryKey: FIXTURE_REPO_KEY, ref: 'main', embeddingProvider: 'hash', hashDimensions: 384, topK: 3 };
	const credentials = () => ({
		repoMindChromaApi: { url: env.chroma.url, authType: 'none' },
		repoMindMySql: { host: env.database.config.host, port: env.database.config.port ?? 3306, user: env.database.config.user, password: env.database.config.password ?? '', database: env.database.config.database },
	});
	const run = (items: object[], parameters: INodeParameters = {}, continueOnFail = false) =>
		runNodeOk(node, { items: items as never, parameters: { ...base, ...parameters }, credentials: credentials(), continueOnFail });

	before(async () => {
		env = await createIndexEnv({ embedder: new HashEmbedder({ dimensions: 384 }) });
		repo = await makeRepository();
		await syncLocal(env, repo);
	});
	after(async () => {
		await env?.close();
		await repo?.dispose();
	});

	it('is a tool-usable node named repoMindRetrieve whose question defaults to the chat input', () => {
		assert.equal(node.description.name, 'repoMindRetrieve');
		assert.equal(node.description.displayName, 'RepoMind Retrieve');
		assert.equal(node.description.usableAsTool, true);
		assert.equal(node.description.properties.find((property) => property.name === 'question')?.default, '={{ $json.chatInput }}');
	});

	it('outputs one item per question with exactly what retrieve() returns', async () => {
		const output = await run([{ chatInput: 'shard_path', sessionId: 's1' }, { chatInput: 'has repeated char prefix overlap' }]);
		assert.equal(output.length, 2);
		assert.deepEqual(output.map((item) => item.pairedItem), [{ item: 0 }, { item: 1 }]);
		const deps = { state: env.deps.state, vectors: env.deps.vectors, embedder: new HashEmbedder({ dimensions: 384 }) };
		const expected = await retrieve(deps, { question: 'shard_path', repoKey: FIXTURE_REPO_KEY, ref: 'main', topK: 3, filters: {} });
		assert.deepEqual(output[0].json, JSON.parse(JSON.stringify(expected)));
		assert.deepEqual(Object.keys(output[0].json).sort(), ['commit', 'embeddingModel', 'filters', 'hits', 'mode', 'question', 'ref', 'repo']);
		assert.equal((output[0].json.hits as Array<{ path: string }>)[0].path, 'examples/repo_cache.py');
		assert.equal((output[1].json.hits as Array<{ path: string }>)[0].path, 'lib/parse.js');
	});

	it('"Output One Item per Hit" gives ranked hit items paired with their question', async () => {
		const output = await run([{ chatInput: 'escapeRegExp' }], { mode: 'lexical', options: { outputPerHit: true } });
		assert.deepEqual(output.map((item) => item.json.rank), [1, 2, 3]);
		assert.ok(output.every((item) => item.json.question === 'escapeRegExp' && item.json.mode === 'lexical' && (item.pairedItem as { item: number }).item === 0));
		assert.equal(output[0].json.path, 'examples/SearchPanel.tsx');
		assert.equal(typeof output[0].json.text, 'string');
	});

	it('filters, weights and a filter matching nothing (flagged, not an error)', async () => {
		const output = await run([{ chatInput: 'parse' }, { chatInput: 'parse' }], { filters: { pathGlob: 'lib/*.js', language: 'javascript' }, options: { vectorWeight: 0.5, lexicalWeight: 2, mmr: true, mmrLambda: 0.5 } });
		assert.ok((output[0].json.hits as Array<{ path: string }>).every((hit) => /^lib\/[^/]+\.js$/.test(hit.path)));
		const nothing = await run([{ chatInput: 'parse' }], { filters: { pathPrefix: 'vendor/' } });
		assert.equal(nothing[0].json.empty, true);
		assert.equal(nothing[0].json.reason, 'No indexed file matches the filters (pathPrefix "vendor/")');
		assert.deepEqual(nothing[0].json.hits, []);
	});

	it('Similar Code mode: a line range, a hunk and a chunk id give other chunks; related files from the import graph; a bad path is a per-item error', async () => {
		const [range] = await run([{}], { mode: 'similar', similarTo: 'range', similarPath: 'lib/picomatch.js', similarStartLine: 1, similarEndLine: 30, relatedFiles: true });
		const hits = range.json.hits as Array<{ path: string; startLine: number; chunkId: string }>;
		assert.equal(hits.length, 3);
		assert.ok(hits.every((hit) => !(hit.path === 'lib/picomatch.js' && hit.startLine <= 30)));
		const related = range.json.related as { files: Array<{ path: string; reasons: string[] }>; commitsScanned: number };
		assert.deepEqual(related.files.find((file) => file.path === 'index.js')?.reasons, ['imports-it']);
		assert.equal(related.commitsScanned, 0);
		const [chunk] = await run([{}], { mode: 'similar', similarTo: 'chunk', similarChunkId: hits[0].chunkId, otherFilesOnly: true });
		assert.ok((chunk.json.hits as Array<{ path: string }>).every((hit) => hit.path !== hits[0].path));
		const [hunk] = await run([{}], { mode: 'similar', similarTo: 'hunk', similarHunk: 'function escapeRegExp(text) { return text.replace(/[.*+?^${}()|[\\]\\\\]/g, "\\\\$&"); }' });
		assert.equal((hunk.json.target as { kind: string }).kind, 'hunk');
		assert.equal((hunk.json.hits as unknown[]).length, 3);
		const [failed] = await run([{}], { mode: 'similar', similarTo: 'range', similarPath: 'nope.js' }, true);
		assert.match(String(failed.json.error), /"nope.js" has no indexed chunks/);
	});

	it('per-item errors: empty question and a different embedding model name the item; Continue On Fail keeps going', async () => {
		const error = await runNodeError(node, { items: [{ chatInput: 'parse' }, { chatInput: '  ' }], parameters: base, credentials: credentials() });
		assert.ok(error instanceof NodeOperationError);
		assert.equal(error.message, 'The question is empty');
		assert.equal(error.context.itemIndex, 1);
		const mismatch = await runNodeError(node, { items: [{ chatInput: 'parse' }], parameters: { ...base, hashDimensions: 64 }, credentials: credentials() });
		assert.equal(mismatch.message, `${FIXTURE_REPO_KEY}@main is indexed with the embedding model hash:384, not hash:64`);
		const output = await run([{ chatInput: '' }, { chatInput: 'shard_path' }, { chatInput: ' ', other: 1 }], {}, true);
		assert.equal(output[0].json.error, 'The question is empty');
		assert.equal((output[1].json.hits as unknown[]).length, 3);
		assert.deepEqual([output[2].json.other, output[2].json.error], [1, 'The question is empty']);
		const missing = await run([{ chatInput: 'parse' }], { repositoryKey: 'github:octo/none' }, true);
		assert.equal(missing[0].json.error, 'Repository "github:octo/none" has no index');
		assert.match(String(missing[0].json.errorDescription), /Sync Repository/);
	});

	it('rerank: URL and key live in the RepoMind Rerank API credential (1.1); version 1 workflows keep their options', async () => {
		const properties = (version: number) => NodeHelpers.getNodeParameters(node.description.properties, { options: { rerankUrl: 'x', rerankApiKey: 'y', rerankTopN: 4 } }, false, false, { typeVersion: version }, node.description);
		assert.deepEqual(node.description.version, [1, 1.1, 1.2, 1.3, 1.4], '1.2 adds the Embeddings input, 1.3 the repository and ref pickers, 1.4 the embedding model picker');
		assert.deepEqual(properties(1.1)?.options, { rerankTopN: 4 });
		for (const version of [1.2, 1.3, 1.4]) assert.deepEqual(properties(version)?.options, { rerankTopN: 4 });
		assert.deepEqual(properties(1)?.options, { rerankUrl: 'x', rerankApiKey: 'y', rerankTopN: 4 });
		const credential = new RepoMindRerankApi();
		assert.equal(credential.properties.find((property) => property.name === 'apiKey')?.typeOptions?.password, true);
		const server = await startRerankServer({ apiKey: 'rerank-secret-1234' });
		try {
			const items = [{ chatInput: 'evict the oldest blobs from the cache' }];
			const v11 = await runNodeOk(node, { typeVersion: 1.1, items, parameters: { ...base, rerank: true, options: { rerankTopN: 6 } }, credentials: { ...credentials(), repoMindRerankApi: { url: server.url, apiKey: 'rerank-secret-1234' } } });
			const v1 = await runNodeOk(node, { typeVersion: 1, items, parameters: { ...base, options: { rerankUrl: server.url, rerankApiKey: 'rerank-secret-1234', rerankTopN: 6 } }, credentials: credentials() });
			assert.deepEqual(server.requests.map((request) => [request.authorization, request.texts.length]), [['Bearer rerank-secret-1234', 6], ['Bearer rerank-secret-1234', 6]]);
			assert.deepEqual(v11[0].json, v1[0].json);
			assert.ok((v11[0].json.hits as Array<{ scores: { rerank?: number } }>).every((hit) => typeof hit.scores.rerank === 'number'));
			await runNodeOk(node, { typeVersion: 1.1, items, parameters: base, credentials: credentials() });
			assert.equal(server.requests.length, 2, 'Rerank off: no request and no credential needed');
		} finally {
			await server.close();
		}
	});
});
