import { ServiceError } from '../errors';
import type { TreeEntry } from '../types';
import { byPath } from './tree-diff';

/** The fields of a git tree answer (`GET /repos/{owner}/{repo}/git/trees/{sha}`) that are read. */
export interface GitTreeAnswer {
	sha: string;
	truncated: boolean;
	tree: { path: string; mode: string; type: string; sha: string; size?: number }[];
}

export type FetchTree = (treeSha: string, recursive: boolean) => Promise<GitTreeAnswer>;

const SUBTREE_CONCURRENCY = 4;

/**
 * All blobs under a tree. One recursive request usually answers everything; when GitHub truncates
 * it, the tree is listed flat and each subtree is fetched on its own (recursively, and split again
 * if that is truncated too). Submodules (`commit` entries) are skipped; symlinks are kept.
 */
export async function listGitHubTree(fetchTree: FetchTree, rootSha: string): Promise<TreeEntry[]> {
	const entries: TreeEntry[] = [];
	const walk = async (treeSha: string, prefix: string, recursive: boolean): Promise<void> => {
		const answer = await fetchTree(treeSha, recursive);
		if (answer.truncated) {
			if (recursive) return walk(answer.sha, prefix, false);
			const folder = prefix || '/';
			throw new ServiceError(`GitHub truncated the listing of the folder "${folder}".`);
		}
		const subtrees: { sha: string; prefix: string }[] = [];
		for (const item of answer.tree) {
			const path = prefix + item.path;
			if (item.type === 'blob') {
				entries.push({ path, blobSha: item.sha, size: item.size ?? 0, mode: item.mode });
			} else if (item.type === 'tree' && !recursive) {
				subtrees.push({ sha: item.sha, prefix: `${path}/` });
			}
		}
		await mapWithConcurrency(subtrees, SUBTREE_CONCURRENCY, (subtree) =>
			walk(subtree.sha, subtree.prefix, true),
		);
	};
	await walk(rootSha, '', true);
	return entries.sort(byPath);
}

/** Run `task` over `items` with at most `limit` running at once. */
export async function mapWithConcurrency<T, R>(
	items: T[],
	limit: number,
	task: (item: T) => Promise<R>,
): Promise<R[]> {
	const results: R[] = new Array(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const index = next++;
			results[index] = await task(items[index]);
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
	return results;
}
