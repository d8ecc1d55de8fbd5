/**
 * `npm run bench:cache`: latency of a repeated question with the answer cache against a miss, on a real
 * index (MariaDB + Chroma) of a small real repository. One question is the Q&A chat's path: search
 * (embedding over HTTP, hybrid retrieval) then a cited answer from a local stand-in chat model over
 * HTTP, once without delay and once with a realistic model delay (BENCH_CHAT_DELAY_MS, default 800).
 * Per question: no cache, a miss (cache on, empty: search + answer + two stores), a hit (the same
 * question again), after a warm-up. Prints progress, then one JSON object as its last line.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { AnswerCache, answerWithCache, retrieveWithCache, type CacheUse } from '../lib/cache';
import { createEmbedder } from '../lib/embed';
import { answerQuestion, createChatModel, type ChatMessage, type ChatModel, type Completion, type CompletionOptions, type GenerateSettings, type RetrievedHit } from '../lib/generate';
import { retrieve, type RetrieveDependencies, type RetrieveRequest, type RetrieveResult } from '../lib/retrieve';
import { startChatServer } from '../test/support/chat-server';
import { startEmbeddingServer } from '../test/support/embedding-server';
import { makeRepository } from '../test/support/fixture-repo';
import { createIndexEnv } from '../test/support/index-env';
import { FIXTURE_REPO_KEY, syncLocal } from '../test/support/sync-assert';
import { percentile } from './retrieval-latency';

const DELAY_MS = Number(process.env.BENCH_CHAT_DELAY_MS ?? 800);
const QUESTIONS = [
	'How does picomatch escape regular expression characters?',
	'Where is a glob pattern parsed into tokens?',
	'How are brace expansions handled?',
	'What does the scan function return?',
	'How does isWindows detect the platform?',
	'Where are POSIX character classes defined?',
	'How is a negated pattern matched?',
	'What options change how dotfiles are matched?',
	'How does matchBase work?',
	'Where is the regex source compiled into a RegExp?',
	'How are extglob patterns like +(a|b) parsed?',
	'What does the test function return for a match?',
];

/** Questions run through every path first (then the cache is emptied), so the first measured runs are not cold. */
const WARMUP_QUESTIONS = 4;
const log = (message: string) => console.log(`[bench:cache] ${message}`);

/** A chat model that answers after a fixed delay, as a hosted model would. */
class DelayedChatModel implements ChatModel {
	readonly modelId: string;
	readonly identity: ChatModel['identity'];
	constructor(
		private readonly inner: ChatModel,
		private readonly delayMs: number,
	) {
		this.modelId = inner.modelId;
		this.identity = inner.identity;
	}
	async complete(messages: ChatMessage[], options?: CompletionOptions): Promise<Completion> {
		if (this.delayMs > 0) await sleep(this.delayMs);
		return this.inner.complete(messages, options);
	}
}

function stats(ms: number[]): { median: number; p90: number; mean: number } {
	const sorted = [...ms].sort((a, b) => a - b);
	const round = (value: number) => Math.round(value * 100) / 100;
	return { median: round(percentile(sorted, 50)), p90: round(percentile(sorted, 90)), mean: round(ms.reduce((sum, value) => sum + value, 0) / ms.length) };
}

const hitsOf = (result: RetrieveResult): RetrievedHit[] => result.hits.map(({ scores: _scores, ...hit }) => hit);

async function main(): Promise<void> {
	const started = performance.now();
	const [embeddings, chat, repo] = await Promise.all([startEmbeddingServer({ dimensions: 64 }), startChatServer(), makeRepository()]);
	const embedder = createEmbedder({ provider: 'openai', model: 'text-embedding-3-small', apiKey: 'none', baseURL: `${embeddings.url}/v1` });
	const env = await createIndexEnv({ embedder, chunker: {} });
	try {
		await syncLocal(env, repo);
		const deps: RetrieveDependencies = { state: env.deps.state, vectors: env.deps.vectors, embedder: env.deps.embedder };
		const use: CacheUse = { cache: new AnswerCache(env.pool), state: env.deps.state, ttlSeconds: 3600 };
		const request = (question: string): RetrieveRequest => ({ question, repoKey: FIXTURE_REPO_KEY, ref: 'main', mode: 'hybrid', topK: 8 });
		const results: Record<string, unknown> = {};
		let hitsMarked = 0;
		let hitAnswersEqual = 0;
		const warmUp = new DelayedChatModel(createChatModel({ provider: 'openai', model: 'warm-up', apiKey: 'none', baseURL: `${chat.url}/v1`, retries: 0 }), 0);
		for (const question of QUESTIONS.slice(0, WARMUP_QUESTIONS)) {
			const warmSettings: GenerateSettings = { model: warmUp, contextWindow: 16384, maxTokens: 1024 };
			for (let i = 0; i < 2; i++) {
				const searched = await retrieveWithCache(deps, request(question), use);
				await answerWithCache({ question, hits: hitsOf(searched), repoKey: searched.repo, ref: searched.ref }, warmSettings, use);
			}
		}
		for (const delayMs of [0, DELAY_MS]) {
			await env.pool.query('DELETE FROM repomind_answer_cache');
			const model = new DelayedChatModel(createChatModel({ provider: 'openai', model: 'repomind-test-chat', apiKey: 'none', baseURL: `${chat.url}/v1`, retries: 0 }), delayMs);
			const settings: GenerateSettings = { model, contextWindow: 16384, maxTokens: 1024, temperature: 0.1 };
			const times = { noCache: [] as number[], miss: [] as number[], hit: [] as number[] };
			const modelCalls = { before: chat.requests.length };
			for (const question of QUESTIONS) {
				let t = performance.now();
				const plain = await retrieve(deps, request(question));
				await answerQuestion({ question, hits: hitsOf(plain) }, settings);
				times.noCache.push(performance.now() - t);

				const cachedCall = async () => {
					const searched = await retrieveWithCache(deps, request(question), use);
					const input = { question, hits: hitsOf(searched), repoKey: searched.repo, ref: searched.ref, embeddingModel: searched.embeddingModel, retrieval: { mode: searched.mode, filters: searched.filters } };
					return { searched, answered: await answerWithCache(input, settings, use) };
				};
				t = performance.now();
				const miss = await cachedCall();
				times.miss.push(performance.now() - t);
				t = performance.now();
				const hit = await cachedCall();
				times.hit.push(performance.now() - t);
				if (miss.searched.cache.hit || miss.answered.cache.hit) throw new Error(`expected a miss for "${question}"`);
				if (hit.searched.cache.hit && hit.answered.cache.hit) hitsMarked += 1;
				if (hit.answered.result.answer === miss.answered.result.answer) hitAnswersEqual += 1;
			}
			const summary = { noCacheMs: stats(times.noCache), missMs: stats(times.miss), hitMs: stats(times.hit) };
			const ratio = Math.round((summary.missMs.median / summary.hitMs.median) * 10) / 10;
			results[`chatDelay${delayMs}ms`] = { ...summary, missOverHitMedian: ratio, cacheOverheadOnMissMs: Math.round((summary.missMs.median - summary.noCacheMs.median) * 100) / 100, modelCalls: chat.requests.length - modelCalls.before };
			log(`chat delay ${delayMs} ms: no cache ${summary.noCacheMs.median} ms, miss ${summary.missMs.median} ms, hit ${summary.hitMs.median} ms (median of ${QUESTIONS.length}); miss/hit ${ratio}x`);
		}
		const runs = QUESTIONS.length * 2;
		console.log(JSON.stringify({
			bench: 'answer-cache',
			questions: QUESTIONS.length,
			path: 'hybrid search (HTTP embeddings, Chroma, MariaDB) + cited answer (HTTP stand-in chat model)',
			results,
			hitsMarked: `${hitsMarked}/${runs}`,
			hitAnswersEqual: `${hitAnswersEqual}/${runs}`,
			loadAverage1m: Math.round(loadavg()[0] * 100) / 100,
			totalMs: Math.round(performance.now() - started),
		}));
	} finally {
		await env.close();
		await Promise.all([embeddings.close(), chat.close(), repo.dispose()]);
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
