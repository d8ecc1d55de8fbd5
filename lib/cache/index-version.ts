import type { IndexStateStore } from '../store/index-state';

/** What a ref's index is built from, per embedding model: a cached value is valid for exactly this. */
export interface IndexVersion {
	/** The indexed commit (of the newest index when several embedding models index the ref). */
	commit: string;
	refs: Array<{ embeddingModel: string; commit: string; chunkerVersion: number; filterVersion: number }>;
}

/** Why nothing may be cached for a ref right now, or its index version. */
export type IndexVersionLookup = { version: IndexVersion; reason?: undefined } | { version?: undefined; reason: string };

/**
 * The indexed commit of (repository, ref), read from the index state at query time: of one embedding
 * model's index when `embeddingModel` is given, else of every index of the ref. A ref that was never
 * indexed, or whose index is being rebuilt (a sync is underway or failed), has no version: nothing is
 * served from or stored in the cache for it.
 */
export async function indexVersionOf(state: IndexStateStore, repoKey: string, ref: string, embeddingModel?: string): Promise<IndexVersionLookup> {
	const rows = (await state.listRefs(repoKey)).filter((row) => row.ref === ref && (!embeddingModel || row.embeddingModel === embeddingModel));
	const where = `${repoKey}@${ref}${embeddingModel ? ` (${embeddingModel})` : ''}`;
	if (rows.length === 0) return { reason: `${where} is not indexed` };
	if (rows.some((row) => !row.commitSha || !row.indexedAt)) return { reason: `the index of ${where} is being updated` };
	const newest = [...rows].sort((a, b) => b.indexedAt!.getTime() - a.indexedAt!.getTime())[0];
	const refs = rows
		.map((row) => ({ embeddingModel: row.embeddingModel, commit: row.commitSha!, chunkerVersion: row.chunkerVersion, filterVersion: row.filterVersion }))
		.sort((a, b) => (a.embeddingModel < b.embeddingModel ? -1 : 1));
	return { version: { commit: newest.commitSha!, refs } };
}

/** Whether two versions name the same index content. */
export function sameVersion(a: IndexVersion, b: IndexVersion): boolean {
	return JSON.stringify(a.refs) === JSON.stringify(b.refs);
}
