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
 * Removes every index of a ref (all embedding models), holding the ref's lock: marks it not current,
 * forgets its files and chunks in MySQL, deletes its records from Chroma (`where { ref }`), then the
 * ref row itself. A failure part-way never leaves MySQL claiming chunks Chroma lacks, and the ref
 * stays marked not current, so the next delete finishes the job and the next sync reconciles.
 */
export async function deleteRefIndex(state: IndexStateStore, vectors: ChromaVectorStore, repoKey: RepoKey, ref: string): Promise<DeletedRefIndex[]> {
	const refs = (await state.listRefs(repoKey)).filter((row) => row.ref === ref);
	const deleted: DeletedRefIndex[] = [];
	for (const row of refs) {
		await state.withRefLock(row.id, async () => {
			await state.markDirty(row.id);
			const chunks = (await state.removeFiles(row.id, [...(await state.loadFiles(row.id)).keys()])).length;
			if (await vectors.findCollection(row.collection)) await vectors.deleteWhere(row.collection, { ref });
			await state.deleteRef(row.id);
			deleted.push({ repoKey, ref, embeddingModel: row.embeddingModel, collection: row.collection, chunks });
		});
	}
	return deleted;
}
