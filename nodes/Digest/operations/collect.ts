import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { collectDigestChanges, DigestStore, GitHubHistory } from '../../../lib/digest';
import { createSource } from '../../../lib/source';
import type { OpenDigestStore } from '../store';

const show = { operation: ['collectChanges'] };

export const collectProperties: INodeProperties[] = [
	{ displayName: 'Owner', name: 'owner', type: 'string', default: '', required: true, placeholder: 'octocat', displayOptions: { show } },
	{ displayName: 'Repository', name: 'repository', type: 'string', default: '', required: true, placeholder: 'hello-world', displayOptions: { show } },
	{ displayName: 'Ref', name: 'ref', type: 'string', default: 'main', required: true, description: 'Branch (or tag) whose changes are reported', displayOptions: { show } },
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
	const github = {
		owner: String(context.getNodeParameter('owner', itemIndex)).trim(),
		repo: String(context.getNodeParameter('repository', itemIndex)).trim(),
		token: (credentials.accessToken as string) || undefined,
		baseUrl: (credentials.baseUrl as string) || undefined,
	};
	const source = createSource({ kind: 'github', ...github });
	const store: DigestStore = (await open()).store;
	const changes = await collectDigestChanges(source, new GitHubHistory(github), store, {
		ref: String(context.getNodeParameter('ref', itemIndex)).trim(),
		digestName: String(context.getNodeParameter('digestName', itemIndex)).trim(),
		since: context.getNodeParameter('since', itemIndex, '') as string,
	});
	if (!changes.changed && context.getNodeParameter('whenNothingChanged', itemIndex) === 'skip') return [];
	return [changes as unknown as IDataObject];
}
