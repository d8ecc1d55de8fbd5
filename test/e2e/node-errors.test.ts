import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureHarness, N8nInstance } from './n8n';
import { linearWorkflow, webhookTrigger } from './workflows';

const ROOT = join(__dirname, '..', '..');
const OWNER = { email: 'owner@repomind.test', firstName: 'Repo', lastName: 'Mind', password: 'Errors-test-Passw0rd' };
const OUTSIDE = '/tmp/repomind-not-a-readable-repository';
const MESSAGE = `The repository path ${OUTSIDE} is outside the folders n8n may read`;
const FIX = 'Clone the repository inside a folder listed in N8N_RESTRICT_FILE_ACCESS_TO';

describe('a failing RepoMind node in a real n8n server', () => {
	let n8n: N8nInstance;
	let allowed: string;

	before(async () => {
		allowed = mkdtempSync(join(tmpdir(), 'repomind-allowed-'));
		n8n = new N8nInstance({ harnessDir: ensureHarness(), packageDir: ROOT, env: { N8N_RESTRICT_FILE_ACCESS_TO: allowed } });
		const workflow = linearWorkflow('repomindFailing01', 'Repo Fetch outside the readable folders', [
			webhookTrigger('repomind-failing'),
			{ name: 'Fetch Clone', type: 'n8n-nodes-repomind.repoMindRepoFetch', typeVersion: 1, parameters: { operation: 'snapshot', source: 'local', repositoryPath: OUTSIDE, ref: 'main' } },
		]);
		await n8n.publish(await n8n.importWorkflow(workflow));
		await n8n.start();
	});

	after(async () => {
		await n8n?.cleanup();
		rmSync(allowed, { recursive: true, force: true });
	});

	it("writes the node's message and what to fix to n8n's log, and the execution view shows both", async () => {
		const response = await fetch(n8n.webhookUrl('repomind-failing'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
		assert.equal(response.status, 500);
		const deadline = Date.now() + 15_000;
		while (!n8n.logs().includes(MESSAGE) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
		const line = n8n.logs().split('\n').find((text) => text.includes(MESSAGE));
		assert.ok(line, `n8n's log does not say what failed:\n${n8n.logs().split('Editor is now accessible')[1]}`);
		assert.ok(line.includes('Fetch Clone') && line.includes(FIX), `the log line names the node and the fix: ${line}`);

		const api = await publicApi(new URL(n8n.webhookUrl('x')).origin);
		const { data: [execution] } = await api<{ data: Array<{ id: string }> }>('/executions?includeData=false');
		const { data } = await api<{ data: { resultData: { runData: Record<string, Array<{ error: { message: string; description: string } }>> } } }>(`/executions/${execution.id}?includeData=true`);
		const { error } = data.resultData.runData['Fetch Clone'][0];
		assert.equal(error.message, MESSAGE);
		assert.match(error.description, new RegExp(`^${FIX}`));
	});
});

/** GET on n8n's public API with a new API key of a new owner account. */
async function publicApi(origin: string): Promise<<T>(path: string) => Promise<T>> {
	const json = { 'content-type': 'application/json' };
	const post = (path: string, body: unknown, headers: Record<string, string> = {}) => fetch(`${origin}${path}`, { method: 'POST', headers: { ...json, ...headers }, body: JSON.stringify(body) });
	await post('/rest/owner/setup', OWNER);
	const login = await post('/rest/login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password });
	const cookie = login.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
	const { data: scopes } = (await (await fetch(`${origin}/rest/api-keys/scopes`, { headers: { cookie } })).json()) as { data: string[] };
	const { data: created } = (await (await post('/rest/api-keys', { label: 'errors-test', scopes, expiresAt: null }, { cookie })).json()) as { data: { rawApiKey: string } };
	const key = created.rawApiKey;
	return async <T>(path: string) => {
		const answer = await fetch(`${origin}/api/v1${path}`, { headers: { 'X-N8N-API-KEY': key } });
		assert.ok(answer.ok, `${path}: ${answer.status}`);
		return (await answer.json()) as T;
	};
}
