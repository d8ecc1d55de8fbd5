import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ChatOpenAI } from '@langchain/openai';
import { CodeSearch, codeSearchTools, CodeSearchRetriever, TOOL_NAMES } from '../../lib/agent';
import type { RowDataPacket } from 'mysql2/promise';
import { AnswerCache, answerWithCache, chatModelIdentity, indexVersionOf, keyMaterial, normaliseQuestion, retrieveWithCache, searchScope, withCache, type CacheUse } from '../../lib/cache';
import { HashEmbedder } from '../../lib/embed';
import { createChatModel, LangChainChatModel, type GenerateSettings } from '../../lib/generate';
import { retrieve, type RetrieveRequest, type RetrieveResult } from '../../lib/retrieve';
import { startChatServer, type ChatServer } from '../support/chat-server';
import { makeRepository } from '../support/fixture-repo';
import type { GitRepo } from '../support/git-repo';
import { createIndexEnv, type IndexEnv } from '../support/index-env';
import { FIXTURE_REPO_KEY, syncLocal } from '../support/sync-assert';

const API_KEY = 'sk-answer-cache-SECRET-0b9d4e21';
const RERANK_KEY = 'rerank-SECRET-77aa01';
const QUESTION = 'How does picomatch escape regular expression characters?';

describe('answer cache on a real index (MariaDB + Chroma)', () => {
	let env: IndexEnv;
	let repo: GitRepo;
	let server: ChatServer;
	let use: CacheUse;
	const deps = () => ({ state: env.deps.state, vectors: env.deps.vectors, embedder: env.deps.embedder });
	const request = (extra: Partial<RetrieveRequest> = {}): RetrieveRequest => ({ question: QUESTION, repoKey: FIXTURE_REPO_KEY, ref: 'main', topK: 4, ...extra });
	const settings = (extra: Partial<GenerateSettings> = {}): GenerateSettings => ({
		model: createChatModel({ provider: 'openai', model: 'test-chat', apiKey: API_KEY, baseURL: `${server.url}/v1`, retries: 0 }),
		contextWindow: 8192,
		maxTokens: 256,
		temperature: 0.1,
		...extra,
	});
	const ask = async (question: string, retrieved: RetrieveResult, extra: Partial<GenerateSettings> = {}) =>
		answerWithCache({ question, hits: hitsOf(retrieved), repoKey: retrieved.repo, ref: retrieved.ref, embeddingModel: retrieved.embeddingModel, retrieval: { mode: retrieved.mode, filters: retrieved.filters } }, settings(extra), use);
	/** Retrieve's hits as Generate reads them. */
	const hitsOf = (retrieved: RetrieveResult) => retrieved.hits.map(({ scores: _scores, ...hit }) => hit);
	const rows = async () => (await env.pool.query<RowDataPacket[]>('SELECT * FROM repomind_answer_cache'))[0];

	before(async () => {
		[env, repo, server] = await Promise.all([createIndexEnv({ embedder: new HashEmbedder({ dimensions: 128 }) }), makeRepository(), startChatServer({ apiKey: API_KEY })]);
		await syncLocal(env, repo);
		use = { cache: new AnswerCache(env.pool), state: env.deps.state, ttlSeconds: 3600 };
	});
	after(async () => {
		await Promise.all([env?.close(), repo?.dispose(), server?.close()]);
	});
	beforeEach(async () => {
		await env.pool.query('DELETE FROM repomind_answer_cache');
		server.requests.length = 0;
	});

	it('a second identical question is answered from the cache, marked as a hit, without a model call', async () => {
		const retrieved = await retrieve(deps(), request());
		const first = await ask(QUESTION, retrieved);
		assert.deepEqual({ hit: first.cache.hit, stored: 'stored' in first.cache && first.cache.stored }, { hit: false, stored: true });
		const second = await ask(QUESTION, retrieved);
		assert.equal(server.requests.length, 1);
		assert.equal(second.cache.hit, true);
		assert.ok(second.cache.hit && !Number.isNaN(Date.parse(second.cache.storedAt)) && Date.parse(second.cache.expiresAt) > Date.parse(second.cache.storedAt));
		assert.deepEqual([second.result.answer, second.result.citations, second.result.model], [first.result.answer, first.result.citations, first.result.model]);
		assert.deepEqual(second.result.usage, { promptTokens: 0, completionTokens: 0 });
		assert.deepEqual(second.cache.savedUsage, first.result.usage);
		const [row] = await rows();
		assert.deepEqual([row.kind, row.repo_key, row.ref, row.commit_sha, row.hit_count], ['answer', FIXTURE_REPO_KEY, 'main', retrieved.commit, 1]);
	});

	it('normalises spacing and trailing question marks, but keeps case and code spans', async () => {
		assert.equal(normaliseQuestion('  How does\n\tparse   work ?? '), 'How does parse work');
		assert.equal(normaliseQuestion('What does `a  b` do?'), 'What does `a  b` do');
		assert.notEqual(normaliseQuestion('What calls Parser'), normaliseQuestion('What calls parser'));
		const retrieved = await retrieve(deps(), request());
		await ask(QUESTION, retrieved);
		assert.equal((await ask(`  ${QUESTION.replace(/ /g, '   ').replace('?', '')}\n`, retrieved)).cache.hit, true);
		assert.equal((await ask(QUESTION.toLowerCase(), retrieved)).cache.hit, false);
		assert.equal(server.requests.length, 2);
	});

	it('another chat model, endpoint, generation setting or set of hits is a miss', async () => {
		const retrieved = await retrieve(deps(), request());
		await ask(QUESTION, retrieved);
		const other = createChatModel({ provider: 'openai', model: 'other-chat', apiKey: API_KEY, baseURL: `${server.url}/v1`, retries: 0 });
		const otherHost = createChatModel({ provider: 'openai', model: 'test-chat', apiKey: API_KEY, baseURL: `${server.url.replace('127.0.0.1', 'localhost')}/v1`, retries: 0 });
		const misses = [
			await ask(QUESTION, retrieved, { model: other }),
			await ask(QUESTION, retrieved, { model: otherHost }),
			await ask(QUESTION, retrieved, { maxTokens: 300 }),
			await ask(QUESTION, retrieved, { temperature: 0.7 }),
			await ask(QUESTION, retrieved, { contextWindow: 4096 }),
			await ask(QUESTION, await retrieve(deps(), request({ topK: 2 }))),
			await ask(QUESTION, { ...retrieved, hits: retrieved.hits.map((hit, i) => (i === 0 ? { ...hit, text: `${hit.text}\n// changed` } : hit)) }),
		];
		assert.deepEqual(misses.map((miss) => miss.cache.hit), misses.map(() => false));
		assert.equal(server.requests.length, 1 + misses.length);
		assert.equal((await ask(QUESTION, retrieved)).cache.hit, true);
	});

	it('a new indexed commit is never served an old answer or search result; a ref being re-indexed is not cached', async () => {
		const retrieved = await retrieve(deps(), request());
		await ask(QUESTION, retrieved);
		await retrieveWithCache(deps(), request(), use);
		assert.equal((await ask(QUESTION, retrieved)).cache.hit, true);
		assert.equal((await retrieveWithCache(deps(), request(), use)).cache.hit, true);

		await repo.writeFiles({ 'NOTES.md': '# Notes\n\nEscaping regular expression characters is documented here.\n' });
		await repo.commit('notes');
		await syncLocal(env, repo);
		const again = await retrieve(deps(), request());
		assert.notEqual(again.commit, retrieved.commit);
		const afterSync = await ask(QUESTION, retrieved);
		assert.equal(afterSync.cache.hit, false);
		assert.equal(server.requests.length, 2);
		const search = await retrieveWithCache(deps(), request(), use);
		assert.deepEqual([search.cache.hit, search.commit], [false, again.commit]);

		const ref = (await env.deps.state.findRef(FIXTURE_REPO_KEY, 'main', env.deps.embedder.modelId))!;
		await env.deps.state.markDirty(ref.id);
		try {
			const during = await ask(QUESTION, retrieved);
			assert.deepEqual(during.cache, { hit: false, stored: false, reason: `not cached: the index of ${FIXTURE_REPO_KEY}@main (${env.deps.embedder.modelId}) is being updated` });
		} finally {
			await env.deps.state.markIndexed(ref.id, ref.commitSha!, { files: ref.fileCount, chunks: ref.chunkCount });
		}
	});

	it('a value computed while the index changed is not stored under the old commit', async () => {
		const ref = (await env.deps.state.findRef(FIXTURE_REPO_KEY, 'main', env.deps.embedder.modelId))!;
		const scope = { kind: 'answer' as const, question: QUESTION, repoKey: FIXTURE_REPO_KEY, ref: 'main', model: { label: 'x' }, settings: {} };
		try {
			const result = await withCache(use, scope, undefined, async () => {
				await env.deps.state.markIndexed(ref.id, 'f'.repeat(40), { files: ref.fileCount, chunks: ref.chunkCount });
				return 'computed';
			});
			assert.deepEqual(result.cache, { hit: false, stored: false, key: result.cache.key, reason: 'not stored: the index changed while answering' });
			assert.equal((await rows()).length, 0);
		} finally {
			await env.deps.state.markIndexed(ref.id, ref.commitSha!, { files: ref.fileCount, chunks: ref.chunkCount });
		}
	});

	it('expired entries are not served and are deleted by expire()', async () => {
		const retrieved = await retrieve(deps(), request());
		const short = { ...use, ttlSeconds: 1 };
		const input = { question: QUESTION, hits: hitsOf(retrieved), repoKey: retrieved.repo, ref: retrieved.ref, embeddingModel: retrieved.embeddingModel };
		await answerWithCache(input, settings(), short);
		assert.equal((await answerWithCache(input, settings(), short)).cache.hit, true);
		await sleep(1200);
		assert.equal((await use.cache.expire()), 1);
		assert.equal((await rows()).length, 0);
		await answerWithCache(input, settings(), short);
		await sleep(1200);
		assert.equal((await rows()).length, 1, 'the expired row is still there until cleaned');
		assert.equal((await answerWithCache(input, settings(), short)).cache.hit, false);
		assert.equal(server.requests.length, 3);
		await assert.rejects(answerWithCache(input, settings(), { ...use, ttlSeconds: 0 }), /Cache TTL must be a whole number of seconds from 1/);
	});

	it('search results: a hit after put; a miss on other ranking settings or another embedding space', async () => {
		const first = await retrieveWithCache(deps(), request(), use);
		const second = await retrieveWithCache(deps(), request({ question: `${QUESTION}  ` }), use);
		assert.deepEqual([first.cache.hit, second.cache.hit], [false, true]);
		const { cache: _a, ...fresh } = first;
		const { cache: _b, ...cached } = second;
		assert.deepEqual(cached, fresh);
		const variants: Array<Partial<RetrieveRequest>> = [
			{ topK: 3 },
			{ filters: { pathPrefix: 'lib/' } },
			{ fusion: 'rrf' },
			{ weights: { vector: 0.5, lexical: 0.5 } },
			{ mode: 'lexical' },
			{ mmr: { lambda: 0.5 } },
		];
		for (const variant of variants) assert.equal((await retrieveWithCache(deps(), request(variant), use)).cache.hit, false, JSON.stringify(variant));
		const otherSpace = { ...deps(), embedder: new HashEmbedder({ dimensions: 64 }) };
		await assert.rejects(retrieveWithCache(otherSpace, request(), use), /not indexed|indexed with the embedding model/);
		assert.equal((await rows()).filter((row) => row.kind === 'search').length, 1 + variants.length);
	});

	it('Code Search tools and retriever reuse search results and mark them', async () => {
		const search = new CodeSearch(deps(), { repoKey: FIXTURE_REPO_KEY, ref: 'main', topK: 4 }, use);
		const tool = codeSearchTools(search).find((entry) => entry.name === TOOL_NAMES.search)!;
		const first = String(await tool.invoke({ query: QUESTION }));
		const second = String(await tool.invoke({ query: QUESTION }));
		assert.ok(!first.includes('cached result'), first.slice(0, 200));
		assert.match(second, /^local:fixture@main \(commit [0-9a-f]{12}, cached result stored \d{4}-[^)]+\): 4 results/);
		assert.equal(second.replace(/, cached result stored [^)]+/, ''), first);
		const embedded = env.embedder.calls;
		const documents = await new CodeSearchRetriever(search).invoke(QUESTION);
		assert.equal(env.embedder.calls, embedded, 'the retriever reused the tool\'s search');
		assert.ok(documents.length === 4 && documents.every((document) => typeof document.metadata.cachedAt === 'string'));
		const uncached = await new CodeSearchRetriever(new CodeSearch(deps(), { repoKey: FIXTURE_REPO_KEY, ref: 'main', topK: 4 })).invoke(QUESTION);
		assert.deepEqual(documents.map((document) => document.pageContent), uncached.map((document) => document.pageContent));
		assert.equal(uncached[0].metadata.cachedAt, undefined);
	});

	it('stores and hashes no key or token: chat API key, credentials in a base URL, rerank key', async () => {
		const retrieved = await retrieve(deps(), request());
		await ask(QUESTION, retrieved);
		const urlWithSecrets = `http://user:${API_KEY}@127.0.0.1:9/v1?api-key=${API_KEY}`;
		const identities = [
			chatModelIdentity({ model: createChatModel({ provider: 'openai', model: 'm', apiKey: API_KEY, baseURL: urlWithSecrets }) }),
			chatModelIdentity({ model: createChatModel({ provider: 'huggingface', model: 'm', token: API_KEY, endpointUrl: urlWithSecrets }) }),
			chatModelIdentity({ model: new LangChainChatModel(new ChatOpenAI({ model: 'm', apiKey: API_KEY, temperature: 0.3, configuration: { baseURL: urlWithSecrets } })) }),
		];
		assert.deepEqual(identities[2], { label: 'openai:m@127.0.0.1:9/v1', details: { className: 'ChatOpenAI', endpoint: '127.0.0.1:9/v1', sampling: { temperature: 0.3 } } });
		const rerank = { url: urlWithSecrets, apiKey: RERANK_KEY, topN: 20 };
		const version = (await indexVersionOf(env.deps.state, FIXTURE_REPO_KEY, 'main')).version!;
		const search = searchScope(env.deps.embedder.modelId, request({ rerank }));
		const material = [search, ...identities.map((model) => ({ ...search, kind: 'answer' as const, model, settings: {} }))].map((scope) => keyMaterial(scope, version)).join('\n');
		assert.ok(!material.includes(API_KEY) && !material.includes(RERANK_KEY) && !material.includes('user'), material);
		assert.ok(material.includes('"rerank":{"endpoint":"127.0.0.1:9/v1","topN":20}'), material);
		await assert.rejects(retrieveWithCache(deps(), request({ rerank }), use));
		const stored = JSON.stringify(await rows());
		for (const secret of [API_KEY, RERANK_KEY]) assert.ok(!stored.includes(secret), `${secret} stored`);
	});
});
