import { createHash, randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MySqlConfig } from '../../lib/store/mysql';
import { n8nCommand, QUIET_N8N_ENV, runN8n, spawnN8n, waitForOutput } from '../n8n/process';
import { ManagedProcess } from './processes';

export const PACKAGE_NAME = 'n8n-nodes-repomind';
const READY_LINE = 'Editor is now accessible';

/** What `npm start` did to n8n's user folder this time. */
export interface N8nSetup {
	workflowsImported: string[];
	credentialsImported: boolean;
	/** True on the first start: the placeholder credentials (with the new webhook secret) were created now. */
	placeholdersImported: boolean;
}

interface StartState {
	credentials?: string;
	placeholders?: boolean;
	workflows?: Record<string, string>;
}

/** Environment of every n8n process `npm start` runs. */
export function n8nEnvironment(harnessDir: string, userFolder: string): NodeJS.ProcessEnv {
	const inherited = { ...process.env };
	delete inherited.NODE_OPTIONS;
	return { ...inherited, ...QUIET_N8N_ENV, N8N_USER_FOLDER: userFolder, PATH: `${n8nCommand(harnessDir).binDir}:${process.env.PATH ?? ''}` };
}

/** The Chroma and MySQL credentials the prebuilt workflows reference (same ids and names). */
export function serviceCredentials(chromaUrl: string, mysql: MySqlConfig) {
	return [
		{ id: 'repomindChroma01', name: 'RepoMind Chroma', type: 'repoMindChromaApi', data: { url: chromaUrl, authType: 'none', tenant: 'default_tenant', database: 'default_database' } },
		{ id: 'repomindMySql001', name: 'RepoMind MySQL', type: 'repoMindMySql', data: { host: mysql.host, port: mysql.port ?? 3306, user: mysql.user, password: mysql.password ?? '', database: mysql.database, ssl: mysql.ssl === true } },
	];
}

/**
 * The other credentials the workflows reference, created once so the user only fills them in
 * (tokens and keys from GITHUB_TOKEN, OPENAI_API_KEY, OPENAI_BASE_URL when set).
 */
export function placeholderCredentials(env: NodeJS.ProcessEnv) {
	const openAi = { baseUrl: env.OPENAI_BASE_URL || 'https://api.openai.com/v1', apiKey: env.OPENAI_API_KEY ?? '' };
	return [
		{ id: 'repomindGitHub01', name: 'RepoMind GitHub', type: 'repoMindGitHubApi', data: { accessToken: env.GITHUB_TOKEN ?? '', baseUrl: env.GITHUB_API_URL || 'https://api.github.com' } },
		{ id: 'repomindOpenAi01', name: 'RepoMind Embeddings API', type: 'repoMindOpenAiApi', data: openAi },
		{ id: 'repomindChatApi01', name: 'RepoMind Chat Model API', type: 'repoMindOpenAiApi', data: openAi },
		{ id: 'repomindWebhook01', name: 'RepoMind GitHub Webhook', type: 'repoMindGitHubWebhookApi', data: { secret: randomBytes(20).toString('hex') } },
	];
}

/** Credentials `npm start` writes: the services' on every change, the placeholders only once. */
export interface StartCredentials {
	services: object[];
	placeholders: object[];
}

/** Links the package as a community package, imports the credentials and new workflows. */
export async function prepareUserFolder(root: string, harnessDir: string, userFolder: string, credentials: StartCredentials, reimport: boolean): Promise<N8nSetup> {
	linkPackage(root, join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME));
	const env = n8nEnvironment(harnessDir, userFolder);
	const stateFile = join(userFolder, 'repomind-start.json');
	const state: StartState = existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')) : {};
	const setup: N8nSetup = { workflowsImported: [], credentialsImported: false, placeholdersImported: !state.placeholders };
	const credentialsHash = hash(JSON.stringify(credentials.services));
	const toImport = [...(state.credentials === credentialsHash ? [] : credentials.services), ...(state.placeholders ? [] : credentials.placeholders)];
	if (toImport.length > 0) {
		await importFile(harnessDir, env, userFolder, 'import:credentials', toImport);
		state.credentials = credentialsHash;
		state.placeholders = true;
		setup.credentialsImported = true;
	}
	const imported = state.workflows ?? {};
	const workflows = readWorkflows(join(root, 'workflows')).filter(({ id }) => reimport || !imported[id]);
	if (workflows.length > 0) {
		await importFile(harnessDir, env, userFolder, 'import:workflow', workflows.map(({ workflow }) => workflow));
		for (const { id, name, text } of workflows) {
			imported[id] = hash(text);
			setup.workflowsImported.push(name);
		}
	}
	state.workflows = imported;
	writeFileSync(stateFile, JSON.stringify(state, null, 2));
	return setup;
}

/** `n8n start` on 127.0.0.1:`port`; resolves once the editor is accessible. */
export async function startN8nServer(harnessDir: string, userFolder: string, port: number, brokerPort: number, onSpawn: (process: ManagedProcess) => void, timeoutMs = 120_000): Promise<ManagedProcess> {
	const env = { ...n8nEnvironment(harnessDir, userFolder), N8N_PORT: String(port), N8N_LISTEN_ADDRESS: '127.0.0.1', N8N_HOST: '127.0.0.1', N8N_RUNNERS_BROKER_PORT: String(brokerPort) };
	const n8n = new ManagedProcess('n8n', spawnN8n(harnessDir, ['start'], env));
	onSpawn(n8n);
	try {
		await waitForOutput(n8n.child, READY_LINE, timeoutMs);
	} catch (error) {
		await n8n.stop();
		throw error;
	}
	return n8n;
}

/** The secret of the webhook credential among the placeholders `npm start` creates. */
export function webhookSecret(placeholders: object[]): string | undefined {
	const credential = placeholders.find((entry) => (entry as { type?: string }).type === 'repoMindGitHubWebhookApi') as { data?: { secret?: string } } | undefined;
	return credential?.data?.secret;
}

/** Name and webhook path of the first prebuilt workflow that starts on a RepoMind GitHub push. */
export function pushWorkflow(root: string): { name: string; path: string } | null {
	for (const { name, workflow } of readWorkflows(join(root, 'workflows'))) {
		const nodes = (workflow.nodes ?? []) as Array<{ type: string; parameters?: { path?: string } }>;
		const trigger = nodes.find((node) => node.type === `${PACKAGE_NAME}.repoMindGitHubTrigger`);
		if (trigger?.parameters?.path) return { name, path: trigger.parameters.path };
	}
	return null;
}

function linkPackage(root: string, target: string): void {
	const real = realpathSync(root);
	if (existsSync(target) || isSymlink(target)) {
		if (isSymlink(target) && realpathSync(target) === real) return;
		rmSync(target, { recursive: true, force: true });
	}
	mkdirSync(join(target, '..'), { recursive: true });
	symlinkSync(real, target, 'dir');
}

function isSymlink(path: string): boolean {
	try {
		return lstatSync(path).isSymbolicLink();
	} catch {
		return false;
	}
}

function readWorkflows(folder: string): Array<{ id: string; name: string; text: string; workflow: Record<string, unknown> }> {
	return readdirSync(folder)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.flatMap((file) => {
			const text = readFileSync(join(folder, file), 'utf8');
			const parsed = [JSON.parse(text)].flat() as Array<Record<string, unknown>>;
			return parsed.map((workflow) => ({ id: String(workflow.id), name: String(workflow.name), text, workflow }));
		});
}

async function importFile(harnessDir: string, env: NodeJS.ProcessEnv, userFolder: string, command: string, content: object[]): Promise<void> {
	const file = join(userFolder, `${command.replace(':', '-')}.json`);
	writeFileSync(file, JSON.stringify(content), { mode: 0o600 });
	try {
		const result = await runN8n(harnessDir, [command, `--input=${file}`], env);
		if (result.exitCode !== 0) throw new Error(`n8n ${command} failed (exit ${result.exitCode}):\n${result.stdout.slice(-2000)}${result.stderr.slice(-2000)}`);
	} finally {
		rmSync(file, { force: true });
	}
}

function hash(text: string): string {
	return createHash('sha256').update(text).digest('hex');
}
