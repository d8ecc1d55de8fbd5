/**
 * Pull request reviews and issue comments for the GitHub stand-in: the write routes RepoMind's review
 * and triage post to, with bodies typed by GitHub's OpenAPI schemas. Review comments are checked like
 * GitHub does: a line outside the pull request's diff hunks gets 422.
 */
import { execFile } from 'node:child_process';
import type { IncomingMessage } from 'node:http';
import type { components } from '@octokit/openapi-types';

type Schemas = components['schemas'];

export const PULL_ROUTES = [
	'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
	'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
	'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
	'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
	'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
] as const;
export type PullRoute = (typeof PULL_ROUTES)[number];

/** A posted review with its line comments, as the stand-in stored it. */
export type StoredReview = Schemas['pull-request-review'] & {
	comments: Array<{ path: string; line: number; side: 'LEFT' | 'RIGHT'; body: string }>;
};

/** What the stand-in knows and stores about pull requests and issues. */
export class PullRequestStore {
	/** Pull request number -> its base and head (refs or SHAs of the served repository). */
	pulls = new Map<number, { base: string; head: string }>();
	reviews = new Map<number, StoredReview[]>();
	issueComments = new Map<number, Schemas['issue-comment'][]>();
	private nextId = 1000;

	constructor(
		private readonly repoPath: string,
		private readonly web: string,
	) {}

	/** The route of a write (or review/comment listing) request, or undefined. */
	static match(method: string, parts: string[]): { route: PullRoute; id: number } | undefined {
		const [, , , kind, number, tail] = parts;
		if (kind === 'pulls' && tail === 'reviews' && parts.length === 6) return { route: method === 'POST' ? PULL_ROUTES[1] : PULL_ROUTES[0], id: Number(number) };
		if (kind === 'issues' && number === 'comments' && method === 'PATCH' && parts.length === 6) return { route: PULL_ROUTES[4], id: Number(tail) };
		if (kind === 'issues' && tail === 'comments' && parts.length === 6) return { route: method === 'POST' ? PULL_ROUTES[3] : PULL_ROUTES[2], id: Number(number) };
		return undefined;
	}

	async handle(route: PullRoute, id: number, request: IncomingMessage): Promise<{ status: number; body: unknown }> {
		const body = route.startsWith('GET') ? {} : await readJson(request);
		switch (route) {
			case 'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews':
				return { status: 200, body: (this.reviews.get(id) ?? []).map(({ comments: _comments, ...review }) => review) };
			case 'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews':
				return this.createReview(id, body);
			case 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments':
				return { status: 200, body: this.issueComments.get(id) ?? [] };
			case 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments': {
				const comment = this.comment(id, String(body.body ?? ''));
				this.issueComments.set(id, [...(this.issueComments.get(id) ?? []), comment]);
				return { status: 201, body: comment };
			}
			default: {
				for (const comments of this.issueComments.values()) {
					const index = comments.findIndex((comment) => comment.id === id);
					if (index < 0) continue;
					comments[index] = { ...comments[index], body: String(body.body ?? ''), updated_at: new Date().toISOString() };
					return { status: 200, body: comments[index] };
				}
				return { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } };
			}
		}
	}

	private async createReview(number: number, body: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
		const pull = this.pulls.get(number);
		if (!pull) return { status: 404, body: { message: 'Not Found' } };
		const comments = (body.comments ?? []) as StoredReview['comments'];
		const hunks = await this.hunkRanges(pull.base, pull.head);
		for (const comment of comments) {
			const ranges = hunks.get(comment.path) ?? [];
			const side = comment.side ?? 'RIGHT';
			if (!ranges.some((range) => (side === 'RIGHT' ? range.right : range.left).some(([from, to]) => comment.line >= from && comment.line <= to))) {
				return { status: 422, body: { message: 'Unprocessable Entity', errors: ['Line could not be resolved'], documentation_url: 'https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request', status: '422' } };
			}
		}
		const id = this.nextId++;
		const review: StoredReview = {
			id,
			node_id: Buffer.from(`review:${id}`).toString('base64'),
			user: null,
			body: String(body.body ?? ''),
			state: 'COMMENTED',
			html_url: `${this.web}/pull/${number}#pullrequestreview-${id}`,
			pull_request_url: `${this.web}/pull/${number}`,
			_links: { html: { href: `${this.web}/pull/${number}#pullrequestreview-${id}` }, pull_request: { href: `${this.web}/pull/${number}` } },
			submitted_at: new Date().toISOString(),
			commit_id: String(body.commit_id ?? ''),
			author_association: 'NONE',
			comments,
		};
		this.reviews.set(number, [...(this.reviews.get(number) ?? []), review]);
		const { comments: _comments, ...answer } = review;
		return { status: 200, body: answer };
	}

	private comment(issue: number, body: string): Schemas['issue-comment'] {
		const id = this.nextId++;
		const now = new Date().toISOString();
		return { id, node_id: Buffer.from(`comment:${id}`).toString('base64'), url: `${this.web}/issues/comments/${id}`, body, html_url: `${this.web}/issues/${issue}#issuecomment-${id}`, user: null, created_at: now, updated_at: now, issue_url: `${this.web}/issues/${issue}`, author_association: 'NONE' };
	}

	/** Per file, the old (LEFT) and new (RIGHT) line ranges of the diff hunks, from git's hunk headers. */
	private async hunkRanges(base: string, head: string): Promise<Map<string, Array<{ left: Array<[number, number]>; right: Array<[number, number]> }>>> {
		const diff = await new Promise<string>((resolve) =>
			execFile('git', ['-C', this.repoPath, 'diff', '--no-color', '-U3', `${base}...${head}`], { maxBuffer: 1 << 28 }, (_error, stdout) => resolve(stdout)),
		);
		const ranges = new Map<string, Array<{ left: Array<[number, number]>; right: Array<[number, number]> }>>();
		let path = '';
		for (const line of diff.split('\n')) {
			if (line.startsWith('+++ ')) path = line.replace(/^\+\+\+ (b\/)?/, '');
			const header = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
			if (!header) continue;
			const [oldStart, oldCount, newStart, newCount] = [Number(header[1]), Number(header[2] ?? 1), Number(header[3]), Number(header[4] ?? 1)];
			const entry = { left: [[oldStart, oldStart + oldCount - 1]] as Array<[number, number]>, right: [[newStart, newStart + newCount - 1]] as Array<[number, number]> };
			ranges.set(path, [...(ranges.get(path) ?? []), entry]);
		}
		return ranges;
	}
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	const text = Buffer.concat(chunks).toString('utf8');
	return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}
