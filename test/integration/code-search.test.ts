import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CodeSearch, codeSearchTools, CodeSearchRetriever, TOOL_NAMES, type CallObserver } from '../../lib/agent';
import { HashEmbedder } from '../../lib/embed';
import { makeRepository } from '../support/fixture-repo';
import type { GitRepo } from '../support/git-repo';
import { createIndexEnv, type IndexEnv } from '../support/index-env';
import { FIXTURE_REPO_KEY, syncLocal } from '../support/sync-assert';

describe('CodeSearch tools and retriever on a real index (MySQL + Chroma)', () => {
	let env: IndexEnv;
	let repo: GitRepo;
	let search: CodeSearch;
	const tools = (observer?: CallObserver, maxChars?: number) =>
		new Map(codeSearchTools(search, { maxChars }, observer).map((tool) => [tool.name, tool]));

	before(async () => {
		env = await createIndexEnv({ embedder: new HashEmbedder({ dimensions: 384 }) });
		repo = await makeRepository();
		await syncLocal(env, repo);
		search = new CodeSearch(
			{ state: env.deps.state, vectors: env.deps.vectors, embedder: env.deps.embedder },
			{ repoKey: FIXTURE_REPO_KEY, ref: 'main', topK: 5 },
		);
	});
	after(async () => {
		await env?.close();
		await repo?.dispose();
	});

	it('the retriever returns Documents with repository, ref, commit, path, lines, symbol and score', async () => {
		const calls: unknown[] = [];
		const observer: CallObserver = (kind, input) => (output) => calls.push({ kind, input, output });
		const documents = await new CodeSearchRetriever(search, observer).invoke('escapeRegExp');
		const expected = await search.search('escapeRegExp');
		assert.equal(documents.length, expected.hits.length);
		const [top] = documents;
		const hit = expected.hits[0];
		assert.deepEqual(top.metadata, {
			repository: FIXTURE_REPO_KEY,
			ref: 'main',
			commit: expected.commit,
			path: hit.path,
			startLine: hit.startLine,
			endLine: hit.endLine,
			symbol: hit.symbol,
			language: hit.language,
			score: hit.score,
			chunkId: hit.chunkId,
			source: `${hit.path}:${hit.startLine}-${hit.endLine}`,
		});
		assert.ok(top.pageContent.startsWith(`${hit.path}:${hit.startLine}-${hit.endLine}`) && top.pageContent.endsWith(hit.text));
		assert.equal(calls.length, 1);
		assert.deepEqual((calls[0] as { input: unknown }).input, { query: 'escapeRegExp' });
	});

	it('read_file returns the exact lines at the indexed commit, numbered, and a range of them', async () => {
		const lines = (await repo.git('show', 'HEAD:lib/parse.js')).trimEnd().split('\n').map((line) => (line.trim() ? line : ''));
		const whole = await search.readFile('lib/parse.js');
		assert.equal(whole.lastLine, lines.length);
		assert.ok(lines.length > 400 && whole.truncated && whole.endLine === 400, 'one call reads at most 400 lines');
		const numbered = lines.slice(0, 400).map((line, i) => `${i + 1}: ${line}`);
		assert.ok(whole.text === numbered.join('\n'), 'the first 400 lines, exactly');
		const text = await tools().get(TOOL_NAMES.read)!.invoke({ path: 'lib/parse.js', startLine: 3, endLine: 5 });
		assert.equal(text.split('\n').slice(1).join('\n'), [3, 4, 5].map((n) => `${n}: ${lines[n - 1]}`).join('\n'));
		assert.match(text.split('\n')[0], /^lib\/parse\.js:3-5 of \d+ lines at local:fixture@main \(commit [0-9a-f]{12}\)$/);
	});

	it('a path outside the index comes back to the agent as an error it can act on', async () => {
		const text = await tools().get(TOOL_NAMES.read)!.invoke({ path: 'no/such/file.ts' });
		assert.equal(text, 'Error: no/such/file.ts is not in the index of local:fixture@main. Use a path from a search result or the outline');
	});

	it('search results carry [n] path:start-end and stay under the character bound', async () => {
		const text = await tools().get(TOOL_NAMES.search)!.invoke({ query: 'escapeRegExp', topK: 3 });
		assert.equal([...text.matchAll(/^\[\d+\] [\w./-]+:\d+-\d+/gm)].length, 3, text);
		const small = await tools(undefined, 600).get(TOOL_NAMES.search)!.invoke({ query: 'escapeRegExp' });
		assert.ok(small.length <= 600, `${small.length}`);
		assert.match(small, /more left out to stay under 600 characters\)$/);
	});

	it('the outline lists files with declarations; similar files exclude the file itself', async () => {
		const outline = await search.outline('lib/');
		assert.ok(outline.files.length > 0 && outline.files.every((file) => file.path.startsWith('lib/')));
		assert.ok(outline.files.some((file) => file.symbols.length > 0));
		const similar = await search.similarFiles('lib/parse.js', 3);
		assert.ok(similar.length > 0 && similar.length <= 3);
		assert.ok(similar.every((file) => file.path !== 'lib/parse.js'));
		assert.ok(similar.every((file, i) => i === 0 || similar[i - 1].score >= file.score));
	});
});
