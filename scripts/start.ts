import { createWriteStream, mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ensureHarness } from './n8n/harness';
import { freePort } from './n8n/ports';
import { heartbeat, startChromaServer } from './start/chroma';
import { placeholderCredentials, prepareUserFolder, pushWorkflow, serviceCredentials, startN8nServer, webhookSecret, type N8nSetup } from './start/n8n';
import { assertPortFree, buildIsStale, buildPackage, prepareMySql } from './start/preflight';
import type { ManagedProcess } from './start/processes';
import { StartError, startSettings, type StartSettings } from './start/settings';

/** Printed once everything is up; tests wait for it. */
export const READY_MESSAGE = 'RepoMind is running.';

const ROOT = resolve(__dirname, '..');
const running: ManagedProcess[] = [];
let stopping = false;

/** `npm start`: MySQL checked, package built, Chroma and n8n started; Ctrl-C stops both. */
async function main(): Promise<void> {
	process.on('SIGINT', () => void shutdown(0));
	process.on('SIGTERM', () => void shutdown(0));
	try {
		const settings = startSettings(ROOT);
		await prepareMySql(settings.mysql);
		await assertPortFree(settings.n8nPort, 'n8n', 'REPOMIND_N8N_PORT');
		if (!settings.externalChromaUrl) await assertPortFree(settings.chromaPort, 'Chroma', 'REPOMIND_CHROMA_PORT');
		else if (!(await heartbeat(settings.externalChromaUrl))) throw new StartError(`Chroma at REPOMIND_CHROMA_URL=${settings.externalChromaUrl} does not answer its heartbeat`);
		if (buildIsStale(ROOT)) {
			say('Building the package (dist/ is missing or older than the sources)...');
			await buildPackage(ROOT);
		}
		say('Preparing n8n 2.41.1 (installed once under ~/.cache, 3-5 minutes the first time)...');
		const harnessDir = ensureHarness();
		await startServices(settings, harnessDir);
	} catch (error) {
		const message = error instanceof StartError ? error.message : error instanceof Error ? error.message : String(error);
		process.stderr.write(`RepoMind could not start: ${message}\n`);
		await shutdown(1);
	}
}

async function startServices(settings: StartSettings, harnessDir: string): Promise<void> {
	const logs = join(settings.home, 'logs');
	mkdirSync(logs, { recursive: true });
	let chromaUrl = settings.externalChromaUrl;
	if (!chromaUrl) {
		const chroma = await startChromaServer(ROOT, join(settings.home, 'chroma'), settings.chromaPort, (spawned) => track(spawned, join(logs, 'chroma.log')));
		chromaUrl = `http://127.0.0.1:${settings.chromaPort}`;
		say(`Chroma is up at ${chromaUrl} (pid ${chroma.child.pid}).`);
	}
	const userFolder = join(settings.home, 'n8n');
	const credentials = { services: serviceCredentials(chromaUrl, settings.mysql), placeholders: placeholderCredentials(process.env) };
	const setup = await prepareUserFolder(ROOT, harnessDir, userFolder, credentials, settings.reimportWorkflows);
	if (stopping) return;
	say('Starting n8n...');
	const brokerPort = await freePort();
	const n8n = await startN8nServer(harnessDir, userFolder, settings.n8nPort, brokerPort, (spawned) => track(spawned, join(logs, 'n8n.log')));
	n8n.child.stdout?.on('data', (chunk: Buffer) => forwardProgress(chunk.toString('utf8')));
	say(`n8n is up (pid ${n8n.child.pid}).`);
	say(readyText(settings, chromaUrl, setup, webhookText(settings, setup.placeholdersImported ? webhookSecret(credentials.placeholders) : undefined)));
}

function track(process_: ManagedProcess, logFile: string): void {
	running.push(process_);
	const log = createWriteStream(logFile, { flags: 'a' });
	process_.child.stdout?.pipe(log);
	process_.child.stderr?.pipe(log);
	process_.child.once('exit', (code, signal) => {
		if (stopping) return;
		process.stderr.write(`RepoMind: ${process_.name} stopped unexpectedly (${signal ?? `exit ${code}`}); see ${logFile}\n`);
		void shutdown(1);
	});
	if (stopping) void process_.stop();
}

/** Sync progress logged by the nodes, shown on the terminal. */
function forwardProgress(text: string): void {
	for (const line of text.split('\n')) if (line.includes('RepoMind sync ')) say(`  ${line.trim()}`);
}

function readyText(settings: StartSettings, chromaUrl: string, setup: N8nSetup, webhook: string): string {
	const relativeHome = relative(process.cwd(), settings.home);
	const where = relativeHome && !relativeHome.startsWith('..') ? relativeHome : settings.home;
	const editor = `http://127.0.0.1:${settings.n8nPort}`;
	return [
		'',
		READY_MESSAGE,
		`  n8n editor: ${editor}`,
		`  Chroma:     ${chromaUrl}${settings.externalChromaUrl ? '' : ` (data in ${where}/chroma)`}`,
		`  MySQL:      ${settings.mysql.user}@${settings.mysql.host}:${settings.mysql.port ?? 3306}/${settings.mysql.database}`,
		`  Workflows:  ${setup.workflowsImported.length ? `imported ${setup.workflowsImported.join('; ')}` : 'already imported'}`,
		`  Logs:       ${where}/logs`,
		'',
		webhook,
		'Next:',
		`  1. Open ${editor} and create the owner account (first start only).`,
		'  2. Credentials: fill in "RepoMind GitHub" (a token that can read your repositories) and',
		'     "RepoMind Embeddings API" / "RepoMind Chat Model API" (OpenAI-compatible URL and key).',
		'     "RepoMind Chroma" and "RepoMind MySQL" are set up already.',
		'  3. Open "RepoMind: full index of a repository", set owner and repository, and run it.',
		'  4. Ask questions in "RepoMind: ask the repository (chat)".',
		'Sync progress appears here. Press Ctrl-C to stop.',
	].join('\n');
}

/** Where GitHub's push webhook goes and its secret (shown once, when `npm start` made it). */
function webhookText(settings: StartSettings, newSecret: string | undefined): string {
	const workflow = pushWorkflow(ROOT);
	if (!workflow) return '';
	const base = (process.env.WEBHOOK_URL || `http://127.0.0.1:${settings.n8nPort}/`).replace(/\/?$/, '/');
	return [
		`GitHub push webhook (workflow "${workflow.name}"; add it in GitHub under Settings > Webhooks):`,
		`  Payload URL:  ${base}webhook/${workflow.path}${process.env.WEBHOOK_URL ? '' : '  (GitHub must reach it: set WEBHOOK_URL to a public URL, e.g. a tunnel)'}`,
		'  Content type: application/json',
		newSecret
			? `  Secret:       ${newSecret}\n                (shown this once; it is the n8n credential "RepoMind GitHub Webhook": change it there and in GitHub together)`
			: '  Secret:       the one in the n8n credential "RepoMind GitHub Webhook" (printed at the first start)',
		'',
	].join('\n');
}

async function shutdown(code: number): Promise<void> {
	if (stopping) return;
	stopping = true;
	if (running.some((process_) => process_.running)) say('Stopping RepoMind...');
	for (const process_ of [...running].reverse()) await process_.stop();
	process.exit(code);
}

function say(line: string): void {
	process.stdout.write(`${line}\n`);
}

if (require.main === module) void main();
