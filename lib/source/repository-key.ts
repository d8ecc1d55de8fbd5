import { isAbsolute } from 'node:path';
import { InvalidInputError } from '../errors';
import type { RepoKey } from '../types';
import { realPathOrResolved } from './local-git';

/** A repository key as the index stores it: `github:owner/repo` (lower case) or `local:<name or absolute path>`. */
export const REPOSITORY_KEY_PATTERN = '^(github:[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+|local:\\S.*)$';

/** A GitHub web URL of a repository, optionally with `/tree/<ref>`: https://github.com/owner/repo/tree/main. */
export const GITHUB_URL_PATTERN = '^https?://[^/\\s]+/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?(\\.git)?(/tree/\\S+)?/?$';

/** Where a repository is: its index key, and the ref a URL named (`/tree/<ref>`), if any. */
export interface RepositoryLocation {
	repoKey: RepoKey;
	ref?: string;
}

const HINT = 'Use a key the index knows (github:owner/repo or local:<name>), a GitHub URL such as https://github.com/owner/repo, or the absolute path of a local clone';

/** The index key of a GitHub repository (keys are lower case, as the sync writes them). */
export function githubRepositoryKey(owner: string, repo: string): RepoKey {
	return `github:${owner}/${repo}`.toLowerCase();
}

/**
 * The repository a user named: a key (`github:owner/repo`, `local:…`), a GitHub URL (with `/tree/<ref>`
 * when it names a ref; GitHub Enterprise hosts too), `owner/repo`, or the absolute path of a local clone
 * (the key a Local Git Clone source gets when it has no Repository Key). Throws InvalidInputError otherwise.
 */
export function parseRepositoryLocation(input: string): RepositoryLocation {
	const text = input.trim();
	if (!text) throw new InvalidInputError('No repository given', HINT);
	const github = /^github:([\w.-]+)\/([\w.-]+)$/i.exec(text);
	if (github) return { repoKey: githubRepositoryKey(github[1], github[2]) };
	if (/^local:\S/.test(text)) return { repoKey: text };
	if (/^https?:\/\//i.test(text)) return fromUrl(text);
	if (isAbsolute(text)) return { repoKey: `local:${realPathOrResolved(text)}` };
	const ownerRepo = /^([\w.-]+)\/([\w.-]+?)(\.git)?$/.exec(text);
	if (ownerRepo) return { repoKey: githubRepositoryKey(ownerRepo[1], ownerRepo[2]) };
	throw new InvalidInputError(`"${text}" is not a repository key, GitHub URL or local path`, HINT);
}

/** The owner and name of a `github:` key; null for other keys. */
export function githubOwnerRepo(repoKey: RepoKey): { owner: string; repo: string } | null {
	const match = /^github:([\w.-]+)\/([\w.-]+)$/.exec(repoKey);
	return match ? { owner: match[1], repo: match[2] } : null;
}

/** The GitHub web URL of a `github:` key (github.com); undefined for other keys. */
export function githubWebUrl(repoKey: RepoKey, ref?: string): string | undefined {
	const github = githubOwnerRepo(repoKey);
	if (!github) return undefined;
	const base = `https://github.com/${github.owner}/${github.repo}`;
	return ref ? `${base}/tree/${ref}` : base;
}

function fromUrl(text: string): RepositoryLocation {
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw new InvalidInputError(`"${text}" is not a valid URL`, HINT);
	}
	const parts = url.pathname.split('/').filter(Boolean).map((part) => decodeURIComponent(part));
	const [owner, rawRepo, kind, ...rest] = parts;
	const repo = rawRepo?.replace(/\.git$/, '');
	const named = /^[\w.-]+$/;
	if (!owner || !repo || !named.test(owner) || !named.test(repo) || (kind !== undefined && (kind !== 'tree' || rest.length === 0))) {
		throw new InvalidInputError(`"${text}" is not the URL of a GitHub repository`, 'Use https://github.com/owner/repo, or https://github.com/owner/repo/tree/<ref> for a branch or tag');
	}
	const location: RepositoryLocation = { repoKey: githubRepositoryKey(owner, repo) };
	if (rest.length) location.ref = rest.join('/');
	return location;
}
