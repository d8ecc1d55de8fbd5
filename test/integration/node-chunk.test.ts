import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { NodeOperationError, type IDataObject } from 'n8n-workflow';
import { chunkId, textHash } from '../../lib/ids';
import { Chunk } from '../../nodes/Chunk/Chunk.node.js';
import { RepoFetch } from '../../nodes/RepoFetch/RepoFetch.node.js';
import { runNode, runNodeOk } from '../support/fake-execute';
import { GitRepo } from '../support/git-repo';

const APP = 'export function add(a: number, b: number): number {\n\treturn a + b;\n}\n\nexport function sub(a: number, b: number): number {\n\treturn a - b;\n}\n';
const GUIDE = '# Guide\n\nCall `add` with two numbers.\n\n## Errors\n\nNone so far.\n';
const REPO_KEY = 'local:chunk-fixture';

describe('Chunk node', () => {
	const chunkNode = new Chunk();
	let repo: GitRepo;
	let base: string;
	let head: string;
	const fetch = async (parameters: IDataObject) =>
		(await runNodeOk(new RepoFetch(), { parameters: { source: 'local', repositoryPath: repo.path, repositoryKey: REPO_KEY, ...parameters } })).map((item) => item.json);

	before(async () => {
		repo = await GitRepo.create();
		await repo.writeFiles({ 'src/app.ts': 'export const placeholder = 0;\n', 'src/old.ts': 'export const legacy = true;\n', 'docs/guide.md': GUIDE, '.env': 'TOKEN=abc\n' });
		base = await repo.commit('first');
		await repo.writeFiles({ 'src/app.ts': APP });
		await repo.deleteFiles(['src/old.ts']);
		await repo.renameFile('docs/guide.md', 'docs/usage.md');
		head = await repo.commit('second');
	});
	after(() => repo.dispose());

	/** The chunk item the node must output for lines start..end of a file at head. */
	const expected = async (path: string, text: string, startLine: number, endLine: number, symbol: string, tokens: number) => {
		const blobSha = await repo.blobSha(head, path);
		const content = text.split('\n').slice(startLine - 1, endLine).join('\n');
		const language = path.endsWith('.md') ? 'markdown' : 'typescript';
		const id = chunkId({ repoKey: REPO_KEY, ref: 'main', path, blobSha, startLine, endLine });
		const embeddingText = `File: ${path}\nSymbol: ${symbol}\n\n${content}`;
		return { id, ref: 'main', path, blobSha, language, startLine, endLine, symbol, content, embeddingText, contentHash: textHash(embeddingText), tokens, repo: REPO_KEY, commit: head };
	};

	test('changes from Repo Fetch become chunks with exact spans; removed files give none', async () => {
		const files = await fetch({ operation: 'changes', base, head: 'main' });
		assert.deepEqual(files.map((file) => [file.path, file.status]), [['docs/usage.md', 'renamed'], ['src/app.ts', 'modified'], ['src/old.ts', 'removed']]);
		const output = await runNodeOk(chunkNode, { items: files, parameters: { maxTokens: 32, overlapLines: 0 } });
		assert.deepEqual(output.map((item) => item.pairedItem), [{ item: 0 }, { item: 0 }, { item: 1 }, { item: 1 }]);
		assert.deepEqual(output.map((item) => item.json), [
			await expected('docs/usage.md', GUIDE, 1, 3, 'Guide', 22),
			await expected('docs/usage.md', GUIDE, 5, 7, 'Guide > Errors', 20),
			await expected('src/app.ts', APP, 1, 3, 'add', 29),
			await expected('src/app.ts', APP, 5, 7, 'sub', 29),
		]);
	});

	test('default limits keep a small file in one chunk', async () => {
		const [file] = await fetch({ operation: 'file', ref: 'main', path: 'src/app.ts' });
		const output = await runNodeOk(chunkNode, { items: [file], parameters: {} });
		assert.deepEqual(output.map((item) => [item.json.startLine, item.json.endLine, item.json.symbol, item.json.tokens]), [[1, 7, null, 44]]);
		assert.equal(output[0].json.content, APP.replace(/\n$/, ''));
	});

	test('skipped files give no chunks', async () => {
		const files = await fetch({ operation: 'snapshot', ref: base, options: { includeSkipped: true } });
		const skipped = files.filter((file) => file.skipReason);
		assert.deepEqual(skipped.map((file) => [file.path, file.skipReason]), [['.env', 'secret-file']]);
		assert.deepEqual(await runNodeOk(chunkNode, { items: skipped, parameters: {} }), []);
	});

	test('an item without content: NodeOperationError for its index, or an error item with Continue On Fail', async () => {
		const [withContent] = await fetch({ operation: 'file', ref: 'main', path: 'src/app.ts' });
		const [withoutContent] = await fetch({ operation: 'file', ref: 'main', path: 'src/app.ts', options: { withContent: false } });
		const items = [withContent, withoutContent];
		const message = 'The item has no "path" and "content" text to chunk';
		const description = 'Connect a RepoMind Repo Fetch node with "Include Content" on, or set path, content, repo, ref and blobSha fields';
		const thrown = await runNode(chunkNode, { items, parameters: {} });
		assert.ok(thrown.error instanceof NodeOperationError);
		assert.equal(thrown.error.message, message);
		assert.equal(thrown.error.description, description);
		assert.equal(thrown.error.context.itemIndex, 1);

		const continued = await runNodeOk(chunkNode, { items, parameters: {}, continueOnFail: true });
		assert.deepEqual(continued.map((item) => item.pairedItem), [{ item: 0 }, { item: 1 }]);
		assert.equal(continued[0].json.path, 'src/app.ts');
		assert.equal(continued[0].json.startLine, 1);
		assert.deepEqual(continued[1].json, { ...withoutContent, error: message, errorDescription: description });
	});
});
