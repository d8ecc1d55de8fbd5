import { InvalidInputError } from '../errors';
import { detectLanguage } from '../language';
import type { ChangeStatus, GitSha, RepoSource, SkipReason, TreeEntry } from '../types';
import type { FileGate } from '../sync/ports';

/** One file of a repository as the Repo Fetch node outputs it. */
export interface RepoFile {
	repo: string;
	ref: string;
	commit: GitSha;
	path: string;
	previousPath?: string;
	blobSha: GitSha | null;
	language: string;
	size: number | null;
	status: ChangeStatus;
	/** UTF-8 text, for files that need it (not removed, not skipped, when content was asked for). */
	content?: string;
	skipReason?: SkipReason;
	skipDetail?: string;
}

export interface FetchOptions {
	/** Download and attach content. Default true. */
	withContent?: boolean;
	/** Also return files the filter skipped, with their reason. Default false. */
	includeSkipped?: boolean;
	/** Blobs downloaded at once. Default 8. */
	concurrency?: number;
}

/** Every file of the ref's tree (status `unchanged`: a snapshot compares with nothing). */
export async function fetchSnapshot(source: RepoSource, ref: string, filter: FileGate, options: FetchOptions = {}): Promise<RepoFile[]> {
	const commit = await source.resolveRef(ref);
	const tree = await source.listTree(commit);
	return describeEntries(source, { ref, commit }, tree.map((entry) => ({ entry, status: 'unchanged' as const })), filter, options);
}

/** Files changed between two commits (added, modified, removed, renamed). */
export async function fetchChanges(source: RepoSource, base: string, head: string, filter: FileGate, options: FetchOptions = {}): Promise<RepoFile[]> {
	const [baseCommit, headCommit] = await Promise.all([source.resolveRef(base), source.resolveRef(head)]);
	const changes = await source.compare(baseCommit, headCommit);
	const removed: RepoFile[] = [];
	const present: Array<{ entry: TreeEntry; status: ChangeStatus; previousPath?: string }> = [];
	const sizes = await sizesOf(source, headCommit, changes.filter((change) => change.status !== 'removed').map((change) => change.path));
	for (const change of changes) {
		if (change.status === 'removed') {
			removed.push({ repo: source.repoKey, ref: head, commit: headCommit, path: change.path, blobSha: null, language: detectLanguage(change.path), size: null, status: 'removed' });
			continue;
		}
		const entry = sizes.get(change.path);
		if (entry) present.push({ entry, status: change.status, previousPath: change.previousPath });
	}
	const described = await describeEntries(source, { ref: head, commit: headCommit }, present, filter, options);
	return [...described, ...removed].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** One file at a ref. */
export async function fetchFile(source: RepoSource, ref: string, path: string, filter: FileGate, options: FetchOptions = {}): Promise<RepoFile> {
	const commit = await source.resolveRef(ref);
	const entry = (await source.listTree(commit)).find((candidate) => candidate.path === path.replace(/^\/+/, ''));
	if (!entry) throw new InvalidInputError(`No file ${path} at ${ref} (${commit.slice(0, 7)}) in ${source.repoKey}`, 'Check the path: it is relative to the repository root and case-sensitive');
	const [file] = await describeEntries(source, { ref, commit }, [{ entry, status: 'unchanged' }], filter, { ...options, includeSkipped: true });
	return file;
}

async function sizesOf(source: RepoSource, commit: GitSha, paths: string[]): Promise<Map<string, TreeEntry>> {
	if (paths.length === 0) return new Map();
	const wanted = new Set(paths);
	const tree = await source.listTree(commit);
	return new Map(tree.filter((entry) => wanted.has(entry.path)).map((entry) => [entry.path, entry]));
}

async function describeEntries(
	source: RepoSource,
	at: { ref: string; commit: GitSha },
	entries: Array<{ entry: TreeEntry; status: ChangeStatus; previousPath?: string }>,
	filter: FileGate,
	options: FetchOptions,
): Promise<RepoFile[]> {
	const results: Array<RepoFile | null> = new Array(entries.length).fill(null);
	let next = 0;
	const worker = async () => {
		while (next < entries.length) {
			const index = next++;
			const { entry, status, previousPath } = entries[index];
			const file: RepoFile = { repo: source.repoKey, ref: at.ref, commit: at.commit, path: entry.path, blobSha: entry.blobSha, language: detectLanguage(entry.path), size: entry.size, status };
			if (previousPath) file.previousPath = previousPath;
			const skip = filter.checkEntry(entry);
			if (skip) {
				if (options.includeSkipped) results[index] = { ...file, skipReason: skip.reason, skipDetail: skip.detail };
				continue;
			}
			if (options.withContent === false) {
				results[index] = file;
				continue;
			}
			const checked = filter.checkContent(entry.path, await source.readBlob(entry.blobSha, entry.path));
			if ('reason' in checked) {
				if (options.includeSkipped) results[index] = { ...file, skipReason: checked.reason, skipDetail: checked.detail };
				continue;
			}
			results[index] = { ...file, content: checked.text };
		}
	};
	await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, entries.length) }, worker));
	return results.filter((file): file is RepoFile => file !== null);
}
