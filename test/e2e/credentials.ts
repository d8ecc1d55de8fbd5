import type { MySqlConfig } from '../../lib/store/mysql';
import { SAMPLE_REPO } from '../support/fixture-repo';
import type { StandIns } from '../support/stand-ins';

/** A credential as `n8n import:credentials` takes it, with plain `data` (n8n encrypts it on import). */
export interface N8nCredential {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface CredentialSettings {
	chromaUrl: string;
	mysql: MySqlConfig;
	githubBaseUrl?: string;
	githubToken?: string;
	openAiBaseUrl?: string;
	openAiKey?: string;
}

/** The credentials the prebuilt workflows reference (same ids and names), pointing at test services. */
export function repoMindCredentials(settings: CredentialSettings): N8nCredential[] {
	return [
		{ id: 'repomindChroma01', name: 'RepoMind Chroma', type: 'repoMindChromaApi', data: { url: settings.chromaUrl, authType: 'none', tenant: 'default_tenant', database: 'default_database' } },
		{ id: 'repomindMySql001', name: 'RepoMind MySQL', type: 'repoMindMySql', data: { host: settings.mysql.host, port: settings.mysql.port ?? 3306, user: settings.mysql.user, password: settings.mysql.password ?? '', database: settings.mysql.database, ssl: false } },
		{ id: 'repomindGitHub01', name: 'RepoMind GitHub', type: 'repoMindGitHubApi', data: { accessToken: settings.githubToken ?? '', baseUrl: settings.githubBaseUrl ?? 'https://api.github.com' } },
		{ id: 'repomindOpenAi01', name: 'RepoMind Embeddings API', type: 'repoMindOpenAiApi', data: { baseUrl: settings.openAiBaseUrl ?? 'https://api.openai.com/v1', apiKey: settings.openAiKey ?? '' } },
	];
}

/** repoMindCredentials pointing at the stand-ins: their Chroma, database, GitHub and embeddings. */
export function standInCredentials(standIns: StandIns): N8nCredential[] {
	return repoMindCredentials({
		chromaUrl: standIns.chroma.url,
		mysql: standIns.database.config,
		githubBaseUrl: standIns.github.baseUrl,
		githubToken: SAMPLE_REPO.token,
		openAiBaseUrl: standIns.embeddingsBaseUrl,
		openAiKey: standIns.embedKey,
	});
}

/** The RepoMind OpenAI-compatible credential the prebuilt workflows' Generate and Evaluate nodes chat through. */
export function repoMindChatCredential(baseUrl: string, apiKey: string): N8nCredential {
	return { id: 'repomindChatApi01', name: 'RepoMind Chat Model API', type: 'repoMindOpenAiApi', data: { baseUrl, apiKey } };
}

/** n8n's own OpenAI credential, as its OpenAI Chat Model and Embeddings OpenAI sub-nodes use it. */
export function openAiApiCredential(id: string, name: string, url: string, apiKey: string): N8nCredential {
	return { id, name, type: 'openAiApi', data: { apiKey, url } };
}

/** n8n's own Ollama credential (the key is for an Ollama behind an authenticating proxy; the stand-ins ask for it). */
export function ollamaApiCredential(id: string, name: string, baseUrl: string, apiKey: string): N8nCredential {
	return { id, name, type: 'ollamaApi', data: { baseUrl, apiKey } };
}

/** The GitHub webhook secret the prebuilt workflows' GitHub Trigger nodes verify deliveries with. */
export function githubWebhookCredential(secret: string): N8nCredential {
	return { id: 'repomindWebhook01', name: 'RepoMind GitHub Webhook', type: 'repoMindGitHubWebhookApi', data: { secret } };
}
