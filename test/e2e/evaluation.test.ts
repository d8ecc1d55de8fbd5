import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createEmbedder } from '../../lib/embed';
import { aggregateResults, compareRuns, EvalStore, readDataset, runEvaluation, type EvalItemResult } from '../../lib/evaluate';
import { createChatModel } from '../../lib/generate';
import { startChatServer, type ChatServer } from '../support/chat-server';
import { startChroma, type ChromaServer } from '../support/chroma-server';
import { startEmbeddingServer, type EmbeddingServer } from '../support/embedding-server';
import { makeRepository } from '../support/fixture-repo';
import type { GitRepo } from '../support/git-repo';
import { attachIndexEnv, type IndexEnv } from '../support/index-env';
import { judgeStandIn, type JudgeStandIn } from '../support/judge-server';
import { createTestDatabase, type TestDatabase } from '../support/mysql-db';
import { FIXTURE_REPO_KEY, syncLocal } from '../support/sync-assert';
import { repoMindChatCredential, repoMindCredentials } from './credentials';
import { N8nInstance, nodeOutput } from './n8n';

const ROOT = join(__dirname, '..', '..');
const WORKFLOW = join(ROOT, 'workflows', 'rag-evaluation.json');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'eval');
const EMBED_KEY = 'sk-local-test';
const CHAT_KEY = 'sk-eval-e2e-SECRET-31';

interface WorkflowNode {
	name: string;
	parameters: Record<string, unknown> & { assignments?: { assignments: Array<{ name: string; value: unknown }> } };
}

describe('workflows/rag-evaluation.json in a real n8n', () => {
	let repo: GitRepo;
	let embeddings: EmbeddingServer;
	let chat: ChatServer;
	let judge: JudgeStandIn;
	let chroma: ChromaServer;
	let database: TestDatabase;
	let index: IndexEnv;
	let n8n: N8nInstance;
	let files: string;

	const embedder = () => createEmbedder({ provider: 'openai', model: 'text-embedding-3-small', apiKey: EMBED_KEY, baseURL: `${embeddings.url}/v1` });
	const chatModel = () => createChatModel({ provider: 'openai', model: 'repomind-test-chat', baseURL: `${chat.url}/v1`, apiKey: CHAT_KEY });
	/** The workflow with its settings pointed at the test dataset, index and models. */
	const workflowFor = (id: string, dataset: string, runName: string, compareWithRunId: number) => {
		const workflow = JSON.parse(readFileSync(WORKFLOW, 'utf8')) as { id: string; nodes: WorkflowNode[] };
		const node = (name: string) => workflow.nodes.find((entry) => entry.name === name)!;
		const values: Record<string, unknown> = { datasetPath: join(files, dataset), repositoryKey: FIXTURE_REPO_KEY, ref: 'main', runName, compareWithRunId };
		for (const assignment of node('Settings').parameters.assignments!.assignments) assignment.value = values[assignment.name];
		node('Generate').parameters.openAiChatModel = 'repomind-test-chat';
		node('Evaluate').parameters.openAiChatModel = 'repomind-test-chat';
		workflow.id = id;
		return workflow as unknown as Record<string, unknown>;
	};
	/** The same evaluation in-process through the core (not stored): what the workflow must have computed. */
	const expectedResults = async (dataset: string): Promise<EvalItemResult[]> => {
		const run = await runEvaluation(
			{ retrieval: { state: index.deps.state, vectors: index.deps.vectors, embedder: embedder() }, generation: { model: chatModel(), contextWindow: 16384, maxTokens: 1024, temperature: 0.1 }, judge: { model: chatModel() } },
			{ dataset: await readDataset(join(FIXTURES, dataset)), repoKey: FIXTURE_REPO_KEY, ref: 'main', retrieval: { mode: 'hybrid', topK: 8 } },
		);
		return run.results;
	};
	/** Latency varies; `retrievedPaths` is the CLI's report of what the core retrieved, not a per-item result the node stores. */
	const withoutLatency = ({ retrievedPaths: _paths, ...result }: EvalItemResult) => ({ ...result, latencyMs: null });

	before(async () => {
		repo = await makeRepository();
		[embeddings, chat, chroma, database] = await Promise.all([startEmbeddingServer({ dimensions: 32, apiKey: EMBED_KEY }), startChatServer({ apiKey: CHAT_KEY }), startChroma(), createTestDatabase()]);
		judge = judgeStandIn();
		chat.reply = judge.reply;
		index = await attachIndexEnv(database, chroma, { embedder: embedder(), chunker: {} });
		await syncLocal(index, repo);
		files = mkdtempSync(join(tmpdir(), 'repomind-eval-files-'));
		for (const name of ['dataset.csv', 'dataset.json']) copyFileSync(join(FIXTURES, name), join(files, name));
		n8n = new N8nInstance({ packageDir: ROOT, env: { N8N_RESTRICT_FILE_ACCESS_TO: files } });
		await n8n.importCredentials([
			...repoMindCredentials({ chromaUrl: chroma.url, mysql: database.config, openAiBaseUrl: `${embeddings.url}/v1`, openAiKey: EMBED_KEY }),
			repoMindChatCredential(`${chat.url}/v1`, CHAT_KEY),
		]);
	});

	after(async () => {
		await n8n?.cleanup();
		await index?.pool.end();
		await Promise.all([embeddings?.close(), chat?.close(), chroma?.stop(), database?.drop()]);
		await repo?.dispose();
		if (files) rmSync(files, { recursive: true, force: true });
	});

	it('CSV dataset: evaluates every question, stores the run, and equals the core computed in-process', async () => {
		judge.malformFor('byte limit', 6);
		const id = await n8n.importWorkflow(workflowFor('evalCsv000000001', 'dataset.csv', 'csv baseline', 0));
		const result = await n8n.execute(id);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const items = nodeOutput(result, 'Evaluate') as unknown as EvalItemResult[];
		assert.deepEqual(items.map((item) => item.id), ['is-windows', 'escape-regex', 'cache-evict', 'watcher-poll', 'no-gold']);
		const [aggregate] = nodeOutput(result, 'Aggregate');
		assert.equal(aggregate.runId, 1);
		assert.equal(aggregate.comparison, null);
		const [summary] = nodeOutput(result, 'Summary');
		assert.match(String(summary.summary), /^Evaluation run 1: 5 items, 4 with gold, k=8, 0 errors, 2 judge failures\n\nmetric +mean +items +skipped\n/);
		const evict = items.find((item) => item.id === 'cache-evict')!;
		assert.deepEqual(evict.judgeFailures.map((failure) => [failure.metric, failure.attempts]).sort(), [['answerRelevance', 3], ['faithfulness', 3]]);
		assert.deepEqual(items.find((item) => item.id === 'no-gold')!.skipped.map((entry) => entry.metric).slice(0, 2), ['fileHitRate', 'fileRecall']);
		assert.ok(chat.requests.every((request) => request.authorization === `Bearer ${CHAT_KEY}`));

		const stored = await new EvalStore(index.pool).loadRun(1);
		assert.deepEqual([stored?.name, stored?.repoKey, stored?.ref], ['csv baseline', FIXTURE_REPO_KEY, 'main']);
		assert.deepEqual(stored!.results.map(withoutLatency), items.map(withoutLatency));
		assert.deepEqual(stored!.summary, aggregate.summary);
		judge.malformFor('byte limit', 6);
		assert.deepEqual(items.map(withoutLatency), (await expectedResults('dataset.csv')).map(withoutLatency));
	});

	it('JSON dataset compared with the CSV run: answers that cite nothing show up as regressions', async () => {
		chat.reply = (request) => judge.reply(request) ?? 'I could not find this in the code.';
		try {
			const id = await n8n.importWorkflow(workflowFor('evalJson00000001', 'dataset.json', 'json, no citations', 1));
			const result = await n8n.execute(id);
			assert.equal(result.status, 'success', JSON.stringify(result.error));
			const [aggregate] = nodeOutput(result, 'Aggregate') as Array<{ runId: number; comparison: { baselineRunId: number; matchedItems: number; worse: unknown[] } }>;
			assert.equal(aggregate.runId, 2);
			assert.equal(aggregate.comparison.baselineRunId, 1);
			assert.equal(aggregate.comparison.matchedItems, 5);
			const baseline = (await new EvalStore(index.pool).loadRun(1))!;
			const current = await expectedResults('dataset.json');
			const expected = compareRuns({ summary: aggregateResults(current), results: current }, { runId: 1, summary: baseline.summary, results: baseline.results });
			assert.deepEqual(aggregate.comparison.worse, expected.worse);
			assert.ok(expected.worse.some((entry) => entry.id === 'is-windows' && entry.metric === 'citationRecall'));
			assert.ok(!expected.worse.some((entry) => /^(file|line)/.test(entry.metric)), 'retrieval did not change');
			const stored = await new EvalStore(index.pool).loadRun(2);
			assert.equal(stored?.baselineRunId, 1);
			const [summary] = nodeOutput(result, 'Summary');
			assert.match(String(summary.summary), /vs run 1/);
			assert.match(String(summary.summary), /\n {2}worse: citation(Precision|Recall) /);
		} finally {
			chat.reply = judge.reply;
		}
	});

	it('comparing with a run that does not exist fails the workflow with a clear error', async () => {
		const id = await n8n.importWorkflow(workflowFor('evalMissing00001', 'dataset.csv', 'missing baseline', 42));
		const result = await n8n.execute(id);
		assert.equal(result.status, 'error');
		assert.match(String(result.error?.message), /There is no evaluation run 42 to compare with/);
	});
});
