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
		const conditions = ['ref_id = ?', 'MATCH(search_text) AGAINST(? IN NATURAL LANGUAGE MODE)'];
		const values: unknown[] = [query.against, refId, query.against];
		if (scope.language !== undefined) {
			conditions.push('language = ?');
			values.push(scope.language);
		}
		if (scope.pathHashes !== undefined) {
			if (scope.pathHashes.length === 0) return [];
			conditions.push('path_hash IN (?)');
			values.push(scope.pathHashes);
		}
		values.push(limit);
		const [rows] = await this.pool.query<RowDataPacket[]>(
			`SELECT id, MATCH(search_text) AGAINST(? IN NATURAL LANGUAGE MODE) AS score FROM repomind_chunks
			 WHERE ${conditions.join(' AND ')} ORDER BY score DESC, id LIMIT ?`,
			values,
		);
		return rows.map((row) => ({ id: row.id as ChunkId, score: Number(row.score) }));
	}
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
