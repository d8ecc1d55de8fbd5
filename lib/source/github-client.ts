import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { AuthError, RateLimitError, RepoMindError, RepoNotFoundError, ServiceError } from '../errors';

export const GITHUB_API_URL = 'https://api.github.com';

export interface GitHubClientOptions {
	token?: string;
	/** Default https://api.github.com; GitHub Enterprise: https://HOST/api/v3. */
	baseUrl?: string;
	/** Retries after a rate limit or a server failure (5xx, connection). Default 3. */
	maxRetries?: number;
	/** Milliseconds per second of Retry-After and of the 5xx backoff. Default 1000; tests use ~1. */
	retryAfterBaseMs?: number;
	/** Give up at once instead of waiting longer than this for a rate limit. Default 120 s. */
	maxRetryAfterSeconds?: number;
}

const RetryingOctokit = Octokit.plugin(retry, throttling);
export type GitHubClient = InstanceType<typeof RetryingOctokit>;

/** An Octokit that retries rate limits (honouring Retry-After) and 5xx a bounded number of times. */
export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
	const maxRetries = options.maxRetries ?? 3;
	const maxWaitSeconds = options.maxRetryAfterSeconds ?? 120;
	const retryAfterBaseMs = options.retryAfterBaseMs ?? 1000;
	const shouldRetry = (retryAfter: number, _request: unknown, _client: unknown, retryCount: number) =>
		retryCount < maxRetries && retryAfter <= maxWaitSeconds;
	return new RetryingOctokit({
		auth: options.token || undefined,
		baseUrl: (options.baseUrl ?? GITHUB_API_URL).replace(/\/+$/, ''),
		userAgent: 'n8n-nodes-repomind',
		throttle: {
			retryAfterBaseValue: retryAfterBaseMs,
			onRateLimit: shouldRetry,
			onSecondaryRateLimit: shouldRetry,
		},
		retry: {
			retries: maxRetries,
			retryAfterBaseValue: retryAfterBaseMs,
			// Rate limits (403/429) are the throttling plugin's; these are never worth repeating.
			doNotRetry: [400, 401, 403, 404, 409, 410, 422, 429, 451],
		},
	});
}

interface HttpFailure {
	status?: number;
	message: string;
	response?: { headers?: Record<string, string | number | undefined> };
}

export interface GitHubErrorContext {
	/** `owner/repo`, for messages. */
	repository?: string;
	baseUrl?: string;
}

/** The one place that turns an Octokit or transport failure into a RepoMind error. */
export function githubRequestError(error: unknown, context: GitHubErrorContext = {}): Error {
	if (error instanceof RepoMindError) return error;
	const failure = (error ?? {}) as HttpFailure;
	const status = failure.status;
	const detail = `HTTP ${status}: ${failure.message}`;
	const headers = failure.response?.headers ?? {};
	const where = context.repository ? `the GitHub repository ${context.repository}` : 'GitHub';
	const options = { cause: error };
	if (!failure.response || status === undefined) {
		const baseUrl = context.baseUrl ?? GITHUB_API_URL;
		return new ServiceError(
			`Could not reach GitHub at ${baseUrl}: ${failure.message ?? String(error)}`,
			'Check the network and the API base URL (GitHub Enterprise: https://HOST/api/v3).',
			options,
		);
	}
	if (status === 401) {
		return new AuthError(
			`GitHub rejected the token (${detail}).`,
			'Check that the token is complete, not expired and not revoked, or create a new one.',
			options,
		);
	}
	if (status === 429 || (status === 403 && isRateLimited(failure.message, headers))) {
		const reset = Number(headers['x-ratelimit-reset']);
		const resetText = reset > 0 ? ` It resets at ${new Date(reset * 1000).toISOString()}.` : '';
		return new RateLimitError(
			`GitHub rate limit exhausted while reading ${where}; retrying did not help (${detail}).${resetText}`,
			'Wait for the limit to reset, use a token (5,000 requests per hour instead of 60), or sync less often.',
			options,
		);
	}
	if (status === 403) {
		const accepted = headers['x-accepted-github-permissions'];
		return new AuthError(
			`GitHub refused access to ${where} (${detail}).`,
			'The token needs read access to repository contents: the fine-grained permission ' +
				`"contents: read"${accepted ? ` (GitHub asks for ${accepted})` : ''}, or a classic token ` +
				'with the "repo" scope for a private repository.',
			options,
		);
	}
	if (status === 404) {
		return new RepoNotFoundError(
			`${context.repository ? `The GitHub repository ${context.repository}` : 'The GitHub resource'} was not found, or the token cannot see it (${detail}).`,
			'Check owner and repository name; a private repository needs a token with access to it.',
			options,
		);
	}
	return new ServiceError(`GitHub failed while reading ${where} (${detail}).`, undefined, options);
}

function isRateLimited(message: string, headers: Record<string, unknown>): boolean {
	return String(headers['x-ratelimit-remaining']) === '0' || /rate limit/i.test(message);
}

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
	const context = { baseUrl: options.baseUrl, repository: repositoryName(options) };
	try {
		let login: string | null = null;
		if (options.token) {
			try {
				login = (await client.rest.users.getAuthenticated()).data.login;
			} catch (error) {
				// Installation tokens cannot read /user; /rate_limit still validates them.
				if ((error as HttpFailure).status !== 403) throw error;
				await client.rest.rateLimit.get();
			}
		}
		if (!options.owner || !options.repo) return { login };
		const repository = await client.rest.repos.get({ owner: options.owner, repo: options.repo });
		return { login, repository: repository.data.full_name };
	} catch (error) {
		throw githubRequestError(error, context);
	}
}

function repositoryName(options: { owner?: string; repo?: string }): string | undefined {
	return options.owner && options.repo ? `${options.owner}/${options.repo}` : undefined;
}
