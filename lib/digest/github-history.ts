import { createGitHubClient, type GitHubClient, type GitHubClientOptions, GITHUB_API_URL, githubRequestError } from '../source/github-client';
import type { GitSha } from '../types';

/** One commit of a digest, with its web link. */
export interface DigestCommit {
	sha: GitSha;
	shortSha: string;
	/** First line of the message. */
	title: string;
	author: string;
	date: string | null;
	url: string;
}

/** Commits between two commits and the links to show them. */
export interface CommitRange {
	commits: DigestCommit[];
	/** Commits in the range; can exceed commits.length (GitHub lists at most 250). */
	totalCommits: number;
	compareUrl: string | null;
	/** The repository's web page, e.g. https://github.com/owner/repo. */
	webUrl: string;
}

export interface GitHubHistoryOptions extends GitHubClientOptions {
	owner: string;
	repo: string;
}

/** Reads commit lists and web links of a GitHub repository. */
export class GitHubHistory {
	private readonly client: GitHubClient;
	private readonly repository: { owner: string; repo: string };

	constructor(private readonly options: GitHubHistoryOptions) {
		this.client = createGitHubClient(options);
		this.repository = { owner: options.owner, repo: options.repo };
	}

	/** Commits reachable from head but not base, oldest first, with compare and repository links. */
	async commitsBetween(base: GitSha, head: GitSha): Promise<CommitRange> {
		try {
			const { data } = await this.client.rest.repos.compareCommitsWithBasehead({ ...this.repository, basehead: `${base}...${head}` });
			return {
				commits: data.commits.map((commit) => ({
					sha: commit.sha,
					shortSha: commit.sha.slice(0, 7),
					title: commit.commit.message.split('\n')[0],
					author: commit.commit.author?.name ?? commit.author?.login ?? '',
					date: commit.commit.author?.date ?? null,
					url: commit.html_url,
				})),
				totalCommits: data.total_commits,
				compareUrl: data.html_url,
				webUrl: data.html_url.replace(/\/compare\/.*$/, ''),
			};
		} catch (error) {
			const status = (error as { status?: number }).status ?? 0;
			if (![404, 406, 422].includes(status) && status < 500) throw this.failure(error);
			return { commits: [], totalCommits: 0, compareUrl: null, webUrl: await this.webUrl() };
		}
	}

	/** The repository's web page. */
	async webUrl(): Promise<string> {
		try {
			return (await this.client.rest.repos.get(this.repository)).data.html_url;
		} catch (error) {
			throw this.failure(error);
		}
	}

	private failure(error: unknown): Error {
		return githubRequestError(error, { repository: `${this.options.owner}/${this.options.repo}`, baseUrl: this.options.baseUrl ?? GITHUB_API_URL });
	}
}
