import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import {
	AuthError,
	RateLimitError,
	RepoMindError,
	RepoNotFoundError,
	ServiceError,
} from '../errors';
import { redact } from '../util/api-error';

export const GITHUB_API_URL = 'https://api.github.com';

export interface GitHubClientOptions {
	token?: string;
	/** Default https://api.github.com; GitHub Enterprise: https://HOST/api/v3. */
	baseUrl?: string;
	/** Retries after a rate limit or a server failure (5xx, connection). Default 3. */
	maxRetries?: number;
	/** Milliseconds per second of Retry-After and of the 5xx backoff. Default 1000 (tests: 1). */
	retryAfterBaseMs?: number;
	/** Give up at once instead of waiting longer than this for a rate limit. Default 120 s. */
	maxRetryAfterSeconds?: number;
}

const RetryingOctokit = Octokit.plugin(retry, throttling);
export type GitHubClient = InstanceType<typeof RetryingOctokit>;

/** Octokit retrying rate limits (honouring Retry-After) and 5xx, a bounded number of times. */
export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
	const maxRetries = options.maxRetries ?? 3;
	const maxWaitSeconds = options.maxRetryAfterSeconds ?? 120;
	const retryAfterBaseMs = options.retryAfterBaseMs ?? 1000;
	const shouldRetry = (retryAfter: number, _options: unknown, _octokit: unknown, count: number) =>
		count < maxRetries && retryAfter <= maxWaitSeconds;
	return new RetryingOctokit({
		auth: options.token || undefined,
		baseUrl: (options.baseUrl ?? GITHUB_API_URL).replace(/\/+$/, ''),
		userAgent: 'n8n-nodes-repomind',
		// Failures reach the caller as RepoMind errors; Octokit's error log would only repeat them.
		// eslint-disable-next-line no-console -- Octokit's warnings (deprecations) belong in the n8n log
		log: { debug: () => {}, info: () => {}, warn: console.warn, error: () => {} },
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
	const { status, message } = failure;
	const detail = `HTTP ${status}: ${message}`;
	const headers = failure.response?.headers ?? {};
	const target = context.repository ?? 'the API';
	const options = { cause: error };
	if (!failure.response || status === undefined) {
		return new ServiceError(
			redact(`Could not reach GitHub at ${context.baseUrl ?? GITHUB_API_URL}: ${message ?? String(error)}`),
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
	if (status === 429 || (status === 403 && isRateLimited(message, headers))) {
		const reset = Number(headers['x-ratelimit-reset']);
		const resetAt = reset > 0 ? ` It resets at ${new Date(reset * 1000).toISOString()}.` : '';
		return new RateLimitError(
			`GitHub rate limit exhausted reading ${target}; retries did not help (${detail}).${resetAt}`,
			'Wait for the reset, use a token (5,000 requests an hour instead of 60), or sync less often.',
			options,
		);
	}
	if (status === 403) {
		const asked = headers['x-accepted-github-permissions'];
		return new AuthError(
			`GitHub refused access to ${target} (${detail}).`,
			'The token needs read access to repository contents: the fine-grained permission ' +
				`"contents: read"${asked ? ` (GitHub asks for ${asked})` : ''}, or a classic token with ` +
				'the "repo" scope for a private repository.',
			options,
		);
	}
	if (status === 404 && context.repository) {
		return new RepoNotFoundError(
			`GitHub repository ${context.repository} was not found, or the token cannot see it (${detail}).`,
			'Check owner and repository name; a private repository needs a token with access to it.',
			options,
		);
	}
	return new ServiceError(`GitHub failed while reading ${target} (${detail}).`, undefined, options);
}

function isRateLimited(message: string, headers: Record<string, unknown>): boolean {
	return String(headers['x-ratelimit-remaining']) === '0' || /rate limit/i.test(message);
}
