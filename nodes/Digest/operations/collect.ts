import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { collectDigestChanges, DigestStore, GitHubHistory } from '../../../lib/digest';
import { createSource } from '../../../lib/source';
import type { OpenDigestStore } from '../store';
import { InvalidInputError } from '../../../lib/errors';
import { githubOwnerRepo } from '../../../lib/source/repository-key';
import { beforeVersion, refLocator, repositoryFrom, repositoryLocator } from '../../shared/repository-locator';

/** The first version of Digest that picks the repository and ref (resource locators). */
export const DIGEST_PICKERS_SINCE = 1.1;

const show = { operation: ['collectChanges'] };

export const collectProperties: INodeProperties[] = [
	...beforeVersion([
		{ displayName: 'Owner', name: 'owner', type: 'string', default: '', required: true, placeholder: 'octocat', displayOptions: { show } },
		{ displayName: 'Repository', name: 'repository', type: 'string', default: '', required: true, placeholder: 'hello-world', displayOptions: { show } },
		{ displayName: 'Ref', name: 'ref', type: 'string', default: 'main', required: true, description: 'Branch (or tag) whose changes are reported', displayOptions: { show } },
	], DIGEST_PICKERS_SINCE),
	repositoryLocator({ since: DIGEST_PICKERS_SINCE, show, githubOnly: true, description: 'The GitHub repository: pick an indexed one, or give its key (github:owner/repo) or URL' }),
	refLocator({ since: DIGEST_PICKERS_SINCE, show, description: 'Branch (or tag) whose changes are reported; the list shows the refs indexed for the repository' }),
	{ displayName: 'Digest Name', name: 'digestName', type: 'string', default: 'weekly', required: true, description: 'Each name remembers its own last digest, so one repository can have several digests', displayOptions: { show } },
	{
		displayName: 'Start From',
		name: 'since',
		type: 'string',
		default: '',
		placeholder: 'v1.2.0',
		description: 'Commit or ref the first digest starts from. Empty: the first run only remembers the current commit and reports nothing.',
		displayOptions: { show },
	},
	{
		displayName: 'When Nothing Changed',
		name: 'whenNothingChanged',
		type: 'options',
		options: [
			{ name: 'Output Nothing', value: 'skip', description: 'No item: the workflow ends and no e-mail is sent' },
			{ name: 'Output an Item', value: 'output', description: 'An item with changed = false (e.g. for a short "no changes" e-mail)' },
		],
		default: 'skip',
		displayOptions: { show },
	},
];

/** Changes of a GitHub repository's ref since its last digest; no item when nothing changed (unless asked). */
export async function collectOperation(context: IExecuteFunctions, itemIndex: number, open: () => Promise<OpenDigestStore>): Promise<IDataObject[]> {
	const credentials = await context.getCredentials('repoMindGitHubApi', itemIndex);
	const { owner, repo, ref } = githubRepositoryOf(context, itemIndex);
	const github = {
		owner,
		repo,
		token: (credentials.accessToken as string) || undefined,
		baseUrl: (credentials.baseUrl as string) || undefined,
	};
	const source = createSource({ kind: 'github', ...github });
	const store: DigestStore = (await open()).store;
	const changes = await collectDigestChanges(source, new GitHubHistory(github), store, {
		ref,
		digestName: String(context.getNodeParameter('digestName', itemIndex)).trim(),
		since: context.getNodeParameter('since', itemIndex, '') as string,
	});
	if (!changes.changed && context.getNodeParameter('whenNothingChanged', itemIndex) === 'skip') return [];
	return [changes as unknown as IDataObject];
}

/** Owner, name and ref of the GitHub repository: typed separately in version 1, picked (or a key or URL) later. */
function githubRepositoryOf(context: IExecuteFunctions, itemIndex: number): { owner: string; repo: string; ref: string } {
	if (context.getNode().typeVersion < DIGEST_PICKERS_SINCE) {
		const text = (name: string) => String(context.getNodeParameter(name, itemIndex)).trim();
		return { owner: text('owner'), repo: text('repository'), ref: text('ref') };
	}
	const { repoKey, ref } = repositoryFrom(context, itemIndex);
	const github = githubOwnerRepo(repoKey);
	if (!github) throw new InvalidInputError(`"${repoKey}" is not a GitHub repository`, 'Digest reads the history from GitHub: pick a github: repository, or give github:owner/repo or https://github.com/owner/repo');
	if (!ref) throw new InvalidInputError('Ref is empty', 'Pick the branch or tag whose changes are reported');
	return { ...github, ref };
}
