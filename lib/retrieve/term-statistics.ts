import type { Pool, RowDataPacket } from 'mysql2/promise';
import type { IndexedRef } from '../store/index-state';

/** Document frequencies of a ref's words, estimated from a sample of its chunks. */
export interface TermStatistics {
	/** Chunks of the ref. */
	total: number;
	sampled: number;
	/** Sampled chunks containing each word. */
	sampleFrequency: Map<string, number>;
	/** Average number of words in a sampled chunk's full-text column. */
	averageLength: number;
}

const SAMPLE_SIZE = 2000;
const CACHED_REFS = 32;
const cache = new WeakMap<Pool, Map<string, Promise<TermStatistics>>>();

/**
 * Term statistics of the ref's current index, read once per (ref, commit, chunk count) and cached per
 * pool. The sample is the chunks with the smallest ids: ids are hashes, so it is a uniform sample.
 */
export function termStatistics(pool: Pool, ref: IndexedRef): Promise<TermStatistics> {
	const byRef = cache.get(pool) ?? cache.set(pool, new Map()).get(pool)!;
	const key = `${ref.id}:${ref.commitSha}:${ref.chunkCount}`;
	let statistics = byRef.get(key);
	if (!statistics) {
		statistics = readStatistics(pool, ref);
		statistics.catch(() => byRef.delete(key));
		byRef.set(key, statistics);
		if (byRef.size > CACHED_REFS) byRef.delete(byRef.keys().next().value!);
	}
	return statistics;
}

/** Estimated number of the ref's chunks containing the word. */
export function estimatedFrequency(statistics: TermStatistics, word: string): number {
	if (statistics.sampled === 0) return 0;
	return ((statistics.sampleFrequency.get(word) ?? 0) / statistics.sampled) * statistics.total;
}

async function readStatistics(pool: Pool, ref: IndexedRef): Promise<TermStatistics> {
	const [rows] = await pool.query<RowDataPacket[]>(
		'SELECT search_text FROM repomind_chunks WHERE ref_id = ? ORDER BY id LIMIT ?',
		[ref.id, SAMPLE_SIZE],
	);
	const sampleFrequency = new Map<string, number>();
	let words = 0;
	for (const row of rows) {
		const tokens = (row.search_text as string).split(' ');
		words += tokens.length;
		for (const word of new Set(tokens)) sampleFrequency.set(word, (sampleFrequency.get(word) ?? 0) + 1);
	}
	return { total: Math.max(ref.chunkCount, rows.length), sampled: rows.length, sampleFrequency, averageLength: words / Math.max(rows.length, 1) };
}
