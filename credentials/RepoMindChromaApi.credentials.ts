import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

export class RepoMindChromaApi implements ICredentialType {
	name = 'repoMindChromaApi';

	displayName = 'RepoMind Chroma API';

	icon = 'file:icons/chroma.svg' as const;

	documentationUrl = 'https://github.com/repomind/n8n-nodes-repomind/blob/main/docs/credentials/chroma.md';

	properties: INodeProperties[] = [
		{
			displayName: 'URL',
			name: 'url',
			type: 'string',
			default: 'http://localhost:8000',
			description: 'Base URL of the Chroma server',
		},
		{
			displayName: 'Authentication',
			name: 'authType',
			type: 'options',
			options: [
				{ name: 'None', value: 'none' },
				{ name: 'Bearer Token (Authorization Header)', value: 'bearer' },
				{ name: 'X-Chroma-Token Header', value: 'xChromaToken' },
			],
			default: 'none',
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authType: ['bearer', 'xChromaToken'] } },
		},
		{
			displayName: 'Tenant',
			name: 'tenant',
			type: 'string',
			default: 'default_tenant',
		},
		{
			displayName: 'Database',
			name: 'database',
			type: 'string',
			default: 'default_database',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '={{$credentials.authType === "bearer" ? "Bearer " + $credentials.token : ""}}',
				'X-Chroma-Token': '={{$credentials.authType === "xChromaToken" ? $credentials.token : ""}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.url.replace(/\\/$/, "")}}',
			url: '=/api/v2/tenants/{{encodeURIComponent($credentials.tenant)}}/databases/{{encodeURIComponent($credentials.database)}}',
		},
	};
}
