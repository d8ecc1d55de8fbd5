import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';

/** One question asked of the index, as logged in repomind_queries. */
export interface QueryLogEntry {
	conversationId?: string | null;
	repoKey: string;
	ref: string;
	question: string;
	filters?: Record<string, unknown> | null;
	retrieved: Array<{ chunkId: string; score: number | null }>;
	answer?: string | null;
	citations?: unknown[] | null;
	model?: string | null;
	promptTokens?: number | null;
	completionTokens?: number | null;
	latencyMs?: number | null;
	error?: string | null;
}

/** A logged question read back, with its id and time. */
export interface LoggedQuery extends QueryLogEntry {
	id: number;
	createdAt: Date;
}

/** Characters kept of TEXT columns (64 KB, up to 4 bytes a character) and of VARCHAR(191/255). */
const TEXT_CHARS = 16_000;

/** The query log in MySQL: every question with what was retrieved, the answer and its cost. */
export class QueryLog {
	constructor(private readonly pool: Pool) {}

	/** Insert one entry (parameterised); returns its id. */
	async record(entry: QueryLogEntry): Promise<number> {
		const [result] = await this.pool.execute<ResultSetHeader>(
			`INSERT INTO repomind_queries
				(conversation_id, repo_key, ref, question, filters, retrieved, answer, citations, model,
				prompt_tokens, completion_tokens, latency_ms, error)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			[
				cut(entry.conversationId || null, 191),
				cut(entry.repoKey, 255) ?? '',
				cut(entry.ref, 255) ?? '',
				cut(entry.question, TEXT_CHARS) ?? '',
				entry.filters ? JSON.stringify(entry.filters) : null,
				JSON.stringify(entry.retrieved),
				entry.answer ?? null,
				entry.citations ? JSON.stringify(entry.citations) : null,
				cut(entry.model ?? null, 191),
				count(entry.promptTokens),
				count(entry.completionTokens),
				count(entry.latencyMs),
				cut(entry.error ?? null, TEXT_CHARS),
			],
		);
		return result.insertId;
	}

	/** The entries of a conversation, oldest first. */
	async conversation(conversationId: string): Promise<LoggedQuery[]> {
		const [rows] = await this.pool.execute<RowDataPacket[]>(
			'SELECT * FROM repomind_queries WHERE conversation_id = ? ORDER BY id',
			[conversationId],
		);
		return rows.map(fromRow);
	}
}

function fromRow(row: RowDataPacket): LoggedQuery {
	const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);
	return {
		id: Number(row.id),
		conversationId: row.conversation_id,
		repoKey: row.repo_key,
		ref: row.ref,
		question: row.question,
		filters: json(row.filters),
		retrieved: json(row.retrieved),
		answer: row.answer,
		citations: json(row.citations),
		model: row.model,
		promptTokens: row.prompt_tokens,
		completionTokens: row.completion_tokens,
		latencyMs: row.latency_ms,
		error: row.error,
		createdAt: row.created_at,
	};
}

function cut(value: string | null | undefined, max: number): string | null {
	if (value === null || value === undefined) return null;
	return value.length > max ? value.slice(0, max) : value;
}

function count(value: number | null | undefined): number | null {
	return typeof value === 'number' && Number.isFinite(value)
		? Math.max(0, Math.round(value))
		: null;
}
