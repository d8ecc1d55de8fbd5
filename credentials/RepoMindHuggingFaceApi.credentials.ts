import type { IAuthenticateGeneric, ICredentialType, INodeProperties } from 'n8n-workflow';

/** Tested by repoMindHuggingFaceConnectionTest (nodes/shared/endpoint-test.ts), which names the host and what failed. */
export class RepoMindHuggingFaceApi implements ICredentialType {
	name = 'repoMindHuggingFaceApi';

	displayName = 'RepoMind Hugging Face API';

	icon = 'file:../nodes/Embed/embed.svg' as const;

	documentationUrl = 'https://github.com/repomind/n8n-nodes-repomind/blob/main/docs/credentials/huggingface.md';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'A Hugging Face token (hf_…). Leave empty for a self-hosted endpoint without auth.',
		},
		{
			displayName: 'Endpoint URL',
			name: 'endpointUrl',
			type: 'string',
			default: '',
			placeholder: 'http://gpu-box:8080',
			description:
				'Optional base URL of a text-embeddings-inference server or Inference Endpoint. Empty: the Hugging Face Inference API with the model named in the node.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '={{$credentials.accessToken ? "Bearer " + $credentials.accessToken : ""}}' } },
	};
}
