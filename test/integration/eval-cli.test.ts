import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { HashEmbedder } from '../../lib/embed';
import { EvalStore, readDataset, runEvaluation, type FinishedRun } from '../../lib/evaluate';
import { createChatModel } from '../../lib/generate';
import { startChatServer, type ChatServer } from '../support/chat-server';
import { makeRepository } from '../support/fixture-repo';
import type { GitRepo } from '../support/git-repo';
import { createIndexEnv, type IndexEnv } from '../support/index-env';
import { judgeStandIn, type JudgeStandIn } from '../support/judge-server';
import { FIXTURE_REPO_KEY, syncLocal } from '../support/sync-assert';

const ROOT = join(__dirname, '..', '..');
const DATASET = join(ROOT, 'test', 'fixtures', 'eval', 'dataset.csv');
const CHAT_KEY = 'sk-eval-cli-SECRET-77';
const run = promisify(execFile);

describe('repomind eval (CLI) against real MySQL, Chroma and the chat stand-in', () => {
	let env: IndexEnv;
	let repo: GitRepo;
	let chat: ChatServer;
	let judge: JudgeStandIn;
	let mysqlUrl: string;

	const cli = (...args: string[]) =>
		run(process.execPath, ['--import', 'tsx', join(ROOT, 'cli', 'repomind.ts'), 'eval', ...args], {
			cwd: ROOT,
			env: { ...process.env, NODE_OPTIONS: '', REPOMIND_CHAT_API_KEY: CHAT_KEY, NODE_TEST_CONTEXT: '' },
			timeout: 120_000,
		}).catch((error: { code: number; stdout: string; stderr: string }) => ({ ...error, failed: true as const }));
	const common = () => ['--dataset', DATASET, '--repo', FIXTURE_REPO_KEY, '--ref', 'main', '--mysql-url', mysqlUrl, '--chroma-url', env.chroma.url, '--embedder', 'hash:384', '--chat-base-url', `${chat.url}/v1`, '--model', 'repomind-test-chat'];

	/** The same evaluation in-process, not stored: what the CLI must have computed. */
	const inProcess = async (topK: number): Promise<FinishedRun> =>
		runEvaluation(
			{
				retrieval: { state: env.deps.state, vectors: env.deps.vectors, embedder: new HashEmbedder({ dimensions: 384 }) },
				generation: { model: createChatModel({ provider: 'openai', model: 'repomind-test-chat', baseURL: `${chat.url}/v1`, apiKey: CHAT_KEY }), contextWindow: 16384, maxTokens: 1024, temperature: 0 },
				judge: { model: createChatModel({ provider: 'openai', model: 'repomind-test-chat', baseURL: `${chat.url}/v1`, apiKey: CHAT_KEY }) },
			},
			{ dataset: await readDataset(DATASET), repoKey: FIXTURE_REPO_KEY, ref: 'main', retrieval: { mode: 'hybrid', topK } },
		);
	/** A result as stored: without latency, and without the retrieved paths (printed by --json, not stored). */
	const withoutLatency = ({ retrievedPaths: _paths, ...result }: FinishedRun['results'][number]) => ({ ...result, latencyMs: null });

	before(async () => {
		env = await createIndexEnv({ embedder: new HashEmbedder({ dimensions: 384 }), chunker: {} });
		repo = await makeRepository();
		await syncLocal(env, repo);
		chat = await startChatServer({ apiKey: CHAT_KEY });
		judge = judgeStandIn();
		chat.reply = judge.reply;
		const { host, port, user, password, database } = env.database.config;
		mysqlUrl = `mysql://${user}:${encodeURIComponent(password ?? '')}@${host}:${port}/${database}`;
	});
	after(async () => {
		await chat?.close();
		await env?.close();
		await repo?.dispose();
	});

	it('evaluates the dataset, prints a table, stores the run with the same numbers as the core computes', async () => {
		judge.malformFor('byte limit', 6);
		const output = await cli(...common(), '--name', 'top 8', '--top-k', '8');
		assert.ok(!('failed' in output), `${output.stderr}`);
		const lines = output.stdout.trimEnd().split('\n');
		assert.match(lines[0], /^Evaluation run 1: 5 items, 4 with gold, k=8, 0 errors, 2 judge failures$/);
		assert.deepEqual(lines.slice(2, 4).map((line) => line.split(/\s+/)), [['metric', 'mean', 'items', 'skipped'], ['-'.repeat(17), '-----', '-----', '-------']]);
		assert.ok(!output.stdout.includes(CHAT_KEY) && !output.stderr.includes(CHAT_KEY));
		assert.match(output.stderr, /\[3\/5\] cache-evict\n/);
		assert.ok(chat.requests.every((request) => request.authorization === `Bearer ${CHAT_KEY}`));

		const stored = await new EvalStore(env.pool).loadRun(1);
		assert.ok(stored);
		assert.deepEqual([stored.name, stored.repoKey, stored.ref, stored.settings], ['top 8', FIXTURE_REPO_KEY, 'main', { k: 8, mode: 'hybrid', topK: 8, embeddingModel: 'hash:384', chatModel: 'openai:repomind-test-chat', judgeModel: 'openai:repomind-test-chat', items: 5 }]);
		const [evict] = stored.results.filter((result) => result.id === 'cache-evict');
		assert.deepEqual(evict.judgeFailures.map((failure) => [failure.metric, failure.attempts]).sort(), [['answerRelevance', 3], ['faithfulness', 3]]);
		const [noGold] = stored.results.filter((result) => result.id === 'no-gold');
		assert.deepEqual(Object.keys(noGold.metrics).sort(), ['answerRelevance', 'faithfulness']);
		assert.equal(noGold.skipped.length, 15);
		const [windows] = stored.results.filter((result) => result.id === 'is-windows');
		assert.equal(windows.metrics.fileHitRate, 1);
		assert.ok(stored.results.every((result) => typeof result.latencyMs === 'number' && result.latencyMs >= 0));

		judge.malformFor('byte limit', 6);
		const expected = await inProcess(8);
		assert.deepEqual(stored.results.map(withoutLatency), expected.results.map(withoutLatency));
		const { latencyMs: _a, ...storedNumbers } = stored.summary;
		const { latencyMs: _b, ...expectedNumbers } = expected.summary;
		assert.deepEqual(storedNumbers, expectedNumbers);
		for (const [metric, entry] of Object.entries(expected.summary.metrics)) {
			const row = lines.find((line) => line.startsWith(`${metric} `));
			assert.deepEqual(row?.split(/\s+/), [metric, entry.mean === null ? '-' : entry.mean.toFixed(3), String(entry.count), String(entry.skipped)]);
		}
	});

	it('--compare: a second run whose answers cite nothing lists the questions that got worse', async () => {
		chat.reply = (request) => judge.reply(request) ?? 'I could not find this in the code.';
		try {
			const output = await cli(...common(), '--top-k', '8', '--compare', '1', '--no-judge');
			assert.ok(!('failed' in output), `${output.stderr}`);
			const store = new EvalStore(env.pool);
			const [baseline, current] = [await store.loadRun(1), await store.loadRun(2)];
			assert.equal(current?.baselineRunId, 1);
			const worse = current!.results.flatMap((result) => {
				const before = baseline!.results.find((entry) => entry.id === result.id)!;
				return Object.entries(result.metrics)
					.filter(([metric, value]) => value < (before.metrics as Record<string, number>)[metric])
					.map(([metric]) => `${result.id}:${metric}`);
			});
			const cited = ['is-windows', 'cache-evict', 'watcher-poll'].flatMap((id) => [`${id}:citationPrecision`, `${id}:citationRecall`]);
			assert.deepEqual(worse, cited, 'only citations got worse; retrieval is unchanged');
			const printed = output.stdout.split('\n').filter((line) => line.startsWith('  worse: '));
			assert.equal(printed.length, Math.min(10, worse.length));
			assert.match(output.stdout, new RegExp(`^5 questions in both runs; ${worse.length} item metrics worse, 1 better$`, 'm'));
			assert.match(output.stdout, /^metric\s+mean\s+items\s+skipped\s+vs run 1$/m);
			assert.match(output.stdout, /^fileRecall\s+1\.000\s+4\s+1\s+\+0\.000$/m);
			assert.match(output.stdout, /^faithfulness\s+-\s+0\s+5\s+-$/m);
		} finally {
			chat.reply = judge.reply;
		}
	});

	it('exits 2 with usage on bad arguments, 1 with the reason on a failing service', async () => {
		const missing = await cli('--repo', 'x');
		assert.ok('failed' in missing);
		assert.equal(missing.code, 2);
		assert.match(missing.stderr, /^repomind eval: --dataset and --repo are required\n/);
		const unknownRun = await cli(...common(), '--compare', '99', '--no-judge');
		assert.ok('failed' in unknownRun);
		assert.equal(unknownRun.code, 1);
		assert.match(unknownRun.stderr, /There is no evaluation run 99 to compare with\nLatest runs: 2, 1\n/);
		const noChroma = await cli(...common().map((value) => (value === env.chroma.url ? 'http://127.0.0.1:9' : value)), '--no-store', '--no-judge');
		assert.ok('failed' in noChroma, 'every item failed: exit 1');
		assert.equal(noChroma.code, 1);
		assert.match(noChroma.stdout, /^Evaluation: 5 items, 0 with gold, k=10, 5 errors, 0 judge failures$/m, 'each failed item is still reported');
		assert.match(noChroma.stderr, /every item failed \(5 of 5\)/);
	});
});
