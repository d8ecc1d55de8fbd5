import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/** The secret GitHub signs webhook deliveries with (`X-Hub-Signature-256`); nothing to test against. */
export class RepoMindGitHubWebhookApi implements ICredentialType {
	name = 'repoMindGitHubWebhookApi';

	displayName = 'RepoMind GitHub Webhook API';

	icon = 'file:icons/github.svg' as const;

	documentationUrl = 'https://github.com/repomind/n8n-nodes-repomind/blob/main/docs/credentials/github-webhook.md';

	properties: INodeProperties[] = [
		{
			displayName: 'Webhook Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The "Secret" of the GitHub webhook (Settings → Webhooks). Use a long random value, e.g. openssl rand -hex 32.',
		},
	];
}
