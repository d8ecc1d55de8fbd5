import { groupByArea } from '../generate/changes';
import type { GitSha, RepoSource } from '../types';
import type { DigestStore } from './digest-store';
import type { CommitRange, DigestCommit } from './github-history';

/** One changed file of a digest, with a link to it. */
export interface DigestFile {
	status: string;
	path: string;
	previousPath?: string;
	url: string;
}

/** What changed in a repository since its last digest. */
export interface DigestChanges {
	repo: string;
	ref: string;
	digest: string;
	/** The commit the last digest covered (null on the first run). */
	base: GitSha | null;
	head: GitSha;
	/** False when there is nothing to report (no new commit, no changed file, or the first run). */
	changed: boolean;
	/** True on the first run without a start commit: head is remembered, nothing is reported. */
	baselineRecorded: boolean;
	lastDigestAt: string | null;
	commits: DigestCommit[];
	totalCommits: number;
	/** In the shape RepoMind Generate's "Summarize Changes" reads. */
	changes: DigestFile[];
	areas: Array<{ area: string; files: number }>;
	compareUrl: string | null;
	webUrl: string;
}

/** The history port: commits and links between two commits. */
export interface CommitHistory {
	commitsBetween(base: GitSha, head: GitSha): Promise<CommitRange>;
	webUrl(): Promise<string>;
}

export interface CollectOptions {
	ref: string;
	/** Name of the digest, so one repository can have several (e.g. `weekly`). */
	digestName: string;
	/** Commit or ref to start from when no digest was recorded yet; empty: record a baseline. */
	since?: string;
}

/** Changes of the ref since the last recorded digest (nothing is recorded here, except a first baseline). */
export async function collectDigestChanges(source: RepoSource, history: CommitHistory, store: DigestStore, options: CollectOptions): Promise<DigestChanges> {
	const head = await source.resolveRef(options.ref);
	const last = await store.last(source.repoKey, options.ref, options.digestName);
	const base = last?.commitSha ?? (options.since?.trim() ? await source.resolveRef(options.since.trim()) : null);
	const result: DigestChanges = {
		repo: source.repoKey,
		ref: options.ref,
		digest: options.digestName,
		base,
		head,
		changed: false,
		baselineRecorded: false,
		lastDigestAt: last ? last.sentAt.toISOString() : null,
		commits: [],
		totalCommits: 0,
		changes: [],
		areas: [],
		compareUrl: null,
		webUrl: '',
	};
	if (base === null) {
		await store.record({ repoKey: source.repoKey, ref: options.ref, digestName: options.digestName, commitSha: head, commitCount: 0, fileCount: 0, recipients: null });
		return { ...result, baselineRecorded: true, webUrl: await history.webUrl() };
	}
	if (base === head) return { ...result, webUrl: await history.webUrl() };
	const [range, fileChanges] = await Promise.all([history.commitsBetween(base, head), source.compare(base, head)]);
	const changes = fileChanges.map((change) => ({
		status: change.status,
		path: change.path,
		...(change.previousPath ? { previousPath: change.previousPath } : {}),
		url: `${range.webUrl}/blob/${change.status === 'removed' ? base : head}/${encodePath(change.path)}`,
	}));
	return {
		...result,
		changed: changes.length > 0,
		commits: range.commits,
		totalCommits: range.totalCommits,
		changes,
		areas: groupByArea(changes).map((area) => ({ area: area.area, files: area.files.length })),
		compareUrl: range.compareUrl,
		webUrl: range.webUrl,
	};
}

function encodePath(path: string): string {
	return path.split('/').map(encodeURIComponent).join('/');
}
