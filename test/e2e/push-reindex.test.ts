import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PushEvent } from '@octokit/webhooks-types';
import examples from '@octokit/webhooks-examples';
import type { RowDataPacket } from 'mysql2/promise';
import { openAiModelId } from '../../lib/embed/openai';
import { signPayload, ZERO_SHA } from '../../lib/webhook';
import type { EmbeddingServer } from '../support/embedding-server';
import { SAMPLE_REPO } from '../support/fixture-repo';
import type { GitRepo } from '../support/git-repo';
import { snapshotIndex, type IndexEnv } from '../support/index-env';
import { startStandIns, type StandIns } from '../support/stand-ins';
import { githubWebhookCredential, standInCredentials } from './credentials';
import { N8nInstance } from './n8n';

const ROOT = join(__dirname, '..', '..');
const REPO_KEY = SAMPLE_REPO.key;
const SECRET = 'e2e-webhook-secret-3f9a';
const realPush = (examples.find((definition) => definition.name === 'push')!.examples as PushEvent[]).find((example) => example.ref === 'refs/heads/master')!;

describe('workflows/github-push-reindex.json in a real n8n', () => {
	let standIns: StandIns;
	let repo: GitRepo;
	let embeddings: EmbeddingServer;
	let n8n: N8nInstance;
	let index: IndexEnv;
	let url: string;

	before(async () => {
		standIns = await startStandIns({ embedKey: 'sk-local-test' });
		({ repo, embeddings } = standIns);
		n8n = new N8nInstance({ packageDir: ROOT });
		await n8n.importCredentials([
			...standInCredentials(standIns),
			githubWebhookCredential(SECRET),
		]);
		const workflow = JSON.parse(readFileSync(join(ROOT, 'workflows', 'github-push-reindex.json'), 'utf8'));
		const trigger = workflow.nodes.find((node: { name: string }) => node.name === 'GitHub Push');
		trigger.parameters.repositories = 'octo-org/sample';
		trigger.parameters.branches = '';
		await n8n.publish(await n8n.importWorkflow(workflow));
		await n8n.start();
		url = n8n.webhookUrl('repomind-github');
		index = await standIns.attachIndex();
	});

	after(async () => {
		await n8n?.cleanup();
		await standIns?.close();
	});

	/** A push payload of GitHub's shape (from @octokit/webhooks-examples) for commits of the test repository. */
	async function pushPayload(from: string, to: string, options: { ref?: string; forced?: boolean; repository?: string } = {}): Promise<PushEvent> {
		const [owner, name] = (options.repository ?? 'octo-org/sample').split('/');
		const shas = from === ZERO_SHA || to === ZERO_SHA ? [] : (await repo.git('rev-list', '--reverse', `${from}..${to}`)).split('\n').filter(Boolean);
		const commits = await Promise.all(shas.map(async (sha) => {
			const files = (await repo.git('diff-tree', '--no-commit-id', '--name-status', '-r', sha)).split('\n').filter(Boolean).map((line) => line.split('\t'));
			const pick = (status: string) => files.filter(([code]) => code === status).map(([, path]) => path);
			return { ...realPush.commits[0], id: sha, tree_id: await repo.git('rev-parse', `${sha}^{tree}`), message: await repo.git('log', '-1', '--format=%s', sha), url: `https://github.com/${owner}/${name}/commit/${sha}`, added: pick('A'), removed: pick('D'), modified: pick('M') };
		}));
		return {
			...realPush,
			ref: `refs/heads/${options.ref ?? 'main'}`,
			before: from,
			after: to,
			created: from === ZERO_SHA,
			deleted: to === ZERO_SHA,
			forced: options.forced ?? false,
			compare: `https://github.com/${owner}/${name}/compare/${from.slice(0, 12)}...${to.slice(0, 12)}`,
			commits,
			head_commit: commits.at(-1) ?? null,
			repository: { ...realPush.repository, name, full_name: `${owner}/${name}`, owner: { ...realPush.repository.owner, login: owner, name: owner } },
		};
	}

	async function deliver(payload: unknown, options: { secret?: string; delivery?: string; event?: string; body?: string } = {}) {
		const body = options.body ?? JSON.stringify(payload);
		const headers: Record<string, string> = { 'content-type': 'application/json', 'x-github-event': options.event ?? 'push', 'x-github-delivery': options.delivery ?? randomUUID(), 'user-agent': 'GitHub-Hookshot/e2e' };
		if (options.secret !== '') headers['x-hub-signature-256'] = signPayload(body, options.secret ?? SECRET);
		const response = await fetch(url, { method: 'POST', headers, body });
		return { status: response.status, body: await response.text() };
	}

	async function runCount(where = 'TRUE'): Promise<number> {
		const [rows] = await index.pool.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM repomind_index_runs WHERE ${where}`);
		return Number(rows[0].n);
	}

	/** Waits until the ref is indexed at `commit` and no run is underway. */
	async function waitForIndex(ref: string, commit: string, timeoutMs = 60_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const row = await index.deps.state.findRef(REPO_KEY, ref, openAiModelId('text-embedding-3-small', `${embeddings.url}/v1`));
			const [running] = await index.pool.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM repomind_index_runs WHERE status = 'running'");
			if (row?.commitSha === commit && row.indexedAt && Number(running[0].n) === 0) return;
			if (Date.now() > deadline) throw new Error(`index of ${ref} not at ${commit} after ${timeoutMs} ms (at ${row?.commitSha}); n8n log:\n${n8n.logs().slice(-3000)}`);
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	}

	async function assertExactIndex(ref: string): Promise<void> {
		const mine = await snapshotIndex(index, REPO_KEY, ref);
		assert.deepEqual(mine.chromaIds, mine.mysqlChunkIds);
		assert.deepEqual(mine, await standIns.freshSnapshot(ref));
	}

	it('indexes on a signed push (202 at once) and the index equals a fresh index of the new commit', async () => {
		const initial = await repo.head();
		const first = await deliver(await pushPayload(ZERO_SHA, initial));
		assert.equal(first.status, 202, first.body);
		assert.equal(JSON.parse(first.body).status, 'accepted');
		await waitForIndex('main', initial);
		await repo.writeFiles({ 'lib/added.js': 'exports.answer = function answer() {\n\treturn 42;\n};\n' });
		await repo.deleteFiles(['examples/' + (await repo.git('ls-files', 'examples')).split('\n')[0].replace('examples/', '')]);
		const next = await repo.commit('add a file, remove an example');
		const response = await deliver(await pushPayload(initial, next));
		assert.equal(response.status, 202, response.body);
		await waitForIndex('main', next);
		await assertExactIndex('main');
	});

	it('answers 401 to a missing or wrong signature and runs nothing', async () => {
		const before = await snapshotIndex(index, REPO_KEY, 'main');
		const runs = await runCount();
		await repo.writeFiles({ 'lib/unsigned.js': 'exports.unsigned = true;\n' });
		const head = await repo.commit('not delivered');
		const payload = await pushPayload(await repo.head('HEAD~1'), head);
		assert.equal((await deliver(payload, { secret: 'not-the-secret' })).status, 401);
		assert.equal((await deliver(payload, { secret: '' })).status, 401);
		await new Promise((resolve) => setTimeout(resolve, 1500));
		assert.equal(await runCount(), runs);
		assert.deepEqual(await snapshotIndex(index, REPO_KEY, 'main'), before);
	});

	it('treats a redelivery of the same delivery id as a no-op', async () => {
		const head = await repo.head();
		const payload = await pushPayload(await repo.head('HEAD~1'), head);
		const delivery = randomUUID();
		assert.equal((await deliver(payload, { delivery })).status, 202);
		await waitForIndex('main', head);
		const runs = await runCount();
		const again = await deliver(payload, { delivery });
		assert.equal(again.status, 200);
		assert.equal(JSON.parse(again.body).status, 'duplicate');
		await new Promise((resolve) => setTimeout(resolve, 1500));
		assert.equal(await runCount(), runs);
	});

	it('runs a redelivery of a push whose run failed again; it indexes the push, and a third delivery is a no-op', async () => {
		const before = await repo.head();
		await repo.writeFiles({ 'lib/retried.js': 'exports.retried = function retried() {\n\treturn "indexed on redelivery";\n};\n' });
		const head = await repo.commit('indexed on redelivery');
		const payload = await pushPayload(before, head);
		const delivery = randomUUID();
		const failedBefore = await runCount("status = 'failed'");
		embeddings.failNext(50, 'unavailable'); // an outage: the run fails (a malformed answer would be one file's failure, a partial run)
		try {
			assert.equal((await deliver(payload, { delivery })).status, 202);
			const deadline = Date.now() + 60_000;
			while ((await runCount("status = 'failed'")) === failedBefore) {
				if (Date.now() > deadline) throw new Error(`no failed run; n8n log:\n${n8n.logs().slice(-3000)}`);
				await new Promise((resolve) => setTimeout(resolve, 200));
			}
		} finally {
			embeddings.clearFailures();
		}
		assert.equal((await index.deps.state.findRef(REPO_KEY, 'main', openAiModelId('text-embedding-3-small', `${embeddings.url}/v1`)))?.commitSha, before, 'the failed run left the index where it was');
		const again = await deliver(payload, { delivery });
		assert.equal(again.status, 202);
		assert.equal(JSON.parse(again.body).redelivery, true);
		await waitForIndex('main', head);
		await assertExactIndex('main');
		const third = await deliver(payload, { delivery });
		assert.equal(third.status, 200);
		assert.equal(JSON.parse(third.body).status, 'duplicate');
	});

	it('after a force push that drops a commit, chunks of files that no longer exist are gone', async () => {
		const kept = await repo.head();
		await repo.writeFiles({ 'lib/doomed.js': 'exports.doomed = function doomed() {\n\treturn "soon gone";\n};\n' });
		const doomed = await repo.commit('a commit that will be dropped');
		assert.equal((await deliver(await pushPayload(kept, doomed))).status, 202);
		await waitForIndex('main', doomed);
		const row = await index.deps.state.findRef(REPO_KEY, 'main', openAiModelId('text-embedding-3-small', `${embeddings.url}/v1`));
		assert.ok((await index.deps.vectors.listIds(row!.collection, { path: 'lib/doomed.js' })).length > 0);
		await repo.resetHard(kept);
		await repo.writeFiles({ 'lib/replacement.js': 'exports.replacement = true;\n' });
		const rewritten = await repo.commit('rewritten history');
		const forced = await pushPayload(doomed, rewritten, { forced: true });
		forced.commits = [];
		assert.equal((await deliver(forced)).status, 202);
		await waitForIndex('main', rewritten);
		assert.deepEqual(await index.deps.vectors.listIds(row!.collection, { path: 'lib/doomed.js' }), []);
		const [rows] = await index.pool.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM repomind_chunks WHERE path = 'lib/doomed.js'");
		assert.equal(Number(rows[0].n), 0);
		await assertExactIndex('main');
	});

	it('serialises two close pushes to one ref; the index ends at the newest commit', async () => {
		const start = await repo.head();
		await repo.writeFiles({ 'lib/first.js': 'exports.first = 1;\n' });
		const first = await repo.commit('first of two');
		const one = deliver(await pushPayload(start, first));
		await repo.writeFiles({ 'lib/second.js': 'exports.second = 2;\n' });
		const second = await repo.commit('second of two');
		const two = deliver(await pushPayload(first, second));
		assert.deepEqual((await Promise.all([one, two])).map((response) => response.status), [202, 202]);
		await waitForIndex('main', second);
		const [runs] = await index.pool.query<RowDataPacket[]>("SELECT status, to_commit FROM repomind_index_runs WHERE to_commit IN (?, ?) ORDER BY id", [first, second]);
		assert.ok(runs.every((run) => run.status === 'succeeded'), JSON.stringify(runs));
		await assertExactIndex('main');
	});

	it('deletes the index of a deleted branch, and leaves main alone', async () => {
		const mainBefore = await snapshotIndex(index, REPO_KEY, 'main');
		await repo.branch('feature', { checkout: true });
		await repo.writeFiles({ 'lib/feature.js': 'exports.feature = function feature() {\n\treturn "on a branch";\n};\n' });
		const tip = await repo.commit('feature work');
		assert.equal((await deliver(await pushPayload(ZERO_SHA, tip, { ref: 'feature' }))).status, 202);
		await waitForIndex('feature', tip);
		const row = await index.deps.state.findRef(REPO_KEY, 'feature', openAiModelId('text-embedding-3-small', `${embeddings.url}/v1`));
		assert.ok((await index.deps.vectors.listIds(row!.collection, { ref: 'feature' })).length > 0);
		await repo.checkout('main');
		await repo.git('branch', '-D', 'feature');
		assert.equal((await deliver(await pushPayload(tip, ZERO_SHA, { ref: 'feature' }))).status, 202);
		const deadline = Date.now() + 30_000;
		while (await index.deps.state.findRef(REPO_KEY, 'feature', openAiModelId('text-embedding-3-small', `${embeddings.url}/v1`))) {
			assert.ok(Date.now() < deadline, 'the feature index was not deleted');
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		assert.deepEqual(await index.deps.vectors.listIds(row!.collection, { ref: 'feature' }), []);
		assert.deepEqual(await snapshotIndex(index, REPO_KEY, 'main'), mainBefore);
	});

	it('gives bad input a clear outcome and runs nothing: malformed JSON, unconfigured repository, ping, other events', async () => {
		const runs = await runCount();
		const malformed = await deliver(null, { body: '{"ref": "refs/heads/main", ' });
		assert.ok(malformed.status === 400 || malformed.status === 422, `${malformed.status} ${malformed.body}`);
		const other = await deliver(await pushPayload(await repo.head('HEAD~1'), await repo.head(), { repository: 'octo-org/elsewhere' }));
		assert.equal(other.status, 422);
		assert.match(JSON.parse(other.body).message, /octo-org\/elsewhere is not configured/);
		const ping = examples.find((definition) => definition.name === 'ping')!.examples[0];
		const pong = await deliver(ping, { event: 'ping' });
		assert.deepEqual([pong.status, JSON.parse(pong.body).message], [200, 'pong']);
		assert.equal((await deliver({ action: 'created' }, { event: 'star' })).status, 202);
		await new Promise((resolve) => setTimeout(resolve, 1500));
		assert.equal(await runCount(), runs);
	});

	it('a huge push (more commits than GitHub lists) still ends exactly at the new commit', async () => {
		const start = await repo.head();
		for (let i = 0; i < 22; i++) {
			await repo.writeFiles({ [`generated/file-${i}.js`]: `exports.value${i} = function value${i}() {\n\treturn ${i};\n};\n` });
			await repo.commit(`generated ${i}`);
		}
		const head = await repo.head();
		const payload = await pushPayload(start, head);
		payload.commits = payload.commits.slice(0, 20);
		assert.equal((await deliver(payload)).status, 202);
		await waitForIndex('main', head);
		await assertExactIndex('main');
	});
});
