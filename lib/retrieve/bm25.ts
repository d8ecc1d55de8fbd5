import type { Pool, RowDataPacket } from 'mysql2/promise';
import { lexicalWords } from './lexical-text';
import type { ScoredId } from './lexical-search';
import { estimatedFrequency, type TermStatistics } from './term-statistics';

/** Okapi BM25 parameters (the usual defaults). */
const K1 = 1.2;
const B = 0.75;

/** Extra weight of a query word found in the chunk's path or in the symbol it defines (1 = no extra). */
export interface FieldWeights {
	path: number;
	symbol: number;
}

export const DEFAULT_FIELD_WEIGHTS: FieldWeights = { path: 1, symbol: 1 };

/** A candidate's stored text: what its BM25 score is computed from. */
export interface LexicalDocument {
	id: string;
	path: string;
	symbol: string | null;
	/** The FULLTEXT column: path, symbol and content words (lexicalDocument). */
	searchText: string;
}

/**
 * BM25 of one document for the query words, with the document frequencies and average length of the
 * ref's own term statistics; words are matched exactly as the FULLTEXT index holds them (binary
 * collation). A word in the path or symbol counts `weight` times instead of once.
 */
export function bm25Score(document: LexicalDocument, words: string[], statistics: TermStatistics, weights: FieldWeights = DEFAULT_FIELD_WEIGHTS): number {
	const tokens = document.searchText.split(' ');
	const counts = new Map<string, number>();
	for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
	const pathWords = new Set(lexicalWords(document.path));
	const symbolWords = new Set(lexicalWords(document.symbol ?? ''));
	const total = Math.max(statistics.total, 1);
	const norm = K1 * (1 - B + (B * tokens.length) / Math.max(statistics.averageLength, 1));
	let score = 0;
	for (const word of words) {
		let tf = counts.get(word) ?? 0;
		if (tf === 0) continue;
		if (pathWords.has(word)) tf += weights.path - 1;
		if (symbolWords.has(word)) tf += weights.symbol - 1;
		const df = Math.min(total, Math.max(1, estimatedFrequency(statistics, word)));
		const idf = Math.log(1 + (total - df + 0.5) / (df + 0.5));
		score += (idf * tf * (K1 + 1)) / (tf + norm);
	}
	return score;
}

/**
 * Re-ranks full-text candidates by BM25 over our own term statistics instead of InnoDB's relevance,
 * whose document counts move while InnoDB merges its full-text cache in the background (a query's
 * order could change within a minute of indexing). Ties go to the smaller id.
 */
export async function rescoreBm25(pool: Pool, refId: number, candidates: ScoredId[], words: string[], statistics: TermStatistics, weights?: FieldWeights): Promise<ScoredId[]> {
	if (candidates.length === 0) return [];
	const [rows] = await pool.query<RowDataPacket[]>('SELECT id, path, symbol, search_text FROM repomind_chunks WHERE ref_id = ? AND id IN (?)', [
		refId,
		candidates.map(({ id }) => id),
	]);
	return rows
		.map((row) => ({
			id: row.id as string,
			score: bm25Score({ id: row.id as string, path: row.path as string, symbol: row.symbol as string | null, searchText: row.search_text as string }, words, statistics, weights),
		}))
		.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
