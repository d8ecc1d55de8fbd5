import type { MySqlConfig } from '../../lib/store/mysql';

export interface CredentialSettings {
	chromaUrl: string;
	mysql: MySqlConfig;
	githubBaseUrl?: string;
	githubToken?: string;
	openAiBaseUrl?: string;
	openAiKey?: string;
}

/** The credentials the prebuilt workflows reference (same ids and names), pointing at test services. */
export function repoMindCredentials(settings: CredentialSettings) {
	return [
		{ id: 'repomindChroma01', name: 'RepoMind Chroma', type: 'repoMindChromaApi', data: { url: settings.chromaUrl, authType: 'none', tenant: 'default_tenant', database: 'default_database' } },
		{ id: 'repomindMySql001', name: 'RepoMind MySQL', type: 'repoMindMySql', data: { host: settings.mysql.host, port: settings.mysql.port ?? 3306, user: settings.mysql.user, password: settings.mysql.password ?? '', database: settings.mysql.database, ssl: false } },
		{ id: 'repomindGitHub01', name: 'RepoMind GitHub', type: 'repoMindGitHubApi', data: { accessToken: settings.githubToken ?? '', baseUrl: settings.githubBaseUrl ?? 'https://api.github.com' } },
		{ id: 'repomindOpenAi01', name: 'RepoMind Embeddings API', type: 'repoMindOpenAiApi', data: { baseUrl: settings.openAiBaseUrl ?? 'https://api.openai.com/v1', apiKey: settings.openAiKey ?? '' } },
	];
}
