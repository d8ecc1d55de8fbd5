import { isDeepStrictEqual } from 'node:util';
import type { IndexSnapshot } from '../test/support/index-env';

type ChunkRow = Record<string, unknown>;

export interface SnapshotComparison {
	/** What differs (empty when the repaired index equals the fresh one). */
	mismatches: string[];
	/** Vectors that differ, all of content found at more than one path. */
	sharedContentVectors: number;
}

/**
 * Compares a repaired index with a fresh index of the same commit: Chroma ids, MySQL chunk and file
 * rows, Chroma content and metadata must be equal. Vectors may differ only for content found at
 * another path too (in the base or the new commit): the cache keeps the vector first computed for a
 * content hash, whose header named the other path, as test/support/sync-assert.ts documents.
 */
export function compareSnapshots(
	repaired: IndexSnapshot,
	fresh: IndexSnapshot,
	baseChunks: ChunkRow[],
): SnapshotComparison {
	const mismatches: string[] = [];
	if (!isDeepStrictEqual(repaired.chromaIds, repaired.mysqlChunkIds)) {
		mismatches.push('Chroma ids differ from MySQL chunk ids');
	}
	for (const part of ['chromaIds', 'mysqlChunkIds', 'mysqlChunks', 'mysqlFiles'] as const) {
		if (isDeepStrictEqual(repaired[part], fresh[part])) continue;
		mismatches.push(`${part} differ from a fresh index`);
	}
	type ChromaRecord = IndexSnapshot['chromaRecords'][number];
	const withoutVector = ({ vector: _vector, ...rest }: ChromaRecord) => rest;
	const records = (snapshot: IndexSnapshot) => snapshot.chromaRecords.map(withoutVector);
	if (!isDeepStrictEqual(records(repaired), records(fresh))) {
		mismatches.push('Chroma content or metadata differ from a fresh index');
	}
	const shared = sharedContentIds(fresh.mysqlChunks, baseChunks);
	let sharedContentVectors = 0;
	let otherVectors = 0;
	repaired.chromaRecords.forEach((record, i) => {
		if (isDeepStrictEqual(record.vector, fresh.chromaRecords[i]?.vector)) return;
		if (shared.has(record.id)) sharedContentVectors += 1;
		else otherVectors += 1;
	});
	if (otherVectors > 0) {
		mismatches.push(`${otherVectors} vectors of content at one path only differ from a fresh index`);
	}
	return { mismatches, sharedContentVectors };
}

/** Ids of the chunks whose content hash occurs at more than one path of either commit. */
function sharedContentIds(chunks: ChunkRow[], baseChunks: ChunkRow[]): Set<string> {
	const paths = new Map<string, Set<string>>();
	for (const chunk of [...chunks, ...baseChunks]) {
		const hash = String(chunk.content_hash);
		paths.set(hash, (paths.get(hash) ?? new Set<string>()).add(String(chunk.path)));
	}
	const ids = chunks.filter((chunk) => paths.get(String(chunk.content_hash))!.size > 1);
	return new Set(ids.map((chunk) => String(chunk.id)));
}
