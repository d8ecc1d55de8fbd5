import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { repoMindCredentialTests } from '../shared/credential-test';
import { mapItems } from '../shared/items';
import { collectOperation, collectProperties, DIGEST_PICKERS_SINCE } from './operations/collect';
import { repositoryListSearch } from '../shared/repository-locator';
import { composeOperation, composeProperties } from './operations/compose';
import { recordOperation, recordProperties } from './operations/record';
import { openDigestStore, type OpenDigestStore } from './store';

// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool -- records digests in MySQL; write operations are never offered to agents
export class Digest implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RepoMind Digest',
		name: 'repoMindDigest',
		icon: 'file:digest.svg',
		group: ['transform'],
		version: [1, DIGEST_PICKERS_SINCE],
		defaultVersion: DIGEST_PICKERS_SINCE,
		subtitle: '={{$parameter["operation"]}}',
		description: 'What changed in a repository since its last digest, the digest e-mail, and remembering it was sent',
		defaults: { name: 'Digest' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'repoMindGitHubApi', displayName: 'GitHub Access', required: true, testedBy: 'repoMindGitHubConnectionTest', displayOptions: { show: { operation: ['collectChanges'] } } },
			// eslint-disable-next-line n8n-nodes-base/node-class-description-credentials-name-unsuffixed -- a database credential, like n8n's mySql
			{ name: 'repoMindMySql', displayName: 'MySQL for Digest State', required: true, testedBy: 'repoMindMySqlConnectionTest', displayOptions: { show: { operation: ['collectChanges', 'recordDigest'] } } },
		],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Collect Changes Since Last Digest', value: 'collectChanges', action: 'Collect changes since the last digest', description: 'Commits and changed files of a GitHub ref since the digest was last recorded, with links' },
					{ name: 'Compose Email', value: 'composeEmail', action: 'Compose the digest email', description: 'Subject, text and HTML from the changes and the summary of RepoMind Generate' },
					{ name: 'Record Digest Sent', value: 'recordDigest', action: 'Record that the digest was sent', description: 'Remember the commit the digest covered; the next digest starts there' },
				],
				default: 'collectChanges',
			},
			...collectProperties,
			...composeProperties,
			...recordProperties,
		],
	};

	methods = { credentialTest: repoMindCredentialTests, listSearch: repositoryListSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		let store: Promise<OpenDigestStore> | undefined;
		const open = () => {
			store ??= openDigestStore(this);
			store.catch(() => (store = undefined));
			return store;
		};
		try {
			const output = await mapItems(this, async (itemIndex, item) => {
				const operation = this.getNodeParameter('operation', itemIndex) as string;
				if (operation === 'collectChanges') return collectOperation(this, itemIndex, open);
				if (operation === 'composeEmail') return composeOperation(this, itemIndex, item.json);
				return recordOperation(this, itemIndex, open);
			});
			return [output];
		} finally {
			if (store) await (await store.catch(() => undefined))?.close();
		}
	}
}
