import type { IAuthenticateGeneric, ICredentialType, INodeProperties } from 'n8n-workflow';

/** Tested by repoMindEmbeddingsWorkerConnectionTest (nodes/shared/endpoint-test.ts), which names the host and what failed. */
export class RepoMindEmbeddingsWorkerApi implements ICredentialType {
	name = 'repoMindEmbeddingsWorkerApi';

	displayName = 'RepoMind Embeddings Worker API';

	icon = 'file:../nodes/Embed/embed.svg' as const;

	documentationUrl = 'https://github.com/repomind/n8n-nodes-repomind/blob/main/docs/credentials/embeddings-worker.md';

	properties: INodeProperties[] = [
		{
			displayName: 'URL',
			name: 'url',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'http://gpu-box:8080',
			description: 'Base URL of a running repomind-embeddings-worker',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The key the worker was started with (--api-key or REPOMIND_WORKER_API_KEY); empty for a worker without one',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '={{$credentials.apiKey ? "Bearer " + $credentials.apiKey : ""}}' } },
	};
}
