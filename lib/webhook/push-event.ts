import { InvalidInputError } from '../errors';
import type { GitSha } from '../types';

export const ZERO_SHA = '0000000000000000000000000000000000000000';

/** A file changed by a push, from the commit lists of the payload. */
export interface PushedFile {
	status: 'added' | 'modified' | 'removed';
	path: string;
}

/** Why the payload's file list cannot be trusted as the whole change. */
export type IncompleteReason = 'forced' | 'created' | 'commit-list-capped' | 'file-list-missing';

/** What RepoMind needs from a GitHub `push` event. */
export interface PushSummary {
	/** `github:owner/repo`, lower case, as the index keys it. */
	repo: string;
	owner: string;
	repository: string;
	/** `owner/repo` as GitHub spells it. */
	fullName: string;
	/** Branch or tag name, e.g. `main` (what the sync indexes). */
	ref: string;
	/** The full git ref, e.g. `refs/heads/main`. */
	gitRef: string;
	refType: 'branch' | 'tag';
	before: GitSha;
	after: GitSha;
	created: boolean;
	deleted: boolean;
	forced: boolean;
	commitCount: number;
	headCommit: { id: string; message: string; url: string } | null;
	compareUrl: string | null;
	pusher: string | null;
	/** Net file changes of the listed commits (a file added then removed is not listed). */
	changedFiles: PushedFile[];
	/** True when changedFiles is exactly the change from `before` to `after`. */
	changesComplete: boolean;
	incompleteReasons: IncompleteReason[];
}

export interface PushParseOptions {
	/** A payload with at least this many commits may be capped by GitHub. Default 20. */
	commitListCap?: number;
}

interface PayloadCommit {
	id?: unknown;
	message?: unknown;
	url?: unknown;
	added?: unknown;
	removed?: unknown;
	modified?: unknown;
}

const SHA = /^[0-9a-f]{40}$/;

/** Reads a push payload; throws InvalidInputError naming the missing or malformed field. */
export function parsePushEvent(payload: unknown, options: PushParseOptions = {}): PushSummary {
	const body = asObject(payload, 'The push payload is not a JSON object');
	const repository = asObject(body.repository, 'The push payload has no repository');
	const fullName = stringField(repository.full_name, 'repository.full_name');
	const [owner, name] = fullName.split('/');
	if (!owner || !name) throw new InvalidInputError(`repository.full_name "${fullName}" is not owner/repo`);
	const gitRef = stringField(body.ref, 'ref');
	const before = shaField(body.before, 'before');
	const after = shaField(body.after, 'after');
	const refType = gitRef.startsWith('refs/tags/') ? 'tag' : 'branch';
	const ref = gitRef.replace(/^refs\/(heads|tags)\//, '');
	const commits = Array.isArray(body.commits) ? (body.commits as PayloadCommit[]) : [];
	const deleted = body.deleted === true || after === ZERO_SHA;
	const created = body.created === true || before === ZERO_SHA;
	const forced = body.forced === true;
	const reasons: IncompleteReason[] = [];
	if (forced) reasons.push('forced');
	if (created && !deleted) reasons.push('created');
	if (commits.length >= (options.commitListCap ?? 20)) reasons.push('commit-list-capped');
	if (commits.some((commit) => fileList(commit.added).length + fileList(commit.removed).length + fileList(commit.modified).length === 0)) {
		reasons.push('file-list-missing');
	}
	const head = body.head_commit as PayloadCommit | null | undefined;
	const pusher = (body.pusher as { name?: unknown } | undefined)?.name;
	return {
		repo: `github:${fullName.toLowerCase()}`,
		owner,
		repository: name,
		fullName,
		ref,
		gitRef,
		refType,
		before,
		after,
		created,
		deleted,
		forced,
		commitCount: commits.length,
		headCommit: head && typeof head.id === 'string' ? { id: head.id, message: String(head.message ?? ''), url: String(head.url ?? '') } : null,
		compareUrl: typeof body.compare === 'string' ? body.compare : null,
		pusher: typeof pusher === 'string' ? pusher : null,
		changedFiles: deleted ? [] : netChanges(commits),
		changesComplete: !deleted && reasons.length === 0,
		incompleteReasons: deleted ? [] : reasons,
	};
}

/** The net effect of the commits in order, by path, sorted by path. */
export function netChanges(commits: PayloadCommit[]): PushedFile[] {
	const state = new Map<string, PushedFile['status']>();
	for (const commit of commits) {
		for (const path of fileList(commit.removed)) {
			if (state.get(path) === 'added') state.delete(path);
			else state.set(path, 'removed');
		}
		for (const path of fileList(commit.added)) state.set(path, state.get(path) === 'removed' ? 'modified' : 'added');
		for (const path of fileList(commit.modified)) if (state.get(path) !== 'added') state.set(path, 'modified');
	}
	return [...state].map(([path, status]) => ({ status, path })).sort((a, b) => (a.path < b.path ? -1 : 1));
}

function fileList(value: unknown): string[] {
	return Array.isArray(value) ? value.filter((path): path is string => typeof path === 'string' && path.length > 0) : [];
}

function asObject(value: unknown, message: string): Record<string, unknown> {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidInputError(message);
	return value as Record<string, unknown>;
}

function stringField(value: unknown, field: string): string {
	if (typeof value !== 'string' || !value) throw new InvalidInputError(`The push payload has no ${field}`);
	return value;
}

function shaField(value: unknown, field: string): GitSha {
	const sha = stringField(value, field);
	if (!SHA.test(sha)) throw new InvalidInputError(`The push payload's ${field} "${sha.slice(0, 60)}" is not a commit SHA`);
	return sha;
}
