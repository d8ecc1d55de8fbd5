import type { INodeProperties } from 'n8n-workflow';

/** Where to post and what. */
export const reviewPostProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Post Issue Comment', value: 'postIssueComment', action: 'Comment on an issue', description: 'One comment with the related files (links to lines at the indexed commit) and the draft answer, updated in place on a re-run' },
			{ name: 'Post Pull Request Review', value: 'postReview', action: 'Review a pull request', description: 'One COMMENT review with line comments per head commit; a re-run for the same commit posts nothing' },
		],
		default: 'postReview',
	},
	{ displayName: 'Owner', name: 'owner', type: 'string', default: '={{ $(\'GitHub Trigger\').item.json.owner }}', required: true },
	{ displayName: 'Repository', name: 'repository', type: 'string', default: '={{ $(\'GitHub Trigger\').item.json.repository }}', required: true },
	{ displayName: 'Number', name: 'number', type: 'number', default: 0, required: true, description: 'The pull request or issue number' },
	{ displayName: 'Head SHA', name: 'headSha', type: 'string', default: '', required: true, displayOptions: { show: { operation: ['postReview'] } }, description: 'The pull request head commit the review is for (the trigger\'s head.sha)' },
];
