/**
 * A real git repository in a temporary folder, for tests. Every change is staged as it is made
 * (`writeFiles`, `deleteFiles`, `renameFile`, `symlink`, `addGitlink`), so `commit` records exactly
 * what the test did. Commits are reproducible: fixed author, committer and increasing dates, and
 * the user's git configuration is ignored.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const EPOCH_SECONDS = 1_700_000_000;

/** Environment that isolates git from the machine's and user's configuration. */
export const isolatedGitEnv: NodeJS.ProcessEnv = {
	...process.env,
	GIT_CONFIG_NOSYSTEM: '1',
	GIT_CONFIG_GLOBAL: '/dev/null',
	GIT_TERMINAL_PROMPT: '0',
	LC_ALL: 'C',
};

export interface GitRepoOptions {
	/** Name of the first branch. Default `main`. */
	defaultBranch?: string;
	/** Folder name prefix in the temp directory. */
	prefix?: string;
}

export class GitRepo {
	private commitCount = 0;

	private constructor(readonly path: string) {}

	/** Create an empty repository (no commits yet) in a new temp folder. */
	static async create(options: GitRepoOptions = {}): Promise<GitRepo> {
		const path = await mkdtemp(join(tmpdir(), options.prefix ?? 'repomind-git-'));
		const repo = new GitRepo(path);
		await repo.git('init', '--quiet', `--initial-branch=${options.defaultBranch ?? 'main'}`);
		return repo;
	}

	/** Run git in the repository and return its stdout (trailing newline removed). */
	async git(...args: string[]): Promise<string> {
		const date = `${EPOCH_SECONDS + this.commitCount * 60} +0000`;
		const env = {
			...isolatedGitEnv,
			GIT_AUTHOR_NAME: 'RepoMind Test',
			GIT_AUTHOR_EMAIL: 'test@repomind.invalid',
			GIT_COMMITTER_NAME: 'RepoMind Test',
			GIT_COMMITTER_EMAIL: 'test@repomind.invalid',
			GIT_AUTHOR_DATE: date,
			GIT_COMMITTER_DATE: date,
		};
		const options = { cwd: this.path, env, maxBuffer: 1 << 30 };
		return new Promise((resolve, reject) => {
			execFile('git', args, options, (error, stdout, stderr) => {
				if (error) reject(new Error(`git ${args.join(' ')} failed: ${stderr || error.message}`));
				else resolve(stdout.replace(/\n$/, ''));
			});
		});
	}

	/** Write files (repository-relative path → text or bytes), creating folders, and stage them. */
	async writeFiles(files: Record<string, string | Buffer>): Promise<void> {
		for (const [path, content] of Object.entries(files)) {
			const absolute = join(this.path, path);
			await mkdir(dirname(absolute), { recursive: true });
			await writeFile(absolute, content);
		}
		await this.git('add', '--', ...Object.keys(files));
	}

	/** Delete files and stage the deletions. */
	async deleteFiles(paths: string[]): Promise<void> {
		await this.git('rm', '--quiet', '--', ...paths);
	}

	/** Rename (move) a file and stage it; write `content` too for a rename with an edit. */
	async renameFile(from: string, to: string, content?: string | Buffer): Promise<void> {
		await mkdir(dirname(join(this.path, to)), { recursive: true });
		await this.git('mv', '--', from, to);
		if (content !== undefined) await this.writeFiles({ [to]: content });
	}

	/** Create a symbolic link at `path` pointing to `target` and stage it. */
	async symlink(path: string, target: string): Promise<void> {
		await mkdir(dirname(join(this.path, path)), { recursive: true });
		await symlink(target, join(this.path, path));
		await this.git('add', '--', path);
	}

	/** Stage a submodule entry (gitlink, mode 160000) pointing at `commitSha`, without a checkout. */
	async addGitlink(path: string, commitSha: string): Promise<void> {
		await this.git('update-index', '--add', '--cacheinfo', `160000,${commitSha},${path}`);
	}

	/** Commit what is staged (empty commits allowed) and return the new commit SHA. */
	async commit(message: string): Promise<string> {
		this.commitCount++;
		await this.git('commit', '--quiet', '--allow-empty', '--no-verify', '-m', message);
		return this.head();
	}

	/** The commit SHA of HEAD, or of another ref. */
	async head(ref = 'HEAD'): Promise<string> {
		return this.git('rev-parse', '--verify', `${ref}^{commit}`);
	}

	/** The blob SHA of a file at a commit. */
	async blobSha(commit: string, path: string): Promise<string> {
		return this.git('rev-parse', '--verify', `${commit}:${path}`);
	}

	/** Create a branch at `at` (default HEAD); with `checkout`, switch to it. */
	async branch(name: string, options: { at?: string; checkout?: boolean } = {}): Promise<void> {
		if (options.checkout) await this.git('checkout', '--quiet', '-b', name, options.at ?? 'HEAD');
		else await this.git('branch', name, options.at ?? 'HEAD');
	}

	/** Switch to a branch or commit. */
	async checkout(ref: string): Promise<void> {
		await this.git('checkout', '--quiet', ref);
	}

	/** Create a lightweight tag, or an annotated one when `message` is given. */
	async tag(name: string, options: { at?: string; message?: string } = {}): Promise<void> {
		const at = options.at ?? 'HEAD';
		if (options.message) await this.git('tag', '-a', name, '-m', options.message, at);
		else await this.git('tag', name, at);
	}

	/** Move the current branch to `ref`, resetting index and files (like a force-push rewrite). */
	async resetHard(ref: string): Promise<void> {
		await this.git('reset', '--quiet', '--hard', ref);
	}

	/** Delete the temp folder. */
	async dispose(): Promise<void> {
		await rm(this.path, { recursive: true, force: true });
	}
}
