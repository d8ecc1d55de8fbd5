import type { INodeProperties } from 'n8n-workflow';

/** Where the webhook listens and which pushes start the workflow. */
export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		default: 'repomind-github',
		required: true,
		description: 'The webhook URL is &lt;n8n URL&gt;/webhook/&lt;path&gt;; set it as the Payload URL of the GitHub webhook (content type JSON)',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: [
			{ name: 'Push', value: 'push', description: 'A push to a branch (or tag): re-index' },
			{ name: 'Pull Request', value: 'pull_request', description: 'Opened, synchronize, reopened, ready_for_review: review the change' },
			{ name: 'Issue Opened', value: 'issues', description: 'A new issue: triage it' },
		],
		default: ['push'],
		description: 'Which GitHub events start the workflow; subscribe the GitHub webhook to the same events. The output\'s event field tells them apart.',
	},
	{
		displayName: 'Repositories',
		name: 'repositories',
		type: 'string',
		default: '',
		placeholder: 'octo-org/app, octo-org/docs',
		description: 'Comma- or newline-separated owner/repo names this trigger serves; a push for another repository gets 422 and nothing runs. Empty: any repository.',
	},
	{
		displayName: 'Branches',
		name: 'branches',
		type: 'string',
		default: '',
		placeholder: 'main, release/*',
		description: 'Comma- or newline-separated branch globs; pushes to other branches are answered 202 and ignored. Empty: every branch.',
	},
	{
		displayName: 'Include Tags',
		name: 'includeTags',
		type: 'boolean',
		default: false,
		description: 'Whether pushes of tags start the workflow too (ref is then the tag name)',
	},
	{
		displayName: 'Other Events',
		name: 'otherEvents',
		type: 'options',
		options: [
			{ name: 'Ignore (Answer 202)', value: 'ignore', description: 'GitHub sees a successful delivery; nothing runs' },
			{ name: 'Reject (Answer 400)', value: 'reject', description: 'GitHub shows the delivery as failed; nothing runs' },
		],
		default: 'ignore',
		description: 'What events other than push and ping get',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Review Drafts',
				name: 'reviewDrafts',
				type: 'boolean',
				default: false,
				description: 'Whether draft pull requests start the workflow (ready_for_review always does)',
			},
			{
				displayName: 'Review Forks',
				name: 'reviewForks',
				type: 'boolean',
				default: true,
				description: 'Whether pull requests from forks start the workflow. RepoMind only ever posts comments and COMMENT reviews on them, never approvals or changes.',
			},
			{
				displayName: 'Commit List Cap',
				name: 'commitListCap',
				type: 'number',
				default: 20,
				typeOptions: { minValue: 1 },
				description: 'A payload listing at least this many commits may have been cut by GitHub: its changed files are then marked incomplete and compareBase is the last indexed commit',
			},
		],
	},
];
