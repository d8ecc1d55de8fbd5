import type { ChangeHistory } from '../retrieve/related-files';
import type { DiffSource } from '../review/diff';
import type { RepoSource } from '../types';
import { GitHubSource, type GitHubSourceOptions } from './github';
import { LocalGitSource, type LocalGitSourceOptions } from './local-git';

export { checkGitHubAccess, type GitHubAccess } from './github-access';
export { GITHUB_API_URL, githubRequestError } from './github-client';
export type { GitHubClientOptions, GitHubErrorContext } from './github-client';
export { GitHubSource, type GitHubSourceOptions } from './github';
export { LocalGitSource, type LocalGitSourceOptions } from './local-git';
export { diffTrees } from './tree-diff';

/** Which repository to read: a GitHub repository or a git repository on this machine. */
export type SourceConfig =
	| ({ kind: 'github' } & GitHubSourceOptions)
	| ({ kind: 'local' } & LocalGitSourceOptions);

/** A source that may hold resources (the local git reader process) until `close()`. */
export type ClosableSource = RepoSource & ChangeHistory & DiffSource & { close?(): Promise<void> };

/** Create the repository source a configuration describes. */
export function createSource(config: SourceConfig): ClosableSource {
	if (config.kind === 'github') return new GitHubSource(config);
	return new LocalGitSource(config);
}
