import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { InvalidInputError } from '../errors';
import { withTransaction } from '../store/mysql';
import type { EvalSummary } from './aggregate';
import { itemKey } from './compare';
import type { EvalItemResult } from './types';

/** A run to store: its numbers, every item result, and what it was run with. */
export interface EvalRunRecord {
	name?: string | null;
	repoKey?: string | null;
	ref?: string | null;
	/** What the run used (models, k, mode, dataset): free-form, shown when comparing. */
	settings?: Record<string, unknown> | null;
	summary: EvalSummary;
	results: EvalItemResult[];
	baselineRunId?: number | null;
}

/** A stored run read back. */
export interface StoredEvalRun extends EvalRunRecord {
	id: number;
	createdAt: Date;
}

const ROWS_PER_INSERT = 200;

/** Evaluation runs and their per-question results in MySQL (repomind_eval_runs, repomind_eval_results). */
export class EvalStore {
	constructor(private readonly pool: Pool) {}

	/** Store a run and all its results in one transaction; returns the run id. */
	async saveRun(run: EvalRunRecord): Promise<number> {
		return withTransaction(this.pool, async (connection) => {
			const [inserted] = await connection.execute<ResultSetHeader>(
				`INSERT INTO repomind_eval_runs (name, repo_key, ref, settings, summary, item_count, baseline_run_id)
				VALUES (?, ?, ?, ?, ?, ?, ?)`,
				[cut(run.name, 191), cut(run.repoKey, 255), cut(run.ref, 255), run.settings ? JSON.stringify(run.settings) : null, JSON.stringify(run.summary), run.results.length, run.baselineRunId ?? null],
			);
			await insertResults(connection, inserted.insertId, run.results);
			return inserted.insertId;
		});
	}

	/** A run with its results in item order, or null when there is no such run. */
	async loadRun(id: number): Promise<StoredEvalRun | null> {
		const [runs] = await this.pool.execute<RowDataPacket[]>('SELECT * FROM repomind_eval_runs WHERE id = ?', [id]);
		if (runs.length === 0) return null;
		const [rows] = await this.pool.execute<RowDataPacket[]>('SELECT * FROM repomind_eval_results WHERE run_id = ? ORDER BY item_index', [id]);
		const run = runs[0];
		return {
			id: Number(run.id),
			name: run.name,
			repoKey: run.repo_key,
			ref: run.ref,
			settings: json(run.settings),
			summary: json(run.summary),
			baselineRunId: run.baseline_run_id === null ? null : Number(run.baseline_run_id),
			createdAt: run.created_at,
			results: rows.map(resultOf),
		};
	}

	/** Like loadRun, but an unknown id is an InvalidInputError that names the latest runs. */
	async requireRun(id: number): Promise<StoredEvalRun> {
		const run = await this.loadRun(id);
		if (run) return run;
		const [latest] = await this.pool.query<RowDataPacket[]>('SELECT id FROM repomind_eval_runs ORDER BY id DESC LIMIT 5');
		const known = latest.map((row) => row.id).join(', ');
		throw new InvalidInputError(`There is no evaluation run ${id} to compare with`, known ? `Latest runs: ${known}` : 'No run is stored yet: store one first');
	}
}

async function insertResults(connection: PoolConnection, runId: number, results: EvalItemResult[]): Promise<void> {
	for (let start = 0; start < results.length; start += ROWS_PER_INSERT) {
		const rows = results.slice(start, start + ROWS_PER_INSERT).map((result, offset) => [
			runId,
			start + offset,
			itemKey(result.id),
			cut(result.question, 16_000),
			JSON.stringify(result.metrics),
			JSON.stringify(result.skipped),
			JSON.stringify(result.verdicts),
			JSON.stringify(result.judgeFailures),
			result.k,
			result.hasGold ? 1 : 0,
			result.latencyMs === null ? null : Math.max(0, Math.round(result.latencyMs)),
			cut(result.error, 16_000),
		]);
		await connection.query(
			`INSERT INTO repomind_eval_results
				(run_id, item_index, item_key, question, metrics, skipped, verdicts, judge_failures, k, has_gold, latency_ms, error)
			VALUES ?`,
			[rows],
		);
	}
}

function resultOf(row: RowDataPacket): EvalItemResult {
	const result: EvalItemResult = {
		id: row.item_key,
		question: row.question,
		k: Number(row.k),
		metrics: json(row.metrics),
		skipped: json(row.skipped),
		verdicts: json(row.verdicts),
		judgeFailures: json(row.judge_failures),
		latencyMs: row.latency_ms === null ? null : Number(row.latency_ms),
		hasGold: Boolean(row.has_gold),
	};
	if (row.error) result.error = row.error;
	return result;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function json(value: unknown): any {
	return typeof value === 'string' ? JSON.parse(value) : value;
}

function cut(value: string | null | undefined, max: number): string | null {
	if (value === null || value === undefined) return null;
	return value.length > max ? value.slice(0, max) : value;
}
