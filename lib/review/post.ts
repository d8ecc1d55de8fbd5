import { AuthError, InvalidInputError, RepoMindError } from '../errors';
import { createGitHubClient, githubRequestError, GITHUB_API_URL, type GitHubClient, type GitHubClientOptions } from '../source/github-client';
import type { GitSha } from '../types';
import { formatReviewBody, formatReviewComment, REVIEW_MARKER } from './format';
import type { DroppedComment, ReviewComment } from './review';

export interface PostTarget {
	owner: string;
	repo: string;
	/** Pull request or issue number. */
	number: number;
}

export interface PostReviewInput extends PostTarget {
	headSha: GitSha;
	summary: string;
	comments: ReviewComment[];
	droppedComments?: DroppedComment[];
	/** The base ref and indexed commit the context came from, for the review's header. */
	context?: { ref: string; commit: GitSha | null };
}

export interface PostReviewResult {
	status: 'posted' | 'skipped';
	reviewId: number;
	url: string | null;
	headSha: GitSha;
	/** The head of RepoMind's previous review of this pull request, if any. */
	previousHeadSha: GitSha | null;
	/** Files changed from the previous review's head to this one. */
	changedSinceLast: string[];
	commentsPosted: number;
}

export type IssueCommentStatus = 'posted' | 'updated' | 'skipped';

/** Posts RepoMind's pull request reviews and issue comments through Octokit, idempotently. */
export class GitHubReviewPoster {
	private readonly client: GitHubClient;
	private readonly baseUrl: string;

	constructor(options: GitHubClientOptions, client?: GitHubClient) {
		this.client = client ?? createGitHubClient(options);
		this.baseUrl = options.baseUrl ?? GITHUB_API_URL;
	}

	/** One COMMENT review with line comments for the head commit; skipped when RepoMind already reviewed that commit. */
	async postReview(input: PostReviewInput): Promise<PostReviewResult> {
		const target = { owner: input.owner, repo: input.repo, pull_number: input.number };
		const what = `pull request ${input.owner}/${input.repo}#${input.number}`;
		const reviews = await this.call(what, 'list the reviews of', () => this.client.paginate(this.client.rest.pulls.listReviews, { ...target, per_page: 100 }));
		const ours = reviews.flatMap((review) => {
			const head = REVIEW_MARKER.exec(review.body ?? '')?.[1];
			return head ? [{ id: review.id, head, url: review.html_url }] : [];
		});
		const same = ours.find((review) => review.head === input.headSha);
		const previous = ours.at(-1) ?? null;
		const result = { headSha: input.headSha, previousHeadSha: previous?.head ?? null, changedSinceLast: [] as string[] };
		if (same) return { ...result, status: 'skipped', reviewId: same.id, url: same.url, commentsPosted: 0 };
		let sinceLast: string[] | null = [];
		if (previous) {
			sinceLast = await this.client.rest.repos
				.compareCommitsWithBasehead({ owner: input.owner, repo: input.repo, basehead: `${previous.head}...${input.headSha}` })
				.then(({ data }) => (data.files ?? []).map((file) => file.filename))
				.catch(() => null);
			result.changedSinceLast = sinceLast ?? [];
		}
		const body = formatReviewBody({ ...input, previousHeadSha: previous?.head ?? null, changedSinceLast: sinceLast });
		const comments = input.comments.map((comment) => ({ path: comment.path, line: comment.line, side: comment.side, body: formatReviewComment(comment) }));
		const { data } = await this.call(what, 'post a review on', () => this.client.rest.pulls.createReview({ ...target, commit_id: input.headSha, event: 'COMMENT', body, comments }));
		return { ...result, status: 'posted', reviewId: data.id, url: data.html_url, commentsPosted: comments.length };
	}

	/** One comment carrying `marker` on the issue: created, or updated in place when RepoMind commented before (skipped when unchanged). */
	async postIssueComment(target: PostTarget, marker: string, body: string): Promise<{ status: IssueCommentStatus; commentId: number; url: string }> {
		const issue = { owner: target.owner, repo: target.repo, issue_number: target.number };
		const what = `issue ${target.owner}/${target.repo}#${target.number}`;
		const comments = await this.call(what, 'list the comments of', () => this.client.paginate(this.client.rest.issues.listComments, { ...issue, per_page: 100 }));
		const previous = comments.find((comment) => comment.body?.includes(marker));
		if (previous && previous.body === body) return { status: 'skipped', commentId: previous.id, url: previous.html_url };
		if (previous) {
			const { data } = await this.call(what, 'update a comment on', () => this.client.rest.issues.updateComment({ owner: target.owner, repo: target.repo, comment_id: previous.id, body }));
			return { status: 'updated', commentId: data.id, url: data.html_url };
		}
		const { data } = await this.call(what, 'comment on', () => this.client.rest.issues.createComment({ ...issue, body }));
		return { status: 'posted', commentId: data.id, url: data.html_url };
	}

	/** The repository's web page, for links to lines. */
	async webUrl(owner: string, repo: string): Promise<string> {
		const { data } = await this.call(`${owner}/${repo}`, 'read', () => this.client.rest.repos.get({ owner, repo }));
		return data.html_url;
	}

	private async call<T>(what: string, action: string, request: () => Promise<T>): Promise<T> {
		try {
			return await request();
		} catch (error) {
			throw this.failure(error, what, action);
		}
	}

	private failure(error: unknown, what: string, action: string): Error {
		if (error instanceof RepoMindError) return error;
		const failure = error as { status?: number; message?: string; response?: { data?: { errors?: unknown } } };
		const detail = `HTTP ${failure.status}: ${failure.message}`;
		if (failure.status === 422) {
			const errors = failure.response?.data?.errors;
			return new InvalidInputError(
				`GitHub refused to ${action} ${what} (${detail}${errors ? `; ${JSON.stringify(errors).slice(0, 300)}` : ''})`,
				'A line comment must sit on a line of the pull request\'s diff at its head commit: after a new push, review the new head',
				{ cause: error },
			);
		}
		const mapped = githubRequestError(error, { repository: `${what}`, baseUrl: this.baseUrl });
		if (failure.status === 403 && mapped instanceof AuthError) {
			return new AuthError(`GitHub refused to let RepoMind ${action} ${what} (${detail})`, 'The token needs "pull requests: write" to post reviews and "issues: write" to comment on issues (a classic token: the "repo" or "public_repo" scope)', { cause: error });
		}
		return mapped;
	}
}
