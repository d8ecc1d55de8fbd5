import type { IAuthenticateGeneric, ICredentialType, INodeProperties } from 'n8n-workflow';

export class RepoMindOpenAiApi implements ICredentialType {
	name = 'repoMindOpenAiApi';

	displayName = 'RepoMind OpenAI-Compatible API';

	icon = 'file:../nodes/Embed/embed.svg' as const;

	documentationUrl = 'https://github.com/repomind/n8n-nodes-repomind/blob/main/docs/credentials/openai-compatible.md';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.openai.com/v1',
			description: 'Any OpenAI-compatible API: OpenAI, Ollama (http://host:11434/v1), vLLM, LiteLLM, the Hugging Face router',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Leave empty for servers without auth (Ollama, a local vLLM)',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '={{$credentials.apiKey ? "Bearer " + $credentials.apiKey : ""}}' } },
	};
}
