import type { RepoSource } from '../types';
import { GitHubSource, type GitHubSourceOptions } from './github';
import { LocalGitSource, type LocalGitSourceOptions } from './local-git';

export { checkGitHubAccess, githubRequestError, GITHUB_API_URL } from './github-client';
export type { GitHubAccess, GitHubClientOptions, GitHubErrorContext } from './github-client';
export { GitHubSource, type GitHubSourceOptions } from './github';
export { LocalGitSource, type LocalGitSourceOptions } from './local-git';
export { diffTrees } from './tree-diff';

export type SourceConfig =
	| ({ kind: 'github' } & GitHubSourceOptions)
	| ({ kind: 'local' } & LocalGitSourceOptions);

/** Create the repository source a configuration describes. */
export function createSource(config: SourceConfig): RepoSource & { close?(): Promise<void> } {
	if (config.kind === 'github') return new GitHubSource(config);
	return new LocalGitSource(config);
}
