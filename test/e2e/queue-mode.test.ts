import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { PushEvent } from '@octokit/webhooks-types';
import examples from '@octokit/webhooks-examples';
import type { RowDataPacket } from 'mysql2/promise';
import { OpenAIEmbedder } from '../../lib/embed';
import { openAiModelId } from '../../lib/embed/openai';
import { GitHubSource } from '../../lib/source';
import { syncRepository } from '../../lib/sync';
import { signPayload, ZERO_SHA } from '../../lib/webhook';
import { startChroma, type ChromaServer } from '../support/chroma-server';
import { startEmbeddingServer, type EmbeddingServer } from '../support/embedding-server';
import { makeRepository } from '../support/fixture-repo';
import { GitRepo } from '../support/git-repo';
import { startGitHubServer, type GitHubServer } from '../support/github-server';
import { attachIndexEnv, createIndexEnv, snapshotIndex, type IndexEnv } from '../support/index-env';
import { createTestDatabase, type TestDatabase } from '../support/mysql-db';
import { githubWebhookCredential, repoMindCredentials } from './credentials';
import { ensureHarness, N8nInstance, QUIET_N8N_ENV } from './n8n';
import { freePort, n8nCommand, spawnN8n, waitForOutput } from '../../scripts/n8n/process';
import { ManagedProcess } from '../../scripts/start/processes';

const ROOT = join(__dirname, '..', '..');
const SECRET = 'queue-mode-webhook-secret';
const REPOS = { sample: 'octo-org/sample', other: 'octo-org/other' } as const;
const realPush = (examples.find((definition) => definition.name === 'push')!.examples as PushEvent[]).find((example) => example.ref === 'refs/heads/master')!;
const run = promisify(execFile);

/** One API base URL for two stand-in GitHub servers: `/repos/<owner>/<repo>/…` goes to that repository's server. */
async function routeByRepository(servers: Record<string, GitHubServer>, fallback: GitHubServer): Promise<{ url: string; server: Server }> {
	const server = createServer((req, res) => {
		const match = /^\/repos\/([^/]+\/[^/?]+)/.exec(req.url ?? '');
		const target = new URL((match && servers[match[1].toLowerCase()]) ? servers[match[1].toLowerCase()].baseUrl : fallback.baseUrl);
		const upstream = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
			res.writeHead(answer.statusCode ?? 502, answer.headers);
			answer.pipe(res);
		});
		upstream.on('error', () => res.writeHead(502).end());
		req.pipe(upstream);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address() as { port: number };
	return { url: `http://127.0.0.1:${address.port}`, server };
}

/** A repository with content of its own (no embedding shared with the fixture repository). */
async function otherRepository(): Promise<GitRepo> {
	const repo = await GitRepo.create();
	const files: Record<string, string> = {};
	for (let i = 0; i < 24; i++) files[`src/module-${i}.ts`] = `export function compute${i}(value: number): number {\n\treturn value * ${i + 7} + ${i * 13};\n}\n\nexport const label${i} = 'other module ${i}';\n`;
	await repo.writeFiles({ ...files, 'README.md': '# Other\n\nA second repository, indexed by another worker.\n' });
	await repo.commit('initial');
	return repo;
}

async function psql(database: string, sql: string): Promise<string> {
	const { stdout } = await run('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', database, '-At', '-v', 'ON_ERROR_STOP=1', '-c', sql]);
	return stdout.trim();
}

describe('n8n in queue mode (main + 2 workers, Redis, Postgres): push re-index on the workers', { timeout: 240_000 }, () => {
	const suffix = randomBytes(4).toString('hex');
	const pgDatabase = `repomind_queue_${suffix}`;
	const prefix = `repomind-queue-${suffix}`;
	const repos: Record<string, GitRepo> = {};
	const github: GitHubServer[] = [];
	let proxy: { url: string; server: Server };
	let embeddings: EmbeddingServer;
	let chroma: ChromaServer;
	let database: TestDatabase;
	let main: N8nInstance;
	const workers: ManagedProcess[] = [];
	const workerFolders: string[] = [];
	let index: IndexEnv;
	let url: string;

	const embedder = () => new OpenAIEmbedder({ model: 'text-embedding-3-small', apiKey: 'sk-queue', baseURL: `${embeddings.url}/v1` });

	before(async () => {
		await run('redis-cli', ['-h', '127.0.0.1', 'ping']).catch(() => {
			throw new Error('Redis is not running on 127.0.0.1:6379 (start it: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "")');
		});
		await psql('postgres', 'SELECT 1').catch(() => {
			throw new Error('Postgres is not reachable on 127.0.0.1:5432 as user postgres (trust auth): n8n queue mode needs it');
		});
		const harnessDir = ensureHarness();
		[repos.sample, repos.other] = await Promise.all([makeRepository(), otherRepository()]);
		github.push(await startGitHubServer({ repoPath: repos.sample.path, owner: 'octo-org', repo: 'sample', token: 'ghp-queue' }));
		github.push(await startGitHubServer({ repoPath: repos.other.path, owner: 'octo-org', repo: 'other', token: 'ghp-queue' }));
		proxy = await routeByRepository({ [REPOS.sample]: github[0], [REPOS.other]: github[1] }, github[0]);
		// Each embedding request takes 1.5 s, so a sync lasts long enough for two to overlap visibly.
		[embeddings, chroma, database] = await Promise.all([startEmbeddingServer({ dimensions: 32, apiKey: 'sk-queue', delayMs: 1500 }), startChroma(), createTestDatabase()]);
		await psql('postgres', `CREATE DATABASE ${pgDatabase}`);
		const queueEnv = {
			DB_TYPE: 'postgresdb', DB_POSTGRESDB_HOST: '127.0.0.1', DB_POSTGRESDB_PORT: '5432', DB_POSTGRESDB_DATABASE: pgDatabase, DB_POSTGRESDB_USER: 'postgres',
			EXECUTIONS_MODE: 'queue', QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: '6379', QUEUE_BULL_PREFIX: prefix,
			N8N_ENCRYPTION_KEY: `queue-test-key-${suffix}`, N8N_LOG_LEVEL: 'info',
		};
		main = new N8nInstance({ harnessDir, packageDir: ROOT, env: queueEnv });
		await main.importCredentials([
			...repoMindCredentials({ chromaUrl: chroma.url, mysql: database.config, githubBaseUrl: proxy.url, githubToken: 'ghp-queue', openAiBaseUrl: `${embeddings.url}/v1`, openAiKey: 'sk-queue' }),
			githubWebhookCredential(SECRET),
		]);
		const workflow = JSON.parse(readFileSync(join(ROOT, 'workflows', 'github-push-reindex.json'), 'utf8'));
		const trigger = workflow.nodes.find((node: { name: string }) => node.name === 'GitHub Push');
		trigger.parameters.repositories = `${REPOS.sample}, ${REPOS.other}`;
		trigger.parameters.branches = 'main';
		await main.publish(await main.importWorkflow(workflow));
		for (let i = 0; i < 2; i++) workers.push(await startWorker(harnessDir, queueEnv));
		await main.start();
		url = main.webhookUrl('repomind-github');
		index = await attachIndexEnv(database, chroma, { embedder: embedder(), chunker: {} });
	});

	after(async () => {
		await index?.pool.end();
		await main?.cleanup();
		await Promise.all(workers.map((worker) => worker.stop()));
		for (const folder of workerFolders) rmSync(folder, { recursive: true, force: true });
		await Promise.all([embeddings?.close(), chroma?.stop(), database?.drop(), ...github.map((server) => server.close())]);
		proxy?.server.close();
		await Promise.all(Object.values(repos).map((repo) => repo.dispose()));
		await psql('postgres', `DROP DATABASE IF EXISTS ${pgDatabase} WITH (FORCE)`).catch(() => undefined);
		const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '--scan', '--pattern', `${prefix}*`]).catch(() => ({ stdout: '' }));
		const keys = stdout.split('\n').filter(Boolean);
		if (keys.length) await run('redis-cli', ['-h', '127.0.0.1', 'DEL', ...keys]).catch(() => undefined);
	});

	/** `n8n worker --concurrency=1` with its own user folder (the package linked) and ports. */
	async function startWorker(harnessDir: string, queueEnv: Record<string, string>): Promise<ManagedProcess> {
		const folder = mkdtempSync(join(tmpdir(), 'repomind-n8n-worker-'));
		workerFolders.push(folder);
		const link = join(folder, '.n8n/nodes/node_modules/n8n-nodes-repomind');
		mkdirSync(join(link, '..'), { recursive: true });
		symlinkSync(realpathSync(ROOT), link, 'dir');
		const inherited = { ...process.env };
		delete inherited.NODE_OPTIONS;
		delete inherited.NODE_TEST_CONTEXT;
		const env = {
			...inherited, ...QUIET_N8N_ENV, ...queueEnv, N8N_USER_FOLDER: folder, PATH: `${n8nCommand(harnessDir).binDir}:${process.env.PATH ?? ''}`,
			N8N_RUNNERS_BROKER_PORT: String(await freePort()), QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(await freePort()), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		};
		const worker = new ManagedProcess(`worker ${workers.length + 1}`, spawnN8n(harnessDir, ['worker', '--concurrency=1'], env), 2_000_000);
		await waitForOutput(worker.child, 'n8n worker is now ready', 90_000);
		return worker;
	}

	function pushPayload(repository: string, from: string, to: string): PushEvent {
		const [owner, name] = repository.split('/');
		return {
			...realPush, ref: 'refs/heads/main', before: from, after: to, created: from === ZERO_SHA, deleted: false, forced: false, commits: [], head_commit: null,
			compare: `https://github.com/${repository}/compare/${from.slice(0, 12)}...${to.slice(0, 12)}`,
			repository: { ...realPush.repository, name, full_name: repository, owner: { ...realPush.repository.owner, login: owner, name: owner } },
		};
	}

	async function deliver(payload: PushEvent): Promise<number> {
		const body = JSON.stringify(payload);
		const headers = { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': signPayload(body, SECRET) };
		const response = await fetch(url, { method: 'POST', headers, body });
		await response.text();
		return response.status;
	}

	async function waitForIndex(repository: string, commit: string, timeoutMs = 90_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const row = await index.deps.state.findRef(`github:${repository}`, 'main', openAiModelId('text-embedding-3-small', `${embeddings.url}/v1`));
			const [running] = await index.pool.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM repomind_index_runs WHERE status = 'running'");
			if (row?.commitSha === commit && row.indexedAt && Number(running[0].n) === 0) return;
			if (Date.now() > deadline) throw new Error(`${repository} not indexed at ${commit}; worker logs:\n${workers.map((worker) => worker.log().slice(-2000)).join('\n---\n')}`);
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	}

	async function assertExactIndex(repository: string): Promise<void> {
		const mine = await snapshotIndex(index, `github:${repository}`, 'main');
		assert.deepEqual(mine.chromaIds, mine.mysqlChunkIds);
		const fresh = await createIndexEnv({ embedder: embedder(), chunker: {} });
		try {
			const [owner, repo] = repository.split('/');
			await syncRepository(new GitHubSource({ owner, repo, token: 'ghp-queue', baseUrl: proxy.url }), fresh.deps, { ref: 'main' });
			assert.deepEqual(mine, await snapshotIndex(fresh, `github:${repository}`, 'main'));
		} finally {
			await fresh.close();
		}
	}

	/** Execution ids each worker logged as started, by worker. */
	const startedBy = () => workers.map((worker) => [...worker.log().matchAll(/Worker started execution (\d+)/g)].map((match) => match[1]));

	it('runs a signed push re-index on a worker, not on the main process', async () => {
		const head = await repos.sample.head();
		assert.equal(await deliver(pushPayload(REPOS.sample, ZERO_SHA, head)), 202);
		await waitForIndex(REPOS.sample, head);
		await assertExactIndex(REPOS.sample);
		const executions = (await psql(pgDatabase, `SELECT id || ' ' || status || ' ' || mode FROM execution_entity ORDER BY id`)).split('\n');
		assert.equal(executions.length, 1, executions.join('\n'));
		const [id, status, mode] = executions[0].split(' ');
		assert.deepEqual([status, mode], ['success', 'webhook']);
		assert.deepEqual(startedBy().flat(), [id]);
		const worker = workers.find((candidate) => candidate.log().includes(`Worker finished execution ${id}`));
		assert.ok(worker, 'no worker logged finishing the execution');
		assert.match(worker.log(), /RepoMind sync github:octo-org\/sample@main: done, \d+\/\d+ files, \d+ chunks, \d+ embedded/);
		assert.doesNotMatch(main.logs(), /Worker started execution|RepoMind sync /);
	});

	it('processes pushes to two repositories on the two workers at once, both indexes exact', async (t) => {
		const before = startedBy();
		await repos.sample.writeFiles({ 'lib/queued.js': 'exports.queued = function queued() {\n\treturn "indexed by a worker";\n};\n' });
		const sampleHead = await repos.sample.commit('a change indexed in queue mode');
		const sampleFrom = await repos.sample.head('HEAD~1');
		const otherHead = await repos.other.head();
		const statuses = await Promise.all([deliver(pushPayload(REPOS.sample, sampleFrom, sampleHead)), deliver(pushPayload(REPOS.other, ZERO_SHA, otherHead))]);
		assert.deepEqual(statuses, [202, 202]);
		await Promise.all([waitForIndex(REPOS.sample, sampleHead), waitForIndex(REPOS.other, otherHead)]);
		await assertExactIndex(REPOS.sample);
		await assertExactIndex(REPOS.other);
		const started = startedBy().map((ids, i) => ids.slice(before[i].length));
		assert.deepEqual(started.map((ids) => ids.length), [1, 1], `each worker runs one of the two executions: ${JSON.stringify(started)}`);
		const [runs] = await index.pool.query<RowDataPacket[]>(
			"SELECT to_commit, status, started_at AS startedAt, finished_at AS finishedAt FROM repomind_index_runs WHERE to_commit IN (?, ?) ORDER BY to_commit",
			[sampleHead, otherHead],
		);
		assert.deepEqual(runs.map((row) => row.status), ['succeeded', 'succeeded']);
		const [a, b] = runs.map((row) => ({ start: new Date(row.startedAt).getTime(), end: new Date(row.finishedAt).getTime() }));
		assert.ok(a.start < b.end && b.start < a.end, `the two syncs ran one after the other: ${JSON.stringify(runs)}`);
		const origin = Math.min(a.start, b.start);
		t.diagnostic(`sync windows in ms: ${[a, b].map((window) => `[${window.start - origin}, ${window.end - origin}]`).join(' and ')}`);
		const windows = (await psql(pgDatabase, `SELECT extract(epoch FROM "startedAt") || ' ' || extract(epoch FROM "stoppedAt") FROM execution_entity WHERE id IN (${started.flat().join(',')})`)).split('\n').map((line) => line.split(' ').map(Number));
		assert.ok(windows[0][0] < windows[1][1] && windows[1][0] < windows[0][1], `executions did not overlap: ${JSON.stringify(windows)}`);
		const logs = workers.map((worker) => worker.log());
		assert.ok(logs.some((log) => log.includes('RepoMind sync github:octo-org/other@main: done')));
	});
});
