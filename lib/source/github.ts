import { RefNotFoundError } from '../errors';
import type { CommitFiles } from '../retrieve/related-files';
import type { FilePatch } from '../review/diff';
import type { FileChange, GitSha, RepoSource, TreeEntry } from '../types';
import {
	type GitHubClient,
	type GitHubClientOptions,
	createGitHubClient,
	GITHUB_API_URL,
	githubRequestError,
} from './github-client';
import { toFileChange } from './github-compare';
import { listGitHubTree } from './github-tree';
import { byPath, diffTrees } from './tree-diff';

export interface GitHubSourceOptions extends GitHubClientOptions {
	owner: string;
	repo: string;
	/** GitHub lists at most this many files in a comparison; at or above it the trees are diffed. */
	compareFileLimit?: number;
}

const TREE_CACHE_SIZE = 4;

/** A GitHub (or GitHub Enterprise) repository read through the REST API. */
export class GitHubSource implements RepoSource {
	readonly repoKey: string;
	private readonly client: GitHubClient;
	private readonly repository: { owner: string; repo: string };
	private readonly name: string;
	private readonly baseUrl: string;
	private readonly compareFileLimit: number;
	private readonly trees = new Map<GitSha, Promise<TreeEntry[]>>();

	constructor(options: GitHubSourceOptions) {
		this.repository = { owner: options.owner, repo: options.repo };
		this.name = `${options.owner}/${options.repo}`;
		this.repoKey = `github:${this.name.toLowerCase()}`;
		this.baseUrl = options.baseUrl ?? GITHUB_API_URL;
		this.compareFileLimit = options.compareFileLimit ?? 300;
		this.client = createGitHubClient(options);
	}

	/** Resolve a branch, tag or commit SHA to a commit SHA. */
	async resolveRef(ref: string): Promise<GitSha> {
		try {
			const response = await this.client.request('GET /repos/{owner}/{repo}/commits/{ref}', {
				...this.repository,
				ref,
				mediaType: { format: 'sha' },
			});
			return String(response.data).trim();
		} catch (error) {
			throw await this.notFoundAs(error, `Branch, tag or commit "${ref}"`);
		}
	}

	/** Every blob of the commit's tree (submodules skipped, symlinks kept), sorted by path. */
	listTree(commit: GitSha): Promise<TreeEntry[]> {
		const cached = this.trees.get(commit);
		if (cached) return cached;
		const fetchTree = (treeSha: string, recursive: boolean) => this.fetchTree(treeSha, recursive);
		const listing = listGitHubTree(fetchTree, commit);
		this.trees.set(commit, listing);
		listing.catch(() => this.trees.delete(commit));
		if (this.trees.size > TREE_CACHE_SIZE) this.trees.delete(this.trees.keys().next().value!);
		return listing;
	}

	/** The bytes of a blob, from the git blobs API. */
	async readBlob(blobSha: GitSha, path: string): Promise<Buffer> {
		try {
			const request = { ...this.repository, file_sha: blobSha };
			const { data } = await this.client.rest.git.getBlob(request);
			return Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8');
		} catch (error) {
			throw await this.notFoundAs(error, `Blob ${blobSha} (${path})`);
		}
	}

	/**
	 * Files changed from `base` to `head`: GitHub's comparison when it describes exactly this diff
	 * (base is an ancestor of head and the file list is complete), otherwise a diff of the two trees.
	 */
	async compare(base: GitSha, head: GitSha): Promise<FileChange[]> {
		const [baseTree, headTree, comparison] = await Promise.all([
			this.listTree(base),
			this.listTree(head),
			this.fetchComparison(base, head),
		]);
		const files = comparison?.files;
		const status = comparison?.status;
		const describesDirectDiff = status === 'ahead' || status === 'identical';
		if (!files || !describesDirectDiff || files.length >= this.compareFileLimit) {
			return diffTrees(baseTree, headTree);
		}
		const baseBlobs = new Map(baseTree.map((entry) => [entry.path, entry.blobSha]));
		const headBlobs = new Map(headTree.map((entry) => [entry.path, entry.blobSha]));
		const changes: FileChange[] = [];
		for (const file of files) {
			const change = toFileChange(file, baseBlobs, headBlobs);
			if (change) changes.push(change);
		}
		return changes.sort(byPath);
	}

	/** The files of up to `limit` non-merge commits reachable from `commit`, newest first (one request per commit, plus the listing). */
	async recentChanges(commit: GitSha, limit: number): Promise<CommitFiles[]> {
		try {
			const listed = await this.client.paginate(this.client.rest.repos.listCommits, { ...this.repository, sha: commit, per_page: Math.min(limit, 100) }, (response, done) => {
				if (response.data.length >= limit) done();
				return response.data;
			});
			const commits = listed.filter((entry) => entry.parents.length <= 1).slice(0, limit);
			const result: CommitFiles[] = [];
			for (const entry of commits) {
				const { data } = await this.client.rest.repos.getCommit({ ...this.repository, ref: entry.sha });
				result.push({ sha: entry.sha, paths: (data.files ?? []).map((file) => file.filename) });
			}
			return result;
		} catch (error) {
			throw await this.notFoundAs(error, `Commit ${commit}`);
		}
	}

	/** Unified diffs per file from the merge base of `base` and `head` to `head` (GitHub's comparison; at most 300 files). */
	async diffPatches(base: GitSha, head: GitSha): Promise<FilePatch[]> {
		try {
			const { data } = await this.client.rest.repos.compareCommitsWithBasehead({ ...this.repository, basehead: `${base}...${head}` });
			return (data.files ?? []).map((file) => ({
				path: file.filename,
				status: file.status,
				...(file.previous_filename ? { previousPath: file.previous_filename } : {}),
				...(file.patch ? { patch: file.patch } : {}),
			}));
		} catch (error) {
			throw await this.notFoundAs(error, `Comparison ${base}...${head}`);
		}
	}

	/**
	 * GitHub's comparison, or undefined when GitHub cannot compare the two commits (no common
	 * ancestor, diff too large or too slow): the caller then diffs the trees, which also reports
	 * commits that do not exist.
	 */
	private async fetchComparison(base: GitSha, head: GitSha) {
		try {
			const response = await this.client.rest.repos.compareCommitsWithBasehead({
				...this.repository,
				basehead: `${base}...${head}`,
			});
			return response.data;
		} catch (error) {
			const status = (error as { status?: number; response?: unknown }).status ?? 0;
			const answered = Boolean((error as { response?: unknown }).response);
			if (answered && ([404, 406, 422].includes(status) || status >= 500)) return undefined;
			throw githubRequestError(error, { repository: this.name, baseUrl: this.baseUrl });
		}
	}

	private async fetchTree(treeSha: string, recursive: boolean) {
		try {
			const response = await this.client.rest.git.getTree({
				...this.repository,
				tree_sha: treeSha,
				...(recursive ? { recursive: '1' } : {}),
			});
			return response.data;
		} catch (error) {
			throw await this.notFoundAs(error, `Tree or commit ${treeSha}`);
		}
	}

	/**
	 * Map a failure; a 404/409/422 becomes RefNotFoundError for `what` when the repository itself is
	 * readable, otherwise the repository's own error (not found, no access).
	 */
	private async notFoundAs(error: unknown, what: string): Promise<Error> {
		const status = (error as { status?: number }).status;
		const context = { repository: this.name, baseUrl: this.baseUrl };
		if (status !== 404 && status !== 409 && status !== 422) {
			return githubRequestError(error, context);
		}
		let defaultBranch: string;
		try {
			defaultBranch = (await this.client.rest.repos.get(this.repository)).data.default_branch;
		} catch (repositoryError) {
			return githubRequestError(repositoryError, context);
		}
		return new RefNotFoundError(
			`${what} was not found in the GitHub repository ${this.name}.`,
			`Check the spelling; the default branch is "${defaultBranch}".`,
			{ cause: error },
		);
	}
}
