import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { GitHubReviewPoster } from '../../lib/review';
import { repoMindCredentialTests } from '../shared/credential-test';
import { mapItems } from '../shared/items';
import { reviewPostProperties } from './description';
import { postItem } from './post';

// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool -- it writes to GitHub from workflow items (a review, a comment); agents should not post on their own
export class GitHubReview implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RepoMind GitHub Review',
		name: 'repoMindGitHubReview',
		icon: 'file:githubReview.svg',
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Post a RepoMind review on a pull request (once per head commit) or a triage comment on an issue',
		defaults: { name: 'Post to GitHub' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'repoMindGitHubApi', displayName: 'GitHub Access', required: true, testedBy: 'repoMindGitHubConnectionTest' }],
		properties: reviewPostProperties,
	};

	methods = { credentialTest: repoMindCredentialTests };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const credentials = await this.getCredentials('repoMindGitHubApi');
		const poster = new GitHubReviewPoster({ token: (credentials.accessToken as string) || undefined, baseUrl: (credentials.baseUrl as string) || undefined });
		const output = await mapItems(this, async (itemIndex, item) => [await postItem(this, itemIndex, item.json, poster)]);
		return [output];
	}
}
