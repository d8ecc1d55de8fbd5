import assert from 'node:assert/strict';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { after, before, describe, it } from 'node:test';
import { aggregateResults, EvalStore, finishRun } from '../../lib/evaluate';
import type { EvalItemResult, MetricValues } from '../../lib/evaluate';
import { migrate } from '../../lib/store/migrate';
import { openPool } from '../../lib/store/mysql';
import { MIGRATIONS } from '../../lib/store/schema';
import { createTestDatabase, type TestDatabase } from '../support/mysql-db';

const result = (id: string, metrics: MetricValues, latencyMs: number | null, extra: Partial<EvalItemResult> = {}): EvalItemResult => ({
	id,
	question: `What about ${id}?`,
	k: 5,
	metrics,
	skipped: [],
	verdicts: {},
	judgeFailures: [],
	latencyMs,
	hasGold: true,
	...extra,
});

describe('evaluation runs in MySQL', () => {
	let database: TestDatabase;
	let pool: Pool;
	let store: EvalStore;

	before(async () => {
		database = await createTestDatabase();
		pool = openPool(database.config);
		await migrate(pool, MIGRATIONS.filter((migration) => migration.version <= 2));
		store = new EvalStore(pool);
	});
	after(async () => {
		await pool?.end();
		await database?.drop();
	});

	it('migrating a version-2 database adds the eval tables (migration 3) and reaches the latest version', async () => {
		assert.equal(await migrate(pool), Math.max(...MIGRATIONS.map((migration) => migration.version)));
		const [tables] = await pool.query<RowDataPacket[]>("SHOW TABLES LIKE 'repomind_eval%'");
		assert.deepEqual(tables.map((row) => Object.values(row)[0]).sort(), ['repomind_eval_results', 'repomind_eval_runs']);
	});

	it('stores a run with every result and reads it back unchanged', async () => {
		const results = [
			result('q1', { fileRecall: 1, faithfulness: 0.5 }, 120, { verdicts: { faithfulness: { score: 0.5, reason: 'Half.', claims: [{ claim: 'a', supported: true }, { claim: 'b', supported: false }] } } }),
			result('q2', {}, null, { hasGold: false, skipped: [{ metric: 'fileRecall', reason: 'no gold file paths or spans' }], judgeFailures: [{ metric: 'answerRelevance', error: 'No valid verdict', attempts: 3 }] }),
			result('q3', {}, null, { error: 'Chroma is unreachable' }),
			result('x'.repeat(300), { fileRecall: 0 }, 5),
		];
		const summary = aggregateResults(results);
		const id = await store.saveRun({ name: 'baseline', repoKey: 'local:fixture', ref: 'main', settings: { k: 5 }, summary, results });
		const stored = await store.loadRun(id);
		assert.ok(stored);
		assert.ok(stored.createdAt instanceof Date);
		const { createdAt: _createdAt, ...rest } = stored;
		assert.deepEqual(rest, {
			id,
			name: 'baseline',
			repoKey: 'local:fixture',
			ref: 'main',
			settings: { k: 5 },
			summary,
			baselineRunId: null,
			results: [...results.slice(0, 3), { ...results[3], id: 'x'.repeat(191) }],
		});
		assert.equal(await store.loadRun(id + 1000), null);
	});

	it('finishRun stores a second run compared with the first: deltas and the questions that got worse', async () => {
		const first = await finishRun([result('a', { fileRecall: 1, fileMrr: 1 }, 100), result('b', { fileRecall: 0.5, fileMrr: 0.5 }, 200)], { store, name: 'first' });
		const second = await finishRun([result('a', { fileRecall: 0.5, fileMrr: 1 }, 150), result('b', { fileRecall: 1, fileMrr: 0.5 }, 250)], { store, name: 'second', compareWith: first.runId });
		assert.equal(second.runId, first.runId! + 1);
		assert.deepEqual(second.comparison, {
			baselineRunId: first.runId,
			metrics: [
				{ metric: 'fileRecall', current: 0.75, baseline: 0.75, delta: 0 },
				{ metric: 'fileMrr', current: 0.75, baseline: 0.75, delta: 0 },
			],
			latencyMs: { p50Delta: 50, p95Delta: 50 },
			matchedItems: 2,
			worse: [{ id: 'a', question: 'What about a?', metric: 'fileRecall', baseline: 1, current: 0.5, delta: -0.5 }],
			better: 1,
			onlyInCurrent: [],
			onlyInBaseline: [],
		});
		const [rows] = await pool.query<RowDataPacket[]>('SELECT name, baseline_run_id, item_count FROM repomind_eval_runs WHERE id = ?', [second.runId]);
		assert.deepEqual({ ...rows[0] }, { name: 'second', baseline_run_id: first.runId, item_count: 2 });
	});

	it('comparing with an unknown run fails before anything is stored, naming the latest runs', async () => {
		const [before] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM repomind_eval_runs');
		await assert.rejects(finishRun([result('a', {}, 1)], { store, compareWith: 999 }), (error: Error & { hint?: string }) => {
			assert.equal(error.message, 'There is no evaluation run 999 to compare with');
			assert.match(error.hint ?? '', /^Latest runs: \d+, \d+, \d+$/);
			return true;
		});
		const [afterRows] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM repomind_eval_runs');
		assert.equal(afterRows[0].n, before[0].n);
	});
});
