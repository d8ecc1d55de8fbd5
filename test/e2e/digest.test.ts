import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RowDataPacket } from 'mysql2/promise';
import { startChatServer, type ChatServer } from '../support/chat-server';
import { makeRepository } from '../support/fixture-repo';
import type { GitRepo } from '../support/git-repo';
import { startGitHubServer, type GitHubServer } from '../support/github-server';
import { openPool } from '../../lib/store/mysql';
import { createTestDatabase, type TestDatabase } from '../support/mysql-db';
import { startMailServer, type MailServer } from '../support/smtp-server';
import { repoMindChatCredential, repoMindCredentials } from './credentials';
import { N8nInstance, nodeOutput } from './n8n';

const ROOT = join(__dirname, '..', '..');
const RECIPIENTS = 'dev-team@example.test, lead@example.test';

describe('workflows/repo-digest-email.json in a real n8n', () => {
	let repo: GitRepo;
	let github: GitHubServer;
	let chat: ChatServer;
	let database: TestDatabase;
	let mail: MailServer;
	let n8n: N8nInstance;
	let workflowId: string;

	before(async () => {
		repo = await makeRepository();
		[github, chat, database, mail] = await Promise.all([
			startGitHubServer({ repoPath: repo.path, owner: 'octo-org', repo: 'sample', token: 'ghp-test-token' }),
			startChatServer({ apiKey: 'sk-chat-test' }),
			createTestDatabase(),
			startMailServer(),
		]);
		// A model that writes one "## <area>" section per area listed in the changed-files source.
		chat.reply = (request) => {
			const listing = request.sources.find((source) => source.label.startsWith('changed files'))?.text ?? '';
			const areas = [...listing.matchAll(/^## (.+)$/gm)].map((match) => match[1]);
			return areas.map((area) => `## ${area}\nWork in ${area} this week [1].`).join('\n\n');
		};
		n8n = new N8nInstance({ packageDir: ROOT });
		await n8n.importCredentials([
			...repoMindCredentials({ chromaUrl: 'http://127.0.0.1:9', mysql: database.config, githubBaseUrl: github.baseUrl, githubToken: 'ghp-test-token' }),
			repoMindChatCredential(`${chat.url}/v1`, 'sk-chat-test'),
			{ id: 'repomindSmtp001', name: 'RepoMind SMTP', type: 'smtp', data: { user: '', password: '', host: mail.host, port: mail.port, secure: false, disableStartTls: true, hostName: '' } },
		]);
		const workflow = JSON.parse(readFileSync(join(ROOT, 'workflows', 'repo-digest-email.json'), 'utf8'));
		const settings = workflow.nodes.find((node: { name: string }) => node.name === 'Settings');
		const values: Record<string, string> = { owner: 'octo-org', repository: 'sample', ref: 'main', digestName: 'weekly', recipients: RECIPIENTS, fromEmail: 'RepoMind <repomind@example.test>' };
		for (const assignment of settings.parameters.assignments.assignments) assignment.value = values[assignment.name];
		workflowId = await n8n.importWorkflow(workflow);
	});

	after(async () => {
		await n8n?.cleanup();
		await Promise.all([github?.close(), chat?.close(), database?.drop(), mail?.close()]);
		await repo?.dispose();
	});

	async function digestRow(): Promise<RowDataPacket | undefined> {
		const pool = openPool(database.config);
		try {
			const [rows] = await pool.query<RowDataPacket[]>("SELECT * FROM repomind_digests WHERE repo_key = 'github:octo-org/sample' AND ref = 'main' AND digest_name = 'weekly'");
			return rows[0];
		} finally {
			await pool.end();
		}
	}

	it('first run remembers where to start and sends nothing', async () => {
		const result = await n8n.execute(workflowId);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		assert.deepEqual(nodeOutput(result, 'Collect Changes'), []);
		assert.equal(mail.messages.length, 0);
		assert.equal((await digestRow())?.commit_sha, await repo.head());
	});

	it('after new commits, e-mails the recipients a summary grouped by area with links, and records it', async () => {
		const utils = readFileSync(join(repo.path, 'lib', 'utils.js'), 'utf8');
		await repo.writeFiles({ 'lib/utils.js': `${utils}\nexports.digestTest = true;\n`, 'docs/guide.md': '# Guide\n\nHow to use it.\n' });
		await repo.commit('utils flag and a guide');
		const example = (await repo.git('ls-files', 'examples')).split('\n')[0];
		await repo.deleteFiles([example]);
		const head = await repo.commit('drop an example');
		const result = await n8n.execute(workflowId);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		assert.equal(mail.messages.length, 1);
		const [message] = mail.messages;
		assert.equal(message.subject, '[RepoMind] octo-org/sample@main: 2 commits, 3 files changed in docs, examples, lib');
		assert.deepEqual(message.envelopeTo, ['dev-team@example.test', 'lead@example.test']);
		assert.equal(message.envelopeFrom, 'repomind@example.test');
		for (const area of ['docs', 'examples', 'lib']) {
			assert.match(message.text, new RegExp(`^## ${area}\\nWork in ${area} this week \\[1\\]\\.$`, 'm'));
			assert.match(message.html, new RegExp(`<h3>${area}</h3>`));
		}
		assert.match(message.text, new RegExp(`^- modified lib/utils\\.js: https://github\\.com/octo-org/sample/blob/${head}/lib/utils\\.js$`, 'm'));
		assert.match(message.text, new RegExp(`^- removed ${example.replace(/[.]/g, '\\.')}: https://github\\.com/octo-org/sample/blob/[0-9a-f]{40}/`, 'm'));
		assert.match(message.text, /^Compare: https:\/\/github\.com\/octo-org\/sample\/compare\/[0-9a-f]{40}\.\.\.[0-9a-f]{40}$/m);
		assert.match(message.text, new RegExp(`^- ${head.slice(0, 7)} drop an example \\(RepoMind Test\\): https://github\\.com/octo-org/sample/commit/${head}$`, 'm'));
		assert.match(message.html, new RegExp(`<a href="https://github.com/octo-org/sample/commit/${head}">${head.slice(0, 7)}</a>`));
		assert.equal(chat.requests.length, 1);
		const [recorded] = nodeOutput(result, 'Record Digest Sent');
		assert.equal(recorded.commitSha, head);
		const row = await digestRow();
		assert.deepEqual([row?.commit_sha, row?.commit_count, row?.file_count, row?.recipients], [head, 2, 3, RECIPIENTS]);
	});

	it('run again with no new commits: nothing is sent', async () => {
		const result = await n8n.execute(workflowId);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		assert.equal(mail.messages.length, 1);
		assert.equal(chat.requests.length, 1);
	});
});
