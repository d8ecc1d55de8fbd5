import {
	NodeConnectionTypes,
	type IDataObject,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { handleDelivery, type DeliveryConfig } from '../../lib/webhook';
import { repoMindMySqlConnectionTest } from '../shared/credential-test';
import { repoMindWebhookSecretTest } from './secret-test';
import { splitList } from '../shared/items';
import { triggerProperties } from './description';
import { openDeliveryPorts } from './ports';

// eslint-disable-next-line @n8n/community-nodes/webhook-lifecycle-complete -- the webhook is added in GitHub by hand with its secret; RepoMind holds no admin token to register it
export class GitHubTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RepoMind GitHub Trigger',
		name: 'repoMindGitHubTrigger',
		icon: 'file:githubTrigger.svg',
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["repositories"] || "any repository"}}',
		description: 'Starts the workflow on a signed GitHub push: verifies X-Hub-Signature-256, filters repositories and branches, runs a redelivery again only when the index does not show its push',
		defaults: { name: 'GitHub Push' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'repoMindGitHubWebhookApi', displayName: 'GitHub Webhook Secret', required: true, testedBy: 'repoMindWebhookSecretTest' },
			{ name: 'repoMindMySql', displayName: 'MySQL for Index State', required: true, testedBy: 'repoMindMySqlConnectionTest' },
		],
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: '={{$parameter["path"]}}', isFullPath: true },
		],
		properties: triggerProperties,
	};

	methods = { credentialTest: { repoMindMySqlConnectionTest, repoMindWebhookSecretTest } };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject() as unknown as { rawBody?: Buffer; readRawBody?: () => Promise<void>; body: unknown; headers: Record<string, string | string[] | undefined> };
		const response = this.getResponseObject();
		const reply = (status: number, body: IDataObject): IWebhookResponseData => {
			response.status(status).json(body);
			return { noWebhookResponse: true };
		};
		if (!request.rawBody) await request.readRawBody?.();
		const credentials = await this.getCredentials('repoMindGitHubWebhookApi');
		const options = this.getNodeParameter('options', {}) as { commitListCap?: number; reviewDrafts?: boolean; reviewForks?: boolean };
		const config: DeliveryConfig = {
			secret: String(credentials.secret ?? ''),
			repositories: splitList(this.getNodeParameter('repositories', '') as string),
			branches: splitList(this.getNodeParameter('branches', '') as string),
			includeTags: this.getNodeParameter('includeTags', false) as boolean,
			otherEvents: this.getNodeParameter('otherEvents', 'ignore') as DeliveryConfig['otherEvents'],
			commitListCap: options.commitListCap,
			events: this.getNodeParameter('events', ['push']) as DeliveryConfig['events'],
			reviewDrafts: options.reviewDrafts ?? false,
			reviewForks: options.reviewForks ?? true,
		};
		if (!config.secret) return reply(500, { message: 'The RepoMind GitHub Webhook credential has no secret' });
		const ports = openDeliveryPorts(this);
		try {
			const outcome = await handleDelivery({ headers: request.headers, rawBody: request.rawBody ?? Buffer.alloc(0), body: request.body }, config, ports);
			// Answered here, before the run starts: GitHub gets 202 at once and the index is updated afterwards.
			reply(outcome.status, outcome.body as IDataObject);
			const started = outcome.push ?? outcome.pullRequest ?? outcome.issue;
			if (!started) return { noWebhookResponse: true };
			return { workflowData: [[{ json: started as unknown as IDataObject }]], noWebhookResponse: true };
		} catch (error) {
			return reply(503, { message: `RepoMind could not record the delivery: ${(error as Error).message}` });
		} finally {
			await ports.close();
		}
	}
}
