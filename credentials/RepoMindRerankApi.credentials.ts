import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

export class RepoMindRerankApi implements ICredentialType {
	name = 'repoMindRerankApi';

	displayName = 'RepoMind Rerank API';

	icon = 'file:../nodes/Retrieve/retrieve.svg' as const;

	documentationUrl = 'https://github.com/repomind/n8n-nodes-repomind/blob/main/docs/credentials/rerank.md';

	properties: INodeProperties[] = [
		{
			displayName: 'URL',
			name: 'url',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'http://gpu-box:8080',
			description: 'A text-embeddings-inference compatible server (or the RepoMind embeddings worker with a rerank model); POST /rerank is called on it',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Sent as a bearer token; empty for a server without one',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '={{$credentials.apiKey ? "Bearer " + $credentials.apiKey : ""}}' } },
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.url.replace(/\\/+$/, "").replace(/\\/rerank$/, "")}}',
			url: '/rerank',
			method: 'POST',
			body: { query: 'test', texts: ['test'] },
		},
	};
}
