import type { Pool, RowDataPacket } from 'mysql2/promise';
import type { ChunkId } from '../types';
import { DEFAULT_TOKEN_RULES, INNODB_DEFAULT_STOPWORDS, type LexicalQuery, type TokenRules } from './lexical-query';

/** Restrictions of a lexical search besides the ref. */
export interface LexicalScope {
	language?: string;
	/** SHA-1 path hashes (see pathHash) of the only files allowed. */
	pathHashes?: Buffer[];
}

export interface ScoredId {
	id: ChunkId;
	score: number;
}

const rulesByPool = new WeakMap<Pool, Promise<TokenRules>>();

/** Full-text search over repomind_chunks.search_text (InnoDB FULLTEXT, natural-language mode). */
export class LexicalSearch {
	constructor(readonly pool: Pool) {}

	/** The server's token rules, read once per pool (defaults when the variables cannot be read). */
	tokenRules(): Promise<TokenRules> {
		let rules = rulesByPool.get(this.pool);
		if (!rules) {
			rules = readTokenRules(this.pool);
			rulesByPool.set(this.pool, rules);
		}
		return rules;
	}

	/** Chunks of the ref matching the query, best first (relevance ties broken by id). */
	async search(refId: number, query: LexicalQuery, limit: number, scope: LexicalScope = {}): Promise<ScoredId[]> {
		const where = scopeConditions(refId, scope);
		if (!where) return [];
		const [rows] = await this.pool.query<RowDataPacket[]>(
			`SELECT id, MATCH(search_text) AGAINST(? IN NATURAL LANGUAGE MODE) AS score FROM repomind_chunks
			 WHERE ${where.sql} AND MATCH(search_text) AGAINST(? IN NATURAL LANGUAGE MODE) ORDER BY score DESC, id LIMIT ?`,
			[query.against, ...where.values, query.against, limit],
		);
		return rows.map((row) => ({ id: row.id as ChunkId, score: Number(row.score) }));
	}

	/**
	 * Up to `limit` chunks of the ref that define one of the names: the chunk's symbol is the name or ends
	 * with `.name` (case-sensitive); the full-text index finds the chunks holding the word first.
	 */
	async chunksDefining(refId: number, names: string[], limit: number, scope: LexicalScope = {}): Promise<Array<{ id: ChunkId; path: string; symbol: string; startLine: number }>> {
		const words = names.map((name) => name.replace(/\$/g, '')).filter((word) => /^\w+$/.test(word));
		const where = scopeConditions(refId, scope);
		if (words.length === 0 || !where) return [];
		const [rows] = await this.pool.query<RowDataPacket[]>(
			`SELECT id, path, symbol, start_line FROM repomind_chunks WHERE ${where.sql} AND MATCH(search_text) AGAINST(? IN BOOLEAN MODE)
			 AND SUBSTRING_INDEX(symbol, '.', -1) IN (?) ORDER BY path, start_line, id LIMIT ?`,
			[...where.values, words.join(' '), words, limit],
		);
		return rows.map((row) => ({ id: row.id as ChunkId, path: row.path as string, symbol: row.symbol as string, startLine: row.start_line as number }));
	}
}

/** WHERE conditions for the ref and scope; null when the scope allows no file. */
function scopeConditions(refId: number, scope: LexicalScope): { sql: string; values: unknown[] } | null {
	const conditions = ['ref_id = ?'];
	const values: unknown[] = [refId];
	if (scope.language !== undefined) {
		conditions.push('language = ?');
		values.push(scope.language);
	}
	if (scope.pathHashes !== undefined) {
		if (scope.pathHashes.length === 0) return null;
		conditions.push('path_hash IN (?)');
		values.push(scope.pathHashes);
	}
	return { sql: conditions.join(' AND '), values };
}

async function readTokenRules(pool: Pool): Promise<TokenRules> {
	try {
		const [rows] = await pool.query<RowDataPacket[]>(
			'SELECT @@innodb_ft_min_token_size AS min, @@innodb_ft_max_token_size AS max, @@innodb_ft_enable_stopword AS stop',
		);
		const row = rows[0];
		const stopwords = Number(row.stop) === 1 ? INNODB_DEFAULT_STOPWORDS : new Set<string>();
		return { minTokenSize: Number(row.min), maxTokenSize: Number(row.max), stopwords };
	} catch {
		return DEFAULT_TOKEN_RULES;
	}
}
