import type { FileChange, GitSha } from '../types';

/** The fields of one file of a GitHub comparison (`diff-entry`) that are read. */
export interface ComparedFile {
	filename: string;
	previous_filename?: string;
	status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
	sha: string | null;
}

/**
 * One file of a GitHub comparison as a FileChange, with blob SHAs taken from the two trees (the
 * comparison has no previous blob SHA). `copied` becomes `added`, `changed` (mode or type) becomes
 * `modified`; files missing from the trees (submodules) are skipped.
 */
export function toFileChange(
	file: ComparedFile,
	baseBlobs: Map<string, GitSha>,
	headBlobs: Map<string, GitSha>,
): FileChange | undefined {
	const path = file.filename;
	const blobSha = headBlobs.get(path);
	if (file.status === 'removed') {
		const previousBlobSha = baseBlobs.get(path);
		return previousBlobSha ? { status: 'removed', path, previousBlobSha } : undefined;
	}
	if (!blobSha || file.status === 'unchanged') return undefined;
	const previousPath = file.previous_filename;
	const renamedFrom = previousPath === undefined ? undefined : baseBlobs.get(previousPath);
	if (file.status === 'renamed' && renamedFrom) {
		return { status: 'renamed', path, previousPath, blobSha, previousBlobSha: renamedFrom };
	}
	const previousBlobSha = file.status === 'copied' ? undefined : baseBlobs.get(path);
	if (!previousBlobSha) return { status: 'added', path, blobSha };
	return { status: 'modified', path, blobSha, previousBlobSha };
}
