import type { IndexedRef } from '../store/index-state';
import { assertLeaseHeld } from '../store/ref-lock';
import type { SyncDependencies } from './sync';

export interface ReconcileResult {
	/** Ids Chroma held for the ref that MySQL does not claim (left by a run that died). */
	deletedFromChroma: number;
	/** Files MySQL claims whose chunks Chroma lacks: they are indexed again. */
	pathsMissingInChroma: string[];
}

/** Makes Chroma agree with MySQL for one ref after a run that did not finish. */
export async function reconcile(deps: SyncDependencies, ref: IndexedRef): Promise<ReconcileResult> {
	const claimed = new Set(await deps.state.allChunkIds(ref.id));
	const held = await deps.vectors.listIds(ref.collection, { ref: ref.ref });
	const heldSet = new Set(held);
	const orphans = held.filter((id) => !claimed.has(id));
	await assertLeaseHeld();
	await deps.vectors.deleteIds(ref.collection, orphans);
	const missing = [...claimed].filter((id) => !heldSet.has(id));
	const chunks = await deps.state.chunksByIds(ref.id, missing);
	return { deletedFromChroma: orphans.length, pathsMissingInChroma: [...new Set(chunks.map((chunk) => chunk.path))] };
}
