import { RefNotFoundError } from '../errors';
import type { IndexStateStore } from '../store/index-state';
import { assertLeaseHeld } from '../store/ref-lock';
import type { RepoKey, RepoSource } from '../types';
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

export interface DeleteRefOptions {
	/**
	 * The repository, asked under each index's lock whether the ref still exists: a live ref (e.g. a
	 * branch created again after an old "deleted" event was redelivered) keeps its index.
	 */
	source?: Pick<RepoSource, 'resolveRef'>;
}

export interface DeleteRefResult {
	deleted: DeletedRefIndex[];
	/** Set when the source still has the ref, so nothing was deleted. */
	keptBecause: string | null;
}

/**
 * Removes every index of a ref (all embedding models), holding the ref's lock: marks it not current,
 * forgets its files and chunks in MySQL, deletes its records from Chroma (`where { ref }`), then the
 * ref row itself. A failure part-way never leaves MySQL claiming chunks Chroma lacks, and the ref
 * stays marked not current, so the next delete finishes the job and the next sync reconciles.
 */
export async function deleteRefIndex(state: IndexStateStore, vectors: ChromaVectorStore, repoKey: RepoKey, ref: string, options: DeleteRefOptions = {}): Promise<DeleteRefResult> {
	const refs = (await state.listRefs(repoKey)).filter((row) => row.ref === ref);
	const result: DeleteRefResult = { deleted: [], keptBecause: null };
	for (const row of refs) {
		await state.withRefLock({ repoKey, ref, embeddingModel: row.embeddingModel }, async () => {
			const current = await state.findRef(repoKey, ref, row.embeddingModel);
			if (!current) return; // deleted meanwhile
			const live = options.source ? await liveCommit(options.source, ref) : null;
			if (live) {
				result.keptBecause = `${ref} still exists in the repository (at ${live.slice(0, 12)}), so its index is kept`;
				return;
			}
			await state.markDirty(current.id);
			const chunks = (await state.removeFiles(current.id, [...(await state.loadFiles(current.id)).keys()])).length;
			await assertLeaseHeld();
			if (await vectors.findCollection(current.collection)) await vectors.deleteWhere(current.collection, { ref });
			await state.deleteRef(current.id);
			result.deleted.push({ repoKey, ref, embeddingModel: current.embeddingModel, collection: current.collection, chunks });
		});
		if (result.keptBecause) break;
	}
	return result;
}

/** The ref's commit, or null when the source says the ref does not exist; other failures are thrown. */
async function liveCommit(source: Pick<RepoSource, 'resolveRef'>, ref: string): Promise<string | null> {
	try {
		return await source.resolveRef(ref);
	} catch (error) {
		if (error instanceof RefNotFoundError) return null;
		throw error;
	}
}
