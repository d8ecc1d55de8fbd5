import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { InvalidInputError, RefNotFoundError, RepoNotFoundError } from '../errors';
import type { CommitFiles } from '../retrieve/related-files';
import type { FilePatch } from '../review/diff';
import type { FileChange, GitSha, RepoSource, TreeEntry } from '../types';
import { CatFileBatch } from './cat-file-batch';
import { isObjectId, runGit, splitNul } from './git-cli';
import { byPath } from './tree-diff';

export interface LocalGitSourceOptions {
	/** A working copy or a bare repository on this machine. */
	path: string;
	/** Default `local:` + the real path. */
	repoKey?: string;
	/** When non-empty, the repository's real path (symlinks resolved) must lie inside one of these folders. */
	allowedRoots?: string[];
}

const GITLINK_MODE = '160000';

/** A git repository on disk, read through the git CLI (no shell). */
export class LocalGitSource implements RepoSource {
	readonly repoKey: string;
	private readonly path: string;
	private readonly blobs: CatFileBatch;
	private repoCheck?: Promise<void>;

	constructor(options: LocalGitSourceOptions) {
		this.path = realPathOrResolved(options.path);
		assertAllowed(this.path, options.path, options.allowedRoots ?? []);
		this.repoKey = options.repoKey ?? `local:${this.path}`;
		this.blobs = new CatFileBatch(this.path);
	}

	/** Resolve a branch, tag or commit to a commit SHA. */
	async resolveRef(ref: string): Promise<GitSha> {
		await this.ensureRepository();
		const commit = await this.peelToCommit(ref);
		if (!commit) throw this.refNotFound(ref);
		return commit;
	}

	/** Every blob of the commit's tree (submodules skipped, symlinks kept), sorted by path. */
	async listTree(commit: GitSha): Promise<TreeEntry[]> {
		await this.ensureRepository();
		const args = ['ls-tree', '-r', '-l', '-z', '--full-tree', '--end-of-options', commit];
		const result = await runGit(this.path, args);
		if (result.exitCode !== 0) throw this.refNotFound(commit);
		const entries: TreeEntry[] = [];
		for (const line of splitNul(result.stdout)) {
			const tab = line.indexOf('\t');
			const [mode, type, blobSha, size] = line.slice(0, tab).split(/ +/);
			if (type !== 'blob') continue;
			entries.push({ path: line.slice(tab + 1), blobSha, size: Number(size), mode });
		}
		return entries.sort(byPath);
	}

	/** The bytes of a blob, through the shared `git cat-file --batch` process. */
	async readBlob(blobSha: GitSha, path: string): Promise<Buffer> {
		if (!isObjectId(blobSha)) {
			throw new InvalidInputError(`"${blobSha}" (for ${path}) is not a full git object id.`);
		}
		await this.ensureRepository();
		return this.blobs.read(blobSha);
	}

	/** Files changed from `base` to `head`, with renames (git's default 50% similarity). */
	async compare(base: GitSha, head: GitSha): Promise<FileChange[]> {
		await this.ensureRepository();
		const args = ['diff-tree', '-r', '-z', '-M', '--raw', '--no-abbrev', '--no-commit-id'];
		const result = await runGit(this.path, [...args, '--end-of-options', base, head]);
		if (result.exitCode !== 0) {
			throw this.refNotFound((await this.peelToCommit(base)) ? head : base);
		}
		return parseRawDiff(splitNul(result.stdout)).sort(byPath);
	}

	/** The files of up to `limit` non-merge commits reachable from `commit`, newest first. */
	async recentChanges(commit: GitSha, limit: number): Promise<CommitFiles[]> {
		await this.ensureRepository();
		const args = ['log', `--max-count=${limit}`, '--no-merges', '--no-renames', '--name-only', '--format=%x01%H', '-z', '--end-of-options', commit];
		const result = await runGit(this.path, args);
		if (result.exitCode !== 0) throw this.refNotFound(commit);
		return result.stdout
			.toString('utf8')
			.split('\x01')
			.filter(Boolean)
			.map((record) => {
				const [sha, ...paths] = record.split('\0');
				return { sha, paths: paths.map((path) => path.replace(/^\n/, '')).filter(Boolean) };
			});
	}

	/** Unified diffs per file from the merge base of `base` and `head` to `head` (what a pull request shows). */
	async diffPatches(base: GitSha, head: GitSha): Promise<FilePatch[]> {
		await this.ensureRepository();
		const range = `${base}...${head}`;
		const listed = await runGit(this.path, ['diff', '--name-status', '-z', '-M', '--end-of-options', range]);
		if (listed.exitCode !== 0) throw this.refNotFound((await this.peelToCommit(base)) ? head : base);
		const fields = splitNul(listed.stdout);
		const statuses: Record<string, string> = { A: 'added', D: 'removed', M: 'modified', R: 'renamed', C: 'copied', T: 'changed' };
		const patches: FilePatch[] = [];
		for (let i = 0; i < fields.length; ) {
			const code = fields[i][0];
			const twoPaths = code === 'R' || code === 'C';
			const [previousPath, path] = twoPaths ? [fields[i + 1], fields[i + 2]] : [undefined, fields[i + 1]];
			i += twoPaths ? 3 : 2;
			const diff = await runGit(this.path, ['diff', '--no-color', '--no-ext-diff', '-U3', '-M', '--end-of-options', range, '--', ...(previousPath ? [previousPath] : []), path]);
			const text = diff.stdout.toString('utf8');
			const start = text.indexOf('\n@@');
			patches.push({ path, status: statuses[code] ?? 'modified', ...(previousPath ? { previousPath } : {}), ...(start >= 0 ? { patch: text.slice(start + 1).replace(/\n$/, '') } : {}) });
		}
		return patches;
	}

	/** End the blob reader process (it also restarts on demand). */
	async close(): Promise<void> {
		await this.blobs.close();
	}

	private ensureRepository(): Promise<void> {
		this.repoCheck ??= runGit(this.path, ['rev-parse', '--git-dir']).then((result) => {
			if (result.exitCode === 0) return;
			this.repoCheck = undefined;
			throw new RepoNotFoundError(
				`No git repository at ${this.path}: ${result.stderr}`,
				'Give the path of a cloned repository (a working copy or a bare clone) readable by n8n.',
			);
		});
		return this.repoCheck;
	}

	private async peelToCommit(ref: string): Promise<GitSha | undefined> {
		const args = ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`];
		const result = await runGit(this.path, args);
		return result.exitCode === 0 ? result.stdout.toString('utf8').trim() : undefined;
	}

	private refNotFound(ref: string): RefNotFoundError {
		return new RefNotFoundError(
			`Branch, tag or commit "${ref}" was not found in the git repository at ${this.path}.`,
			'Check the spelling, and fetch the repository if the ref is new.',
		);
	}
}

/** Parse `git diff-tree -r -z --raw` records into changes, skipping submodules. */
function parseRawDiff(fields: string[]): FileChange[] {
	const changes: FileChange[] = [];
	for (let i = 0; i < fields.length; ) {
		const [oldMode, newMode, oldSha, newSha, status] = fields[i].slice(1).split(' ');
		const kind = status[0];
		const oldPath = fields[i + 1];
		const newPath = kind === 'R' || kind === 'C' ? fields[i + 2] : oldPath;
		i += kind === 'R' || kind === 'C' ? 3 : 2;
		const oldIsBlob = oldMode !== GITLINK_MODE && !/^0+$/.test(oldMode);
		const newIsBlob = newMode !== GITLINK_MODE && !/^0+$/.test(newMode);
		if (kind === 'R' && oldIsBlob && newIsBlob) {
			changes.push({
				status: 'renamed',
				path: newPath,
				previousPath: oldPath,
				blobSha: newSha,
				previousBlobSha: oldSha,
			});
		} else if (kind === 'C' || (newIsBlob && !oldIsBlob)) {
			if (newIsBlob) changes.push({ status: 'added', path: newPath, blobSha: newSha });
		} else if (oldIsBlob && !newIsBlob) {
			changes.push({ status: 'removed', path: oldPath, previousBlobSha: oldSha });
		} else if (oldIsBlob && newIsBlob) {
			changes.push({ status: 'modified', path: newPath, blobSha: newSha, previousBlobSha: oldSha });
		}
	}
	return changes;
}

/** Whether `path` is `folder` or lies below it (both absolute, symlinks already resolved). */
export function isInsideFolder(folder: string, path: string): boolean {
	const rest = relative(folder, path);
	return rest === '' || (rest !== '..' && !rest.startsWith(`..${sep}`) && !isAbsolute(rest));
}

function assertAllowed(realPath: string, given: string, allowedRoots: string[]): void {
	if (allowedRoots.length === 0) return;
	if (allowedRoots.some((root) => isInsideFolder(realPathOrResolved(root), realPath))) return;
	throw new InvalidInputError(
		`The repository path ${given} is outside the folders RepoMind may read (${allowedRoots.join('; ')}).`,
		'Clone the repository inside one of the allowed folders, or add its folder to the allowed roots.',
	);
}

/** The folder's real path (symlinks resolved) when it exists, else the path resolved: the path a local key names. */
export function realPathOrResolved(path: string): string {
	try {
		return realpathSync(path);
	} catch {
		return resolve(path);
	}
}
