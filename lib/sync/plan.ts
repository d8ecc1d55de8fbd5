import { COLUMN_CHARS, pathFits } from '../store/columns';
import type { StoredFile } from '../store/index-state';
import type { SkippedFile, TreeEntry } from '../types';
import type { FileGate } from './ports';

/** What a sync has to do, decided from the tree and the stored state without reading any blob. */
export interface SyncPlan {
	/** Files that are new or whose blob changed (or every file, after a chunker change). */
	process: TreeEntry[];
	/** Stored paths that are gone from the tree or now excluded. */
	remove: string[];
	/** Files excluded by path, size or mode, and unchanged files the content filter skipped, with the reason. */
	skipped: SkippedFile[];
	/** Indexed (not skipped) files whose stored blob is the one in the tree, and their chunks. */
	kept: { files: number; chunks: number };
	/** Files in the tree. */
	seen: number;
}

/** Compares the tree with the stored files of the ref. */
export function planSync(tree: TreeEntry[], stored: Map<string, StoredFile>, filter: FileGate, storedIsCurrent: boolean): SyncPlan {
	const plan: SyncPlan = { process: [], remove: [], skipped: [], kept: { files: 0, chunks: 0 }, seen: tree.length };
	const wanted = new Set<string>();
	for (const entry of tree) {
		const skip = pathFits(entry.path) ? filter.checkEntry(entry) : { path: entry.path, reason: 'path-too-long' as const, detail: `longer than ${COLUMN_CHARS.path} characters` };
		if (skip) {
			plan.skipped.push(skip);
			continue;
		}
		wanted.add(entry.path);
		const previous = stored.get(entry.path);
		if (storedIsCurrent && previous?.blobSha === entry.blobSha) {
			if (previous.skipReason !== null) plan.skipped.push(storedSkip(previous));
			else {
				plan.kept.files += 1;
				plan.kept.chunks += previous.chunkCount;
			}
		} else plan.process.push(entry);
	}
	for (const path of stored.keys()) if (!wanted.has(path)) plan.remove.push(path);
	plan.process.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
	plan.remove.sort();
	return plan;
}

/** The skip verdict stored for a file, as the run that made it reported it. */
export function storedSkip(file: StoredFile): SkippedFile {
	const skip: SkippedFile = { path: file.path, reason: file.skipReason! };
	if (file.skipDetail !== null) skip.detail = file.skipDetail;
	return skip;
}
