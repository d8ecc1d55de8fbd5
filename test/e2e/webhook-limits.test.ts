import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PushEvent } from '@octokit/webhooks-types';
import examples from '@octokit/webhooks-examples';
import { signPayload } from '../../lib/webhook';
import { createTestDatabase, type TestDatabase } from '../support/mysql-db';
import { githubWebhookCredential, repoMindCredentials } from './credentials';
import { N8nInstance } from './n8n';
import { linearWorkflow } from './workflows';

const ROOT = join(__dirname, '..', '..');
const SECRET = 'e2e-webhook-limits-secret-71c2';
const realPush = (examples.find((definition) => definition.name === 'push')!.examples as PushEvent[]).find((example) => example.ref === 'refs/heads/master')!;

/** n8n as `npm start` and the test harness run it (QUIET_N8N_ENV): webhook bodies as GitHub sends them. */
describe('GitHub Trigger webhook at n8n body-parsing level', () => {
	let database: TestDatabase;
	let n8n: N8nInstance;
	let url: string;

	before(async () => {
		database = await createTestDatabase();
		n8n = new N8nInstance({ packageDir: ROOT });
		await n8n.importCredentials([
			...repoMindCredentials({ chromaUrl: 'http://127.0.0.1:1', mysql: database.config }),
			githubWebhookCredential(SECRET),
		]);
		const trigger = {
			name: 'GitHub Push',
			type: 'n8n-nodes-repomind.repoMindGitHubTrigger',
			typeVersion: 1,
			webhookId: randomUUID(),
			parameters: { path: 'limits-github', repositories: 'octo-org/sample', branches: 'main', includeTags: false, otherEvents: 'ignore', options: {} },
			credentials: { repoMindGitHubWebhookApi: { id: 'repomindWebhook01', name: 'RepoMind GitHub Webhook' }, repoMindMySql: { id: 'repomindMySql001', name: 'RepoMind MySQL' } },
		};
		const noOp = { name: 'Received', type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} };
		await n8n.publish(await n8n.importWorkflow(linearWorkflow('limitsWebhook01', 'Webhook limits', [trigger, noOp])));
		await n8n.start();
		url = n8n.webhookUrl('limits-github');
	});
	after(async () => {
		await n8n?.cleanup();
		await database?.drop();
	});

	const post = async (body: string, headers: Record<string, string>) => {
		const response = await fetch(url, { method: 'POST', headers: { 'user-agent': 'GitHub-Hookshot/e2e', 'x-github-event': 'push', 'x-github-delivery': randomUUID(), ...headers }, body });
		return { status: response.status, text: await response.text() };
	};

	it('a body that is not JSON gets a short answer without a stack trace or server paths', async () => {
		const json = await post('this is {not json', { 'content-type': 'application/json' });
		assert.equal(json.status, 422, json.text);
		assert.doesNotMatch(json.text, /stack|node_modules|\/dist\/|at [\w.]+ \(/i);
		assert.ok(json.text.length < 300, json.text);
		const text = await post('plain text, unsigned', { 'content-type': 'text/plain' });
		assert.equal(text.status, 401, text.text);
		assert.doesNotMatch(text.text, /stack|node_modules/i);
	});

	it('a signed 20 MB push is accepted (GitHub sends up to 25 MB; n8n defaults to 16 MB)', async () => {
		const commit = realPush.commits[0];
		const filler = 'x'.repeat(10_000);
		const commits = Array.from({ length: 2100 }, (_, i) => ({ ...commit, id: i.toString(16).padStart(40, '0'), message: `commit ${i}\n\n${filler}` }));
		const payload = { ...realPush, ref: 'refs/heads/main', before: 'a'.repeat(40), after: 'b'.repeat(40), created: false, deleted: false, forced: false, commits, head_commit: commits.at(-1), repository: { ...realPush.repository, name: 'sample', full_name: 'octo-org/sample' } };
		const body = JSON.stringify(payload);
		assert.ok(body.length > 20 * 1024 * 1024, `${body.length} bytes`);
		const response = await post(body, { 'content-type': 'application/json', 'x-hub-signature-256': signPayload(body, SECRET) });
		assert.equal(response.status, 202, response.text.slice(0, 500));
		assert.equal(JSON.parse(response.text).status, 'accepted');
	});
});
