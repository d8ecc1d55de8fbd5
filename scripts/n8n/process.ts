export { freePort } from './ports';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/**
 * Environment that keeps n8n local and quiet (see shared N8N.md), and serves webhooks as in
 * production: no stack traces in error answers (NODE_ENV), bodies up to GitHub's 25 MB.
 */
export const QUIET_N8N_ENV: Readonly<Record<string, string>> = {
	NODE_ENV: 'production',
	N8N_PAYLOAD_SIZE_MAX: '25',
	N8N_DIAGNOSTICS_ENABLED: 'false',
	N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
	N8N_TEMPLATES_ENABLED: 'false',
	N8N_PERSONALIZATION_ENABLED: 'false',
	N8N_HIRING_BANNER_ENABLED: 'false',
	N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
	N8N_DISABLED_MODULES: 'mcp-registry',
};

export interface CommandResult {
	exitCode: number | null;
	stdout: string;
	stderr: string;
}

/** Node and n8n entry point of an installed harness folder. */
export function n8nCommand(harnessDir: string): { node: string; script: string; binDir: string } {
	const binDir = join(harnessDir, 'bin');
	const script = join(harnessDir, 'node_modules/n8n/bin/n8n');
	return { node: join(binDir, 'node'), script, binDir };
}

/** Spawn n8n with the given arguments (not waiting for it). */
export function spawnN8n(harnessDir: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
	const { node, script } = n8nCommand(harnessDir);
	return spawn(node, [script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Run an n8n CLI command to completion; rejects only on timeout or spawn failure. */
export function runN8n(
	harnessDir: string,
	args: string[],
	env: NodeJS.ProcessEnv,
	timeoutMs = 120_000,
): Promise<CommandResult> {
	return new Promise((resolve, reject) => {
		const child = spawnN8n(harnessDir, args, env);
		const stdout: Buffer[] = [];
		const stderr: Buffer[] = [];
		child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
		child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`n8n ${args.join(' ')} timed out after ${timeoutMs} ms`));
		}, timeoutMs);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('close', (exitCode) => {
			clearTimeout(timer);
			resolve({
				exitCode,
				stdout: Buffer.concat(stdout).toString('utf8'),
				stderr: Buffer.concat(stderr).toString('utf8'),
			});
		});
	});
}

/** Resolve once the process prints a line containing `marker`; reject if it exits or times out. */
export function waitForOutput(
	child: ChildProcess,
	marker: string,
	timeoutMs: number,
): Promise<void> {
	return new Promise((resolve, reject) => {
		let seen = '';
		const onData = (chunk: Buffer) => {
			seen += chunk.toString('utf8');
			if (seen.includes(marker)) finish();
		};
		const onExit = (code: number | null) =>
			finish(new Error(`n8n exited (${code}) before "${marker}":\n${seen.slice(-3000)}`));
		const timer = setTimeout(
			() => finish(new Error(`no "${marker}" after ${timeoutMs} ms:\n${seen.slice(-3000)}`)),
			timeoutMs,
		);
		function finish(error?: Error): void {
			clearTimeout(timer);
			child.stdout?.off('data', onData);
			child.stderr?.off('data', onData);
			child.off('exit', onExit);
			if (error) reject(error);
			else resolve();
		}
		child.stdout?.on('data', onData);
		child.stderr?.on('data', onData);
		child.on('exit', onExit);
	});
}

/** Poll until n8n lists `method` for a webhook URL (CORS preflight: looks up, never executes). */
export async function waitForWebhookRegistration(
	url: string,
	method: string,
	timeoutMs: number,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const response = await fetch(url, {
			method: 'OPTIONS',
			headers: { origin: 'http://127.0.0.1' },
		});
		const methods = response.headers.get('access-control-allow-methods') ?? '';
		if (methods.split(/,\s*/).includes(method)) return;
		if (Date.now() > deadline) {
			throw new Error(`webhook ${method} ${url} not registered after ${timeoutMs} ms`);
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}
