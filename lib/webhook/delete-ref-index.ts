import type { IndexStateStore } from '../store/index-state';
import type { RepoKey } from '../types';
import type { ChromaVectorStore } from '../vector/chroma';

/** One index removed: a (repository, ref, embedding model). */
export interface DeletedRefIndex {
	repoKey: RepoKey;
	ref: string;
	embeddingModel: string;
	collection: string;
	/** Chunks MySQL held for it. */
	chunks: number;
}

/**
 * Removes every index of a ref (all embedding models): first marks it not current, then deletes its
 * chunks from Chroma (`where { ref }`), then its MySQL rows (files, chunks, runs, the ref itself),
 * holding the ref's lock so no sync of it runs meanwhile. A failure part-way leaves a ref that
 * claims nothing (no indexed_at), which the next sync repairs or the next delete finishes.
 */
export async function deleteRefIndex(state: IndexStateStore, vectors: ChromaVectorStore, repoKey: RepoKey, ref: string): Promise<DeletedRefIndex[]> {
	const refs = (await state.listRefs(repoKey)).filter((row) => row.ref === ref);
	const deleted: DeletedRefIndex[] = [];
	for (const row of refs) {
		await state.withRefLock(row.id, async () => {
			await state.markDirty(row.id);
			const chunks = (await state.allChunkIds(row.id)).length;
			if (await vectors.findCollection(row.collection)) await vectors.deleteWhere(row.collection, { ref });
			await state.deleteRef(row.id);
			deleted.push({ repoKey, ref, embeddingModel: row.embeddingModel, collection: row.collection, chunks });
		});
	}
	return deleted;
}
