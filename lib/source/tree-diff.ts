import type { FileChange, TreeEntry } from '../types';

/** Order by path (code-unit order), so every source lists trees and changes the same way. */
export function byPath<T extends { path: string }>(a: T, b: T): number {
	return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/**
 * Changes between two full trees. A removed and an added file with the same blob SHA become one
 * rename; renames with edits cannot be seen this way and stay a removal plus an addition.
 */
export function diffTrees(base: TreeEntry[], head: TreeEntry[]): FileChange[] {
	const baseByPath = new Map(base.map((entry) => [entry.path, entry]));
	const headByPath = new Map(head.map((entry) => [entry.path, entry]));
	const changes: FileChange[] = [];
	const removedByBlob = new Map<string, TreeEntry[]>();
	for (const entry of base) {
		if (headByPath.has(entry.path)) continue;
		const sameBlob = removedByBlob.get(entry.blobSha) ?? [];
		sameBlob.push(entry);
		removedByBlob.set(entry.blobSha, sameBlob);
	}
	for (const entry of [...head].sort(byPath)) {
		const previous = baseByPath.get(entry.path);
		if (previous) {
			if (previous.blobSha !== entry.blobSha || previous.mode !== entry.mode) {
				changes.push(modified(entry, previous));
			}
			continue;
		}
		const renamedFrom = removedByBlob.get(entry.blobSha)?.shift();
		if (renamedFrom) {
			changes.push({
				status: 'renamed',
				path: entry.path,
				previousPath: renamedFrom.path,
				blobSha: entry.blobSha,
				previousBlobSha: renamedFrom.blobSha,
			});
		} else {
			changes.push({ status: 'added', path: entry.path, blobSha: entry.blobSha });
		}
	}
	for (const entries of removedByBlob.values()) {
		for (const entry of entries) {
			changes.push({ status: 'removed', path: entry.path, previousBlobSha: entry.blobSha });
		}
	}
	return changes.sort(byPath);
}

function modified(entry: TreeEntry, previous: TreeEntry): FileChange {
	return {
		status: 'modified',
		path: entry.path,
		blobSha: entry.blobSha,
		previousBlobSha: previous.blobSha,
	};
}
