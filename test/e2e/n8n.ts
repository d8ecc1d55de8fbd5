import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
	mkdirSync,
	mkdtempSync,
	readFileSync,
	realpathSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureHarness } from '../../scripts/n8n/harness';
import {
	freePort,
	n8nCommand,
	QUIET_N8N_ENV,
	runN8n,
	spawnN8n,
	waitForOutput,
	waitForWebhookRegistration,
} from '../../scripts/n8n/process';
import type { N8nCredential } from './credentials';
import {
	chatWebhookPath,
	type ExecutionResult,
	parseExecuteOutput,
	type WebhookSpec,
	webhooksOf,
} from './n8n-results';

export { nodeOutput, type ExecutionResult, type NodeRun, type WebhookSpec } from './n8n-results';
export { ensureHarness } from '../../scripts/n8n/harness';
export { QUIET_N8N_ENV } from '../../scripts/n8n/process';


const READY_LINE = 'Editor is now accessible';
const SERVER_LOG_CHARS = 50_000;

export interface N8nInstanceOptions {
	/** Built package root (package.json + dist/) to load as a community package. */
	packageDir?: string;
	/** Extra environment for every n8n process (service settings for the nodes under test). */
	env?: Record<string, string>;
	/** Installed harness folder; default: ensureHarness(). */
	harnessDir?: string;
}

/** A workflow as JSON (an object) or the path of a workflow JSON file. */
export type WorkflowInput = Record<string, unknown> | string;

/** A real n8n with its own user folder, optionally loading one package of community nodes. */
export class N8nInstance {
	readonly userFolder: string;
	readonly harnessDir: string;
	readonly packageName: string | null;
	private readonly env: NodeJS.ProcessEnv;
	private server: ChildProcess | null = null;
	private serverLog = '';
	private readonly webhooksByWorkflow = new Map<string, WebhookSpec[]>();
	private readonly published = new Set<string>();
	private port = 0;

	constructor(options: N8nInstanceOptions = {}) {
		this.harnessDir = options.harnessDir ?? ensureHarness();
		this.userFolder = mkdtempSync(join(tmpdir(), 'repomind-n8n-'));
		this.packageName = options.packageDir ? this.linkPackage(options.packageDir) : null;
		const inherited = { ...process.env };
		delete inherited.NODE_OPTIONS;
		delete inherited.NODE_TEST_CONTEXT;
		this.env = {
			...inherited,
			...QUIET_N8N_ENV,
			N8N_USER_FOLDER: this.userFolder,
			PATH: `${n8nCommand(this.harnessDir).binDir}:${process.env.PATH ?? ''}`,
			...options.env,
		};
	}

	/** Import workflows (objects, or files of one or many) in one n8n call; returns ids in order. */
	async importWorkflows(workflows: WorkflowInput[]): Promise<string[]> {
		const parsed: Array<Record<string, unknown>> = workflows.flatMap((workflow) =>
			typeof workflow === 'string' ? JSON.parse(readFileSync(workflow, 'utf8')) : [{ ...workflow }],
		);
		for (const workflow of parsed) workflow.id ??= randomBytes(8).toString('hex');
		const file = join(this.userFolder, `import-${randomBytes(4).toString('hex')}.json`);
		writeFileSync(file, JSON.stringify(parsed));
		await this.cli(['import:workflow', `--input=${file}`]);
		for (const workflow of parsed) {
			this.webhooksByWorkflow.set(String(workflow.id), webhooksOf(workflow));
		}
		return parsed.map((workflow) => String(workflow.id));
	}

	/** Import credentials given with plain `data` objects (n8n encrypts them on import). */
	async importCredentials(credentials: N8nCredential[]): Promise<void> {
		const file = join(this.userFolder, `credentials-${randomBytes(4).toString('hex')}.json`);
		writeFileSync(file, JSON.stringify(credentials));
		try {
			await this.cli(['import:credentials', `--input=${file}`]);
		} finally {
			rmSync(file, { force: true });
		}
	}

	/** Import one workflow (object or file path); returns its id. */
	async importWorkflow(workflow: WorkflowInput): Promise<string> {
		const [id] = await this.importWorkflows([workflow]);
		return id;
	}

	/** Run a workflow headless (`n8n execute --rawOutput`); a failing node gives status 'error'. */
	async execute(workflowId: string): Promise<ExecutionResult> {
		const brokerPort = await freePort();
		const result = await runN8n(this.harnessDir, ['execute', `--id=${workflowId}`, '--rawOutput'], {
			...this.env,
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		});
		const parsed = parseExecuteOutput(result.stdout);
		if (parsed === null) {
			throw new Error(`n8n execute printed no JSON (exit ${result.exitCode}):\n${tail(result)}`);
		}
		return parsed;
	}

	/** Activate a workflow so `start()` registers its triggers and webhooks. */
	async publish(workflowId: string): Promise<void> {
		await this.cli(['publish:workflow', `--id=${workflowId}`]);
		this.published.add(workflowId);
	}

	/** Run `n8n start` on a free port; resolves once published workflows' webhooks are served. */
	async start(timeoutMs = 90_000): Promise<void> {
		if (this.server) throw new Error('n8n is already running');
		this.port = await freePort();
		const brokerPort = await freePort();
		const server = spawnN8n(this.harnessDir, ['start'], {
			...this.env,
			N8N_PORT: String(this.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		});
		this.serverLog = '';
		const record = (chunk: Buffer) => {
			this.serverLog = (this.serverLog + chunk.toString('utf8')).slice(-SERVER_LOG_CHARS);
		};
		server.stdout?.on('data', record);
		server.stderr?.on('data', record);
		this.server = server;
		try {
			await waitForOutput(server, READY_LINE, timeoutMs);
			for (const id of this.published) {
				for (const webhook of this.webhooksByWorkflow.get(id) ?? []) {
					await this.waitForWebhook(webhook.path, webhook.method);
				}
			}
		} catch (error) {
			await this.stop();
			throw error;
		}
	}

	/**
	 * Import and publish workflows that start with n8n's Chat Trigger, start n8n and wait until each
	 * chat webhook is served (the AI nodes register late on a busy machine); returns their URLs in order.
	 */
	async serveChatWorkflows(workflows: Array<{ nodes?: unknown }>, timeoutMs = 240_000): Promise<string[]> {
		const ids = await this.importWorkflows(workflows as WorkflowInput[]);
		for (const id of ids) await this.publish(id);
		await this.start(timeoutMs);
		const urls: string[] = [];
		for (const workflow of workflows) {
			const path = chatWebhookPath(workflow);
			await this.waitForWebhook(path, 'POST', 180_000);
			urls.push(this.webhookUrl(path));
		}
		return urls;
	}

	/** The URL of a production webhook of the running server. */
	webhookUrl(path: string): string {
		if (!this.server) throw new Error('n8n is not running: call start() first');
		return `http://127.0.0.1:${this.port}/webhook/${path.replace(/^\/+/, '')}`;
	}

	/** Wait until the running server has registered a production webhook (activation is async). */
	async waitForWebhook(path: string, method = 'POST', timeoutMs = 30_000): Promise<void> {
		await waitForWebhookRegistration(this.webhookUrl(path), method, timeoutMs);
	}

	/** The last output of the server started by `start()` (for failure messages). */
	logs(): string {
		return this.serverLog;
	}

	/** Stop the server (SIGTERM, SIGKILL after 10 s). */
	async stop(): Promise<void> {
		const server = this.server;
		this.server = null;
		if (!server || server.exitCode !== null || server.signalCode !== null) return;
		await new Promise<void>((done) => {
			const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
			server.once('exit', () => {
				clearTimeout(timer);
				done();
			});
			server.kill('SIGTERM');
		});
	}

	/** Stop the server and delete the user folder. */
	async cleanup(): Promise<void> {
		await this.stop();
		rmSync(this.userFolder, { recursive: true, force: true });
	}

	private linkPackage(packageDir: string): string {
		const root = realpathSync(packageDir);
		const manifest = readFileSync(join(root, 'package.json'), 'utf8');
		const { name } = JSON.parse(manifest) as { name: string };
		const target = join(this.userFolder, '.n8n/nodes/node_modules', name);
		mkdirSync(join(target, '..'), { recursive: true });
		symlinkSync(root, target, 'dir');
		return name;
	}

	private async cli(args: string[]): Promise<void> {
		const result = await runN8n(this.harnessDir, args, this.env);
		if (result.exitCode !== 0) {
			throw new Error(`n8n ${args[0]} failed (exit ${result.exitCode}):\n${tail(result)}`);
		}
	}
}

/** Send a message to a Chat Trigger's chat webhook, as n8n's embedded chat does. */
export function sendChatMessage(url: string, sessionId: string, chatInput: string): Promise<Response> {
	return fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ action: 'sendMessage', sessionId, chatInput }),
	});
}

function tail(result: { stdout: string; stderr: string }): string {
	return `${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`;
}
