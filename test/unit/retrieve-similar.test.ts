import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { HashEmbedder } from '../../lib/embed';
import { cosine, fileTexts, findSimilar, parseSimilarTarget, rankRelatedFiles, type SimilarCodeIndex } from '../../lib/retrieve';
import { LocalGitSource } from '../../lib/source';
import type { StoredChunk } from '../../lib/store/index-state';
import { GitRepo } from '../support/git-repo';

const embedder = new HashEmbedder({ dimensions: 256 });

/** Chunks whose neighbours are known: two copies of a retry loop, two of a slug helper, one unrelated. */
const FIXTURE: Array<Pick<StoredChunk, 'id' | 'path' | 'startLine' | 'endLine' | 'content'>> = [
	{ id: 'a1', path: 'src/http.ts', startLine: 1, endLine: 6, content: 'export async function fetchWithRetry(url, attempts) {\n\tfor (let attempt = 0; attempt < attempts; attempt++) {\n\t\ttry { return await fetch(url); } catch (error) { await sleep(backoff(attempt)); }\n\t}\n\tthrow new Error("retries exhausted");\n}' },
	{ id: 'a2', path: 'src/http.ts', startLine: 8, endLine: 10, content: 'export function slugify(title) {\n\treturn title.toLowerCase().replace(/[^a-z0-9]+/g, "-");\n}' },
	{ id: 'b1', path: 'src/queue.ts', startLine: 3, endLine: 8, content: 'export async function sendWithRetry(message, attempts) {\n\tfor (let attempt = 0; attempt < attempts; attempt++) {\n\t\ttry { return await send(message); } catch (error) { await sleep(backoff(attempt)); }\n\t}\n\tthrow new Error("retries exhausted");\n}' },
	{ id: 'c1', path: 'src/text.ts', startLine: 1, endLine: 3, content: 'export function toSlug(name) {\n\treturn name.toLowerCase().replace(/[^a-z0-9]+/g, "-");\n}' },
	{ id: 'd1', path: 'src/render.ts', startLine: 1, endLine: 4, content: 'export function renderButton(label) {\n\tconst button = document.createElement("button");\n\tbutton.textContent = label;\n\treturn button;\n}' },
	{ id: 'a3', path: 'src/http.ts', startLine: 12, endLine: 17, content: 'export async function postWithRetry(url, body, attempts) {\n\tfor (let attempt = 0; attempt < attempts; attempt++) {\n\t\ttry { return await post(url, body); } catch (error) { await sleep(backoff(attempt)); }\n\t}\n\tthrow new Error("retries exhausted");\n}' },
];

/** An in-memory index over the fixture with exact cosine search. */
async function memoryIndex(): Promise<SimilarCodeIndex> {
	const chunks: StoredChunk[] = FIXTURE.map((chunk) => ({ ...chunk, blobSha: '0'.repeat(40), language: 'typescript', symbol: null, contentHash: chunk.id, tokens: 10 }));
	const vectors = new Map((await embedder.embed(chunks.map((chunk) => chunk.content))).map((vector, i) => [chunks[i].id, vector]));
	return {
		repoKey: 'local:fixture',
		ref: 'main',
		commit: 'f'.repeat(40),
		embeddingModel: embedder.modelId,
		chunksOfPath: async (path) => chunks.filter((chunk) => chunk.path === path),
		chunksByIds: async (ids) => chunks.filter((chunk) => ids.includes(chunk.id)),
		vectorsOf: async (ids) => new Map(ids.map((id) => [id, vectors.get(id)!])),
		embed: async (text) => (await embedder.embed([text]))[0],
		nearest: async (vector, limit) =>
			chunks
				.map((chunk) => ({ id: chunk.id, score: cosine(vector, vectors.get(chunk.id)!) }))
				.sort((a, b) => b.score - a.score)
				.slice(0, limit),
	};
}

describe('similar code', () => {
	let index: SimilarCodeIndex;
	before(async () => (index = await memoryIndex()));
	const ids = (hits: Array<{ chunkId: string }>) => hits.map((hit) => hit.chunkId);

	test('a line range finds the copies of its code, never its own chunk', async () => {
		const result = await findSimilar(index, { target: { path: 'src/http.ts', startLine: 2, endLine: 4 }, topK: 3 });
		assert.deepEqual(result.sourceChunks, ['a1']);
		assert.deepEqual(ids(result.hits).slice(0, 2).sort(), ['a3', 'b1']);
		assert.ok(!ids(result.hits).includes('a1'));
		assert.deepEqual(result.target, { kind: 'range', path: 'src/http.ts', startLine: 2, endLine: 4 });
	});

	test('other files only drops chunks of the same file', async () => {
		const result = await findSimilar(index, { target: { path: 'src/http.ts', startLine: 1, endLine: 6 }, topK: 2, otherFilesOnly: true });
		assert.equal(result.hits[0].chunkId, 'b1');
		assert.ok(result.hits.every((hit) => hit.path !== 'src/http.ts'));
	});

	test('a whole file finds neighbours of each of its chunks in other files', async () => {
		const result = await findSimilar(index, { target: { path: 'src/http.ts' }, topK: 2 });
		assert.deepEqual(result.sourceChunks, ['a1', 'a2', 'a3']);
		assert.deepEqual(ids(result.hits).sort(), ['b1', 'c1']);
	});

	test('a chunk id finds its nearest other chunk', async () => {
		const result = await findSimilar(index, { target: { chunkId: 'a2' }, topK: 1 });
		assert.deepEqual(ids(result.hits), ['c1']);
		assert.ok(result.hits[0].score > 0.5 && result.hits[0].score <= 1);
	});

	test('a diff hunk is embedded; chunks overlapping its own lines are left out', async () => {
		const hunk = FIXTURE[0].content.replace('fetch(url)', 'fetch(url, { keepalive: true })');
		const result = await findSimilar(index, { target: { hunk, path: 'src/http.ts', startLine: 3, endLine: 3 }, topK: 2 });
		assert.deepEqual(result.sourceChunks, []);
		assert.deepEqual(ids(result.hits).sort(), ['a3', 'b1']);
	});

	test('bad targets say what to fix', async () => {
		await assert.rejects(findSimilar(index, { target: { path: 'src/missing.ts' } }), /"src\/missing.ts" has no indexed chunks/);
		await assert.rejects(findSimilar(index, { target: { path: 'src/http.ts', startLine: 40, endLine: 50 } }), /no indexed lines 40-50/);
		await assert.rejects(findSimilar(index, { target: { chunkId: 'nope' } }), /Chunk "nope" is not in the index/);
		await assert.rejects(findSimilar(index, { target: { hunk: '  ' } }), /hunk is empty/);
		await assert.rejects(findSimilar(index, { target: { path: 'src/http.ts', startLine: 5, endLine: 2 } }), /Invalid line range 5-2/);
	});

	test('path:start-end specs', () => {
		assert.deepEqual(parseSimilarTarget('src/a.ts'), { path: 'src/a.ts' });
		assert.deepEqual(parseSimilarTarget('src/a.ts:7'), { path: 'src/a.ts', startLine: 7, endLine: 7 });
		assert.deepEqual(parseSimilarTarget('src/a.ts:7-12'), { path: 'src/a.ts', startLine: 7, endLine: 12 });
		assert.throws(() => parseSimilarTarget(':3'), /No file path/);
	});
});

describe('related files', () => {
	test('import neighbours in both directions, then files changed together', () => {
		const edges = [
			{ from: 'src/app.ts', to: 'src/http.ts', specifier: './http' },
			{ from: 'src/http.ts', to: 'src/retry.ts', specifier: './retry' },
			{ from: 'src/app.ts', to: 'src/render.ts', specifier: './render' },
		];
		const history = [
			{ sha: '1', paths: ['src/http.ts', 'test/http.test.ts'] },
			{ sha: '2', paths: ['src/http.ts', 'test/http.test.ts', 'src/retry.ts'] },
			{ sha: '3', paths: ['src/render.ts', 'README.md'] },
		];
		const { commitsWithFile, files } = rankRelatedFiles('src/http.ts', edges, history, 10);
		assert.equal(commitsWithFile, 2);
		assert.deepEqual(
			files.map((file) => [file.path, file.reasons, file.coChanges, file.score]),
			[
				['src/retry.ts', ['imported-by-it', 'changed-together'], 1, 1.5],
				['src/app.ts', ['imports-it'], 0, 1],
				['test/http.test.ts', ['changed-together'], 2, 1],
			],
		);
	});

	test('file texts are rebuilt from chunks at their lines', () => {
		const chunk = (path: string, startLine: number, content: string) => ({ path, startLine, content }) as StoredChunk;
		assert.deepEqual(fileTexts([chunk('a.ts', 1, "import x from './x';"), chunk('a.ts', 3, 'export const y = x;')]), [
			{ path: 'a.ts', content: "import x from './x';\n\nexport const y = x;" },
		]);
	});

	describe('history of a local repository', () => {
		let repo: GitRepo;
		before(async () => {
			repo = await GitRepo.create();
			await repo.writeFiles({ 'a.ts': '1', 'b.ts': '1' });
			await repo.commit('first');
			await repo.writeFiles({ 'a.ts': '2', 'dir/c d.ts': '1' });
			await repo.commit('second');
		});
		after(() => repo?.dispose());

		test('recent commits with their files, newest first', async () => {
			const source = new LocalGitSource({ path: repo.path });
			const head = await source.resolveRef('main');
			const changes = await source.recentChanges(head, 10);
			assert.equal(changes[0].sha, head);
			assert.deepEqual(changes.map((commit) => commit.paths), [['a.ts', 'dir/c d.ts'], ['a.ts', 'b.ts']]);
			assert.equal((await source.recentChanges(head, 1)).length, 1);
			await source.close();
		});
	});
});
