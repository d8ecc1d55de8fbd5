import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HashEmbedder } from '../../lib/embed';
import { InvalidInputError } from '../../lib/errors';
import { relatedFiles, retrieve, similarCode, type RetrieveDependencies, type RetrieveRequest, type RetrieveResult } from '../../lib/retrieve';
import { LocalGitSource } from '../../lib/source';
import { makeRepository } from '../support/fixture-repo';
import type { GitRepo } from '../support/git-repo';
import { createIndexEnv, type IndexEnv } from '../support/index-env';
import { standInRerankScore, startRerankServer } from '../support/rerank-server';
import { FIXTURE_REPO_KEY, syncLocal } from '../support/sync-assert';

const paths = (result: RetrieveResult) => result.hits.map((hit) => hit.path);

describe('retrieve on a real index (MySQL FULLTEXT + Chroma)', () => {
	let env: IndexEnv;
	let repo: GitRepo;
	let deps: RetrieveDependencies;
	const ask = (question: string, extra: Partial<RetrieveRequest> = {}) =>
		retrieve(deps, { question, repoKey: FIXTURE_REPO_KEY, ref: 'main', ...extra });

	before(async () => {
		env = await createIndexEnv({ embedder: new HashEmbedder({ dimensions: 384 }) });
		repo = await makeRepository();
		await syncLocal(env, repo);
		deps = { state: env.deps.state, vectors: env.deps.vectors, embedder: env.deps.embedder };
	});
	after(async () => {
		await env?.close();
		await repo?.dispose();
	});

	for (const mode of ['vector', 'lexical', 'hybrid'] as const) {
		it(`${mode}: an identifier query and its plain-words form find the file that defines it`, async () => {
			for (const question of ['hasRepeatedCharPrefixOverlap', 'has repeated char prefix overlap']) {
				const result = await ask(question, { mode, topK: 5 });
				assert.equal(result.hits[0].path, 'lib/parse.js', `${mode} ${question}: ${paths(result)}`);
				assert.ok(result.hits[0].text.includes('hasRepeatedCharPrefixOverlap'));
			}
			for (const question of ['shard_path', 'shard path of a blob']) {
				const result = await ask(question, { mode, topK: 3 });
				assert.equal(result.hits[0].path, 'examples/repo_cache.py', `${mode} ${question}: ${paths(result)}`);
			}
		});
	}

	it('hits carry span, symbol, language, text and the score parts of their mode', async () => {
		const result = await ask('escapeRegExp', { topK: 4 });
		assert.equal(result.mode, 'hybrid');
		assert.equal(result.embeddingModel, 'hash:384');
		assert.match(result.commit ?? '', /^[0-9a-f]{40}$/);
		assert.equal(result.empty, undefined);
		assert.equal(result.hits.length, 4);
		const top = result.hits[0];
		assert.equal(top.path, 'examples/SearchPanel.tsx');
		assert.equal(top.repo, FIXTURE_REPO_KEY);
		assert.equal(top.ref, 'main');
		assert.equal(top.language, 'tsx');
		const lines = (await repo.git('show', 'HEAD:examples/SearchPanel.tsx')).split('\n');
		assert.equal(top.text, lines.slice(top.startLine - 1, top.endLine).join('\n'));
		assert.equal(top.scores.vectorRank !== undefined || top.scores.lexicalRank !== undefined, true);
		assert.equal(top.score, top.scores.fused);
		// Default fusion: 0.2 x normalised vector score + 0.8 x normalised full-text score, so at most 1
		// (plus 0.2 for a chunk defining a symbol the question names).
		assert.ok(top.score > 0 && top.score <= 1.2 + 1e-12, String(top.score));
		for (let i = 1; i < result.hits.length; i++) assert.ok(result.hits[i - 1].score >= result.hits[i].score);
		const rrf = await ask('escapeRegExp', { topK: 4, fusion: 'rrf' });
		const first = rrf.hits[0];
		const expected = (first.scores.vectorRank ? 1 / (60 + first.scores.vectorRank) : 0) + (first.scores.lexicalRank ? 1 / (60 + first.scores.lexicalRank) : 0);
		assert.ok(Math.abs(first.score - expected) < 1e-12);
		await assert.rejects(ask('escapeRegExp', { fusion: 'sum' as never }), /Unknown fusion "sum"/);
		const lexical = await ask('escapeRegExp', { mode: 'lexical', topK: 2 });
		assert.deepEqual(Object.keys(lexical.hits[0].scores).sort(), ['lexical', 'lexicalRank']);
		assert.equal(lexical.hits[0].score, lexical.hits[0].scores.lexical);
		const vector = await ask('escapeRegExp', { mode: 'vector', topK: 2 });
		assert.deepEqual(Object.keys(vector.hits[0].scores).sort(), ['vector', 'vectorRank']);
	});

	it('filters: path prefix, glob and language restrict every hit', async () => {
		const prefix = await ask('parse the pattern', { topK: 20, filters: { pathPrefix: 'examples/' } });
		assert.ok(prefix.hits.length > 0 && prefix.hits.every((hit) => hit.path.startsWith('examples/')), String(paths(prefix)));
		const glob = await ask('parse the pattern', { topK: 20, filters: { pathGlob: '**/*.{py,go}' } });
		assert.deepEqual([...new Set(paths(glob))].sort(), ['examples/repo_cache.py', 'examples/watcher.go']);
		const language = await ask('cache blob', { topK: 20, mode: 'lexical', filters: { language: 'python' } });
		assert.deepEqual([...new Set(paths(language))], ['examples/repo_cache.py']);
		const both = await ask('scan', { topK: 20, filters: { pathPrefix: 'lib/', language: 'javascript', pathGlob: '**/s*.js' } });
		assert.deepEqual([...new Set(paths(both))], ['lib/scan.js']);
	});

	it('a filter matching nothing gives zero hits and says why', async () => {
		const result = await ask('parse', { filters: { pathPrefix: 'nowhere/', language: ' ' } });
		assert.deepEqual(result.hits, []);
		assert.equal(result.empty, true);
		assert.equal(result.reason, 'No indexed file matches the filters (pathPrefix "nowhere/")');
		assert.deepEqual(result.filters, { pathPrefix: 'nowhere/' });
		const language = await ask('parse', { filters: { language: 'cobol' } });
		assert.equal(language.reason, 'No indexed file matches the filters (language "cobol")');
	});

	it('a question of only stopwords and short words: lexical mode flags it, hybrid falls back to vectors', async () => {
		const lexical = await ask('what is it?', { mode: 'lexical' });
		assert.equal(lexical.empty, true);
		assert.match(lexical.reason ?? '', /no word the full-text index can match/);
		const hybrid = await ask('what is it?', { mode: 'hybrid', topK: 3 });
		assert.equal(hybrid.hits.length, 3);
		assert.ok(hybrid.hits.every((hit) => hit.scores.lexicalRank === undefined && hit.scores.vectorRank !== undefined));
		const none = await ask('zzyzxqqq', { mode: 'lexical' });
		assert.equal(none.reason, 'No chunk matches the question');
	});

	it('MMR with lambda 1 keeps the fused order; lower lambda returns the same number of distinct hits', async () => {
		const plain = await ask('parse extglob pattern', { topK: 6 });
		const lambdaOne = await ask('parse extglob pattern', { topK: 6, mmr: { lambda: 1 } });
		assert.deepEqual(lambdaOne.hits.map((hit) => hit.chunkId), plain.hits.map((hit) => hit.chunkId));
		const diverse = await ask('parse extglob pattern', { topK: 6, mmr: { lambda: 0.3 } });
		assert.equal(new Set(diverse.hits.map((hit) => hit.chunkId)).size, 6);
		assert.equal(diverse.hits[0].chunkId, plain.hits[0].chunkId);
		assert.notDeepEqual(diverse.hits.map((hit) => hit.chunkId), plain.hits.map((hit) => hit.chunkId));
	});

	it('rerank: the top N fused candidates are reordered by the text-embeddings-inference /rerank scores', async () => {
		const server = await startRerankServer({ apiKey: 'rerank-secret' });
		try {
			const question = 'evict the oldest blobs from the cache';
			const fused = await ask(question, { topK: 10 });
			const result = await ask(question, { topK: 5, rerank: { url: `${server.url}/`, apiKey: 'rerank-secret', topN: 10 } });
			assert.equal(server.requests.length, 1);
			const [request] = server.requests;
			assert.equal(request.path, '/rerank');
			assert.equal(request.authorization, 'Bearer rerank-secret');
			assert.equal(request.query, question);
			assert.deepEqual(request.texts, fused.hits.map((hit) => `${hit.path}\n${hit.text}`));
			const expected = fused.hits
				.map((hit) => ({ id: hit.chunkId, score: standInRerankScore(question, `${hit.path}\n${hit.text}`) }))
				.sort((a, b) => b.score - a.score)
				.slice(0, 5);
			assert.deepEqual(result.hits.map((hit) => [hit.chunkId, hit.score, hit.scores.rerank]), expected.map(({ id, score }) => [id, score, score]));
			assert.ok(result.hits.every((hit) => hit.scores.fused !== undefined));
			await assert.rejects(ask(question, { rerank: { url: server.url, apiKey: 'wrong' } }), { name: 'AuthError', message: `Reranker at ${server.url}/rerank rejected the API key (HTTP 401)` });
			server.failNext(1, 503);
			await assert.rejects(ask(question, { rerank: { url: `${server.url}/rerank`, apiKey: 'rerank-secret' } }), { name: 'ServiceError', message: /failed \(HTTP 503\)/ });
		} finally {
			await server.close();
		}
		await assert.rejects(ask('cache', { rerank: { url: server.url } }), { name: 'ServiceError', message: /is unreachable \(ECONNREFUSED\)/ });
	});

	it('refuses an empty question, a repository or ref without index, and a different embedding model', async () => {
		await assert.rejects(ask('   '), (error: Error) => error instanceof InvalidInputError && error.message === 'The question is empty');
		await assert.rejects(retrieve(deps, { question: 'x', repoKey: 'github:nobody/nothing', ref: 'main' }), {
			name: 'InvalidInputError',
			message: 'Repository "github:nobody/nothing" has no index',
		});
		await assert.rejects(ask('parse', { ref: 'develop' }), {
			message: `Repository "${FIXTURE_REPO_KEY}" has no index for ref "develop" (indexed refs: main)`,
		});
		const other = { ...deps, embedder: new HashEmbedder({ dimensions: 64 }) };
		await assert.rejects(retrieve(other, { question: 'parse', repoKey: FIXTURE_REPO_KEY, ref: 'main' }), (error: InvalidInputError) => {
			assert.equal(error.message, `${FIXTURE_REPO_KEY}@main is indexed with the embedding model hash:384, not hash:64`);
			assert.match(error.hint ?? '', /same embedding provider and model/);
			return true;
		});
		await assert.rejects(ask('parse', { topK: 0 }), { message: 'topK must be an integer from 1 to 200: 0' });
		await assert.rejects(ask('parse', { weights: { vector: 0, lexical: 0 } }), /not both 0/);
	});
	it('similar code over MySQL and Chroma: other chunks only, never the target lines; related files from imports and history', async () => {
		const range = await similarCode(deps, { repoKey: FIXTURE_REPO_KEY, ref: 'main', target: { path: 'lib/parse.js', startLine: 1, endLine: 40 }, topK: 8 });
		assert.equal(range.hits.length, 8);
		assert.ok(range.sourceChunks.length > 0);
		assert.ok(range.hits.every((hit) => !range.sourceChunks.includes(hit.chunkId) && !(hit.path === 'lib/parse.js' && hit.startLine <= 40)));
		const file = await similarCode(deps, { repoKey: FIXTURE_REPO_KEY, ref: 'main', target: { path: 'lib/parse.js' }, topK: 5, filters: { pathPrefix: 'lib/' } });
		assert.ok(file.hits.every((hit) => hit.path !== 'lib/parse.js' && hit.path.startsWith('lib/')), file.hits.map((hit) => hit.path).join());
		const source = new LocalGitSource({ path: repo.path, repoKey: FIXTURE_REPO_KEY });
		const related = await relatedFiles(deps.state, { repoKey: FIXTURE_REPO_KEY, ref: 'main', embeddingModel: 'hash:384', path: 'lib/picomatch.js', history: source });
		await source.close();
		const reasons = Object.fromEntries(related.files.map((entry) => [entry.path, entry.reasons.join('+')]));
		assert.equal(reasons['index.js'], 'imports-it+changed-together');
		for (const path of ['lib/scan.js', 'lib/parse.js', 'lib/utils.js', 'lib/constants.js']) assert.equal(reasons[path], 'imported-by-it+changed-together', path);
		assert.equal(related.commitsScanned, 1);
		assert.equal(related.commitsWithFile, 1);
	});
	it('code signals: chunks defining a symbol the question names, and import neighbours of the best files, gain weight x the best score', async () => {
		const question = 'How does the matcher call scan() on a glob before it is compiled?';
		const off = { symbolBoost: 0, importExpansion: 0 };
		const base = await ask(question, { topK: 200, codeSignals: off });
		const best = base.hits[0].score;
		const before = (id: string) => base.hits.find((hit) => hit.chunkId === id)?.score ?? 0;
		const boosted = await ask(question, { topK: 200, codeSignals: { ...off, symbolBoost: 0.5 } });
		// Only the first chunk of a definition split over several chunks holds its declaration.
		const scanChunks = boosted.hits.filter((hit) => hit.symbol?.split('.').at(-1) === 'scan').sort((a, b) => a.startLine - b.startLine);
		assert.ok(scanChunks.length > 1 && scanChunks.every((hit) => hit.path === 'lib/scan.js' && hit.symbol === 'scan'), String(scanChunks.map((hit) => hit.path)));
		const defining = [scanChunks[0]];
		assert.ok(Math.abs(defining[0].score - (before(defining[0].chunkId) + 0.5 * best)) < 1e-9, `${defining[0].score} ${before(defining[0].chunkId)} ${best}`);
		assert.equal(boosted.hits.filter((hit) => !defining.includes(hit)).every((hit) => hit.score === before(hit.chunkId)), true);
		const filtered = await ask(question, { topK: 200, codeSignals: { ...off, symbolBoost: 0.5 }, filters: { pathPrefix: 'examples/' } });
		assert.ok(filtered.hits.every((hit) => hit.path.startsWith('examples/')), String(paths(filtered)));

		const expanded = await ask(question, { topK: 200, codeSignals: { ...off, importExpansion: 0.5 } });
		const seeds = new Map<string, number>();
		for (const hit of base.hits) if (seeds.size < 3 && !seeds.has(hit.path)) seeds.set(hit.path, hit.score);
		const bonus = new Map<string, number>();
		for (const [seed, score] of seeds) {
			const related = await relatedFiles(deps.state, { repoKey: FIXTURE_REPO_KEY, ref: 'main', embeddingModel: 'hash:384', path: seed });
			for (const file of related.files) if (!seeds.has(file.path)) bonus.set(file.path, Math.max(bonus.get(file.path) ?? 0, 0.5 * score));
		}
		assert.ok(bonus.size > 0);
		const seen = new Set<string>();
		for (const hit of base.hits) {
			const expected = hit.score + (seen.has(hit.path) ? 0 : (bonus.get(hit.path) ?? 0));
			seen.add(hit.path);
			const after = expanded.hits.find((other) => other.chunkId === hit.chunkId)!;
			assert.ok(Math.abs(after.score - expected) < 1e-9, `${hit.path}:${hit.startLine} ${after.score} != ${expected}`);
		}
		await assert.rejects(ask(question, { codeSignals: { symbolBoost: 2 } }), /codeSignals.symbolBoost must be a number from 0 to 1: 2/);
	});

	it('two refs in one collection: every hit belongs to the asked ref (vector results are checked, not only filtered)', async () => {
		await repo.git('branch', 'dev');
		await repo.git('checkout', '-q', 'dev');
		await repo.writeFiles({ 'lib/dev-only.js': 'function shardPathOnDev() { return 1; }\n' });
		await repo.commit('dev change');
		await syncLocal(env, repo, 'dev');
		for (const ref of ['main', 'dev']) {
			for (const mode of ['vector', 'lexical', 'hybrid'] as const) {
				const result = await ask('shard path', { ref, mode, topK: 30 });
				if (mode !== 'lexical') assert.equal(result.hits.length, 30, `${ref} ${mode}`);
				assert.ok(result.hits.every((hit) => hit.ref === ref), `${ref} ${mode}`);
				assert.equal(paths(result).includes('lib/dev-only.js'), ref === 'dev', `${ref} ${mode}: ${paths(result)}`);
			}
		}
	});
});
