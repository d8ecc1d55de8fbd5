import { InvalidInputError } from '../errors';
import type { GitSha } from '../types';

/** The pull request actions that ask for a review: new code to look at. */
export const REVIEW_ACTIONS = ['opened', 'synchronize', 'reopened', 'ready_for_review'] as const;
/** The issue actions that ask for triage. */
export const TRIAGE_ACTIONS = ['opened'] as const;

/** What RepoMind needs from a GitHub `pull_request` event. */
export interface PullRequestSummary {
	action: string;
	/** `github:owner/repo` of the base repository, lower case, as the index keys it. */
	repo: string;
	owner: string;
	repository: string;
	fullName: string;
	number: number;
	title: string;
	/** Untrusted text written by the author. */
	body: string;
	author: string | null;
	url: string;
	draft: boolean;
	/** The head branch lives in another repository (a fork). */
	fork: boolean;
	base: { ref: string; sha: GitSha };
	head: { ref: string; sha: GitSha; fullName: string | null };
	/** For `synchronize`: the head before this push. */
	before: GitSha | null;
}

/** What RepoMind needs from a GitHub `issues` event. */
export interface IssueSummary {
	action: string;
	repo: string;
	owner: string;
	repository: string;
	fullName: string;
	defaultBranch: string;
	number: number;
	title: string;
	/** Untrusted text written by the author. */
	body: string;
	author: string | null;
	url: string;
}

const SHA = /^[0-9a-f]{40}$/;

/** Reads a pull_request payload; throws InvalidInputError naming the missing or malformed field. */
export function parsePullRequestEvent(payload: unknown): PullRequestSummary {
	const event = objectAt(payload, 'payload');
	const pull = objectAt(event.pull_request, 'pull_request');
	const repository = repositoryOf(event);
	const base = objectAt(pull.base, 'pull_request.base');
	const head = objectAt(pull.head, 'pull_request.head');
	const headRepo = head.repo && typeof head.repo === 'object' ? (head.repo as Record<string, unknown>) : null;
	const headFullName = typeof headRepo?.full_name === 'string' ? headRepo.full_name : null;
	return {
		action: stringAt(event.action, 'action'),
		...repository,
		number: numberAt(pull.number ?? event.number, 'pull_request.number'),
		title: String(pull.title ?? ''),
		body: String(pull.body ?? ''),
		author: loginOf(pull.user),
		url: String(pull.html_url ?? ''),
		draft: pull.draft === true,
		fork: headFullName === null || headFullName.toLowerCase() !== repository.fullName.toLowerCase(),
		base: { ref: stringAt(base.ref, 'pull_request.base.ref'), sha: shaAt(base.sha, 'pull_request.base.sha') },
		head: { ref: stringAt(head.ref, 'pull_request.head.ref'), sha: shaAt(head.sha, 'pull_request.head.sha'), fullName: headFullName },
		before: typeof event.before === 'string' && SHA.test(event.before) ? event.before : null,
	};
}

/** Reads an issues payload; throws InvalidInputError naming the missing or malformed field. */
export function parseIssueEvent(payload: unknown): IssueSummary {
	const event = objectAt(payload, 'payload');
	const issue = objectAt(event.issue, 'issue');
	const repository = objectAt(event.repository, 'repository');
	return {
		action: stringAt(event.action, 'action'),
		...repositoryOf(event),
		defaultBranch: stringAt(repository.default_branch, 'repository.default_branch'),
		number: numberAt(issue.number, 'issue.number'),
		title: String(issue.title ?? ''),
		body: String(issue.body ?? ''),
		author: loginOf(issue.user),
		url: String(issue.html_url ?? ''),
	};
}

function repositoryOf(event: Record<string, unknown>) {
	const repository = objectAt(event.repository, 'repository');
	const fullName = stringAt(repository.full_name, 'repository.full_name');
	const [owner, name] = fullName.split('/');
	if (!owner || !name) throw new InvalidInputError(`repository.full_name is not owner/repo: ${fullName}`);
	return { repo: `github:${fullName.toLowerCase()}`, owner, repository: name, fullName };
}

function loginOf(user: unknown): string | null {
	return user && typeof user === 'object' && typeof (user as { login?: unknown }).login === 'string' ? (user as { login: string }).login : null;
}

function objectAt(value: unknown, field: string): Record<string, unknown> {
	if (!value || typeof value !== 'object' || Array.isArray(value)) throw new InvalidInputError(`The event has no ${field} object`);
	return value as Record<string, unknown>;
}

function stringAt(value: unknown, field: string): string {
	if (typeof value !== 'string' || !value) throw new InvalidInputError(`The event has no ${field}`);
	return value;
}

function numberAt(value: unknown, field: string): number {
	if (!Number.isInteger(value)) throw new InvalidInputError(`The event has no ${field}`);
	return value as number;
}

function shaAt(value: unknown, field: string): GitSha {
	if (typeof value !== 'string' || !SHA.test(value)) throw new InvalidInputError(`The event's ${field} is not a commit SHA`);
	return value;
}
