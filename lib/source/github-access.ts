import { type GitHubClientOptions, createGitHubClient, githubRequestError } from './github-client';

export interface GitHubAccess {
	/** The token's user, or null for app installation tokens and anonymous access. */
	login: string | null;
	/** `owner/repo` when a repository was checked. */
	repository?: string;
}

/** Check a token (and optionally that it can see a repository); throws the mapped error. */
export async function checkGitHubAccess(
	options: GitHubClientOptions & { owner?: string; repo?: string },
): Promise<GitHubAccess> {
	const client = createGitHubClient({ ...options, maxRetries: 0 });
	const repository = options.owner && options.repo ? `${options.owner}/${options.repo}` : undefined;
	const context = { baseUrl: options.baseUrl, repository };
	try {
		let login: string | null = null;
		if (options.token) {
			try {
				login = (await client.rest.users.getAuthenticated()).data.login;
			} catch (error) {
				// Installation tokens cannot read /user; /rate_limit still validates them.
				if ((error as { status?: number }).status !== 403) throw error;
				await client.rest.rateLimit.get();
			}
		}
		if (!options.owner || !options.repo) return { login };
		const found = await client.rest.repos.get({ owner: options.owner, repo: options.repo });
		return { login, repository: found.data.full_name };
	} catch (error) {
		throw githubRequestError(error, context);
	}
}
