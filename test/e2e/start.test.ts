import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createConnection } from 'mysql2/promise';
import { syncCommand } from '../../cli/sync';
import { READY_MESSAGE } from '../../scripts/start';
import { makeRepository } from '../support/fixture-repo';
import { StartProcess } from '../support/start-process';
import type { GitRepo } from '../support/git-repo';
import { testServerConfig } from '../support/mysql-db';
import { freePort, waitForWebhookRegistration } from '../../scripts/n8n/process';
import { linearWorkflow, webhookTrigger } from './workflows';

const ROOT = join(__dirname, '..', '..');
const WORKFLOW_NAMES = readdirSync(join(ROOT, 'workflows')).map((file) => JSON.parse(readFileSync(join(ROOT, 'workflows', file), 'utf8')).name as string).sort();

function pidOf(output: string, name: string): number {
	const match = new RegExp(`${name} is up.*\\(pid (\\d+)\\)`).exec(output);
	assert.ok(match, `no pid of ${name} in:\n${output}`);
	return Number(match[1]);
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

async function accepts(port: number): Promise<boolean> {
	try {
		await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) });
		return true;
	} catch {
		return false;
	}
}

describe('npm start (scripts/start.ts)', () => {
	let home: string;
	let database: string;
	let repo: GitRepo;
	const mysql = testServerConfig();

	before(async () => {
		home = mkdtempSync(join(tmpdir(), 'repomind-start-'));
		database = `repomind_start_${randomBytes(4).toString('hex')}`;
		repo = await makeRepository();
	});

	after(async () => {
		const connection = await createConnection(mysql);
		await connection.query(`DROP DATABASE IF EXISTS \`${database}\``);
		await connection.end();
		rmSync(home, { recursive: true, force: true });
		await repo?.dispose();
	});

	const mysqlUrl = (name: string, port = mysql.port) => `mysql://${mysql.user}:${mysql.password}@${mysql.host}:${port}/${name}`;

	it('exits 1 with a one-line reason when MySQL is unreachable', async () => {
		const port = await freePort();
		const start = new StartProcess({ REPOMIND_HOME: home, REPOMIND_MYSQL_URL: mysqlUrl('repomind', port) });
		assert.equal(await start.exited, 1);
		assert.equal(start.stdout, '');
		assert.equal(start.stderr, `RepoMind could not start: MySQL at 127.0.0.1:${port}/repomind is unreachable (ECONNREFUSED): start MySQL or set REPOMIND_MYSQL_URL=mysql://user:password@host:3306/database\n`);
	});

	it('exits 1 with a one-line reason when the n8n port is taken', async () => {
		const port = await freePort();
		const blocker: Server = createServer();
		await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
		try {
			const start = new StartProcess({ REPOMIND_HOME: home, REPOMIND_MYSQL_URL: mysqlUrl(database), REPOMIND_N8N_PORT: String(port) });
			assert.equal(await start.exited, 1);
			assert.equal(start.stderr, `RepoMind could not start: Port ${port} (n8n) is already in use: stop what uses it or set REPOMIND_N8N_PORT to another port\n`);
		} finally {
			blocker.close();
		}
	});

	it('starts Chroma and n8n with the package and workflows; sync progress shows; SIGINT stops all', { timeout: 420_000 }, async () => {
		const [n8nPort, chromaPort] = [await freePort(), await freePort()];
		const start = new StartProcess({ REPOMIND_HOME: home, REPOMIND_MYSQL_URL: mysqlUrl(database), REPOMIND_N8N_PORT: String(n8nPort), REPOMIND_CHROMA_PORT: String(chromaPort), N8N_RESTRICT_FILE_ACCESS_TO: repo.path });
		try {
			await start.waitFor(READY_MESSAGE, 360_000);
			assert.match(start.stdout, new RegExp(`n8n editor: http://127\\.0\\.0\\.1:${n8nPort}\\n`));
			assert.match(start.stdout, /Workflows: {2}imported RepoMind: /);
			assert.match(start.stdout, new RegExp(`  "RepoMind: re-index on GitHub push": http://127\\.0\\.0\\.1:${n8nPort}/webhook/repomind-github\\n`));
			assert.match(start.stdout, /Secret: {7}[0-9a-f]{40}\n/);
			const editor = await n8nSession(`http://127.0.0.1:${n8nPort}`);
			assert.deepEqual(await editor.workflowNames(), WORKFLOW_NAMES);
			assert.deepEqual((await editor.credentialIds()).sort(), ['repomindChatApi01', 'repomindChroma01', 'repomindGitHub01', 'repomindMySql001', 'repomindOpenAi01', 'repomindWebhook01']);
			const types = await editor.nodeTypes();
			assert.ok(types.includes('n8n-nodes-repomind.repoMindVectorStore'), types.join(', '));

			const progress = await editor.runSyncWebhook(repo.path);
			assert.equal(progress.status, 200, progress.body);
			const synced = JSON.parse(progress.body) as { filesChanged: number; chunksUpserted: number; embedded: number };
			await start.waitFor(`done, ${synced.filesChanged}/${synced.filesChanged} files, ${synced.chunksUpserted} chunks, ${synced.embedded} embedded`, 10_000);
			const syncLine = `RepoMind sync local:${repo.path}@HEAD: indexing, 0/${synced.filesChanged} files, 0 chunks, 0 embedded`;
			assert.ok(start.stdout.includes(syncLine), `${syncLine} should be in: ${start.stdout}`);

			const cli = async (embedder: string) => {
				const lines: string[] = [];
				const io = { out: (line: string) => lines.push(`out ${line}`), err: (line: string) => lines.push(`err ${line}`), env: {} };
				const code = await syncCommand(['--repo', repo.path, '--ref', 'HEAD', '--embedder', embedder, '--mysql-url', mysqlUrl(database), '--chroma-url', `http://127.0.0.1:${chromaPort}`], io);
				assert.equal(code, 0, lines.join('\n'));
				return lines;
			};
			const key = `local:${repo.path}@HEAD`;
			const same = await cli('hash:64');
			assert.equal(same.at(-2), `err sync ${key}: done, 0/0 files, 0 chunks, 0 embedded`);
			assert.match(same.at(-1)!, new RegExp(`^out local:.*@HEAD \\([0-9a-f]{7}\\): 0 files indexed, 0 removed, ${synced.filesChanged} unchanged, `));
			const fresh = await cli('hash:32');
			assert.equal(fresh[0], `err sync ${key}: planning, 0/0 files, 0 chunks, 0 embedded`);
			assert.equal(fresh[1], `err sync ${key}: indexing, 0/${synced.filesChanged} files, 0 chunks, 0 embedded`);
			assert.equal(fresh.at(-2), `err sync ${key}: done, ${synced.filesChanged}/${synced.filesChanged} files, ${synced.chunksUpserted} chunks, ${synced.embedded} embedded`);
			assert.match(fresh.at(-1)!, new RegExp(`^out local:.*@HEAD \\([0-9a-f]{7}\\): ${synced.filesChanged} files indexed, 0 removed, 0 unchanged, \\d+ skipped, 0 failed, ${synced.embedded} chunks embedded`));

			const pids = [pidOf(start.stdout, 'Chroma'), pidOf(start.stdout, 'n8n')];
			const stopped = await start.signal('SIGINT');
			assert.equal(stopped.code, 0);
			assert.ok(stopped.ms < 15_000, `stopping took ${stopped.ms} ms`);
			assert.deepEqual(pids.map(isAlive), [false, false]);
			assert.deepEqual([await accepts(n8nPort), await accepts(chromaPort)], [false, false]);
		} finally {
			await start.ensureStopped();
		}

		const again = new StartProcess({ REPOMIND_HOME: home, REPOMIND_MYSQL_URL: mysqlUrl(database), REPOMIND_N8N_PORT: String(n8nPort), REPOMIND_CHROMA_PORT: String(chromaPort) });
		try {
			await again.waitFor(READY_MESSAGE, 120_000);
			assert.match(again.stdout, /Workflows: {2}already imported\n/);
			assert.match(again.stdout, /Secret: {7}the one in the n8n credential "RepoMind GitHub Webhook" \(printed at the first start\)\n/);
			assert.equal((await again.signal('SIGTERM')).code, 0);
		} finally {
			await again.ensureStopped();
		}
	});
});

/** An owner session on a fresh n8n: REST for listings, a public API key to create and activate a workflow. */
async function n8nSession(base: string) {
	const json = { 'content-type': 'application/json' };
	const owner = { email: 'owner@repomind.test', firstName: 'Repo', lastName: 'Mind', password: 'Start-test-Passw0rd' };
	const setup = await fetch(`${base}/rest/owner/setup`, { method: 'POST', headers: json, body: JSON.stringify(owner) });
	assert.equal(setup.status, 200, await setup.text());
	const login = await fetch(`${base}/rest/login`, { method: 'POST', headers: json, body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }) });
	const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
	const rest = async (path: string, init: RequestInit = {}) => {
		const response = await fetch(`${base}${path}`, { ...init, headers: { ...json, cookie, ...(init.headers ?? {}) } });
		const text = await response.text();
		assert.ok(response.ok, `${path}: ${response.status} ${text.slice(0, 500)}`);
		return JSON.parse(text);
	};
	return {
		workflowNames: async () => ((await rest('/rest/workflows')).data as Array<{ name: string }>).map((workflow) => workflow.name).sort(),
		credentialIds: async () => ((await rest('/rest/credentials')).data as Array<{ id: string }>).map((credential) => credential.id),
		nodeTypes: async () => ((await rest('/types/nodes.json')) as Array<{ name: string }>).map((type) => type.name),
		/** Creates and activates Webhook -> Vector Store Sync (local repository, hash embedder) and calls it. */
		async runSyncWebhook(repoPath: string) {
			const scopes = (await rest('/rest/api-keys/scopes')).data as string[];
			const key = (await rest('/rest/api-keys', { method: 'POST', body: JSON.stringify({ label: 'start-test', scopes, expiresAt: null }) })).data.rawApiKey as string;
			const api = async (path: string, body: unknown) => {
				const response = await fetch(`${base}/api/v1${path}`, { method: 'POST', headers: { ...json, 'X-N8N-API-KEY': key }, body: JSON.stringify(body) });
				const text = await response.text();
				assert.ok(response.ok, `${path}: ${response.status} ${text.slice(0, 500)}`);
				return JSON.parse(text);
			};
			const workflow = linearWorkflow('unused', 'Start test: sync a local repository', [
				webhookTrigger('start-test-sync'),
				{
					name: 'Sync Repository',
					type: 'n8n-nodes-repomind.repoMindVectorStore',
					typeVersion: 1,
					parameters: { operation: 'syncRepository', source: 'local', repositoryPath: repoPath, syncRef: 'HEAD', embeddingProvider: 'hash', hashDimensions: 64, filters: {}, includeSkipped: false },
					credentials: { repoMindChromaApi: { id: 'repomindChroma01', name: 'RepoMind Chroma' }, repoMindMySql: { id: 'repomindMySql001', name: 'RepoMind MySQL' } },
				},
			]);
			const { id: _id, active: _active, ...body } = workflow;
			const created = await api('/workflows', body);
			await api(`/workflows/${created.id}/activate`, {});
			await waitForWebhookRegistration(`${base}/webhook/start-test-sync`, 'POST', 30_000);
			const response = await fetch(`${base}/webhook/start-test-sync`, { method: 'POST', headers: json, body: '{}' });
			return { status: response.status, body: await response.text() };
		},
	};
}
