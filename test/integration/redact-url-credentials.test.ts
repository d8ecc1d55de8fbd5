import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RowDataPacket } from 'mysql2/promise';
import type { INode } from 'n8n-workflow';
import { describeError } from '../../cli/sync';
import { BatchingEmbedder, OpenAIEmbedder } from '../../lib/embed';
import { GitHubSource, LocalGitSource } from '../../lib/source';
import { syncRepository } from '../../lib/sync';
import { toNodeError } from '../../nodes/shared/errors';
import { GitRepo } from '../support/git-repo';
import { createIndexEnv, type IndexEnv } from '../support/index-env';
import { freePort } from '../support/ports';

const PASSWORD = 's3cret-Pa55word';

describe('URLs with user:password never reach messages or stored runs', () => {
	let repo: GitRepo;
	let env: IndexEnv;
	let closedPort: number;

	before(async () => {
		repo = await GitRepo.create();
		await repo.writeFiles({ 'index.ts': 'export const answer = 42;\n' });
		await repo.commit('init');
		closedPort = await freePort();
		const openAi = new OpenAIEmbedder({ model: 'text-embedding-3-small', apiKey: 'none', baseURL: `http://admin:${PASSWORD}@127.0.0.1:${closedPort}/v1` });
		const embedder = new BatchingEmbedder(openAi, { retries: 0 });
		env = await createIndexEnv({ embedder });
	});
	after(async () => {
		await env?.close();
		await repo?.dispose();
	});

	test('a failed sync: the thrown error and repomind_index_runs.error', async () => {
		const source = new LocalGitSource({ path: repo.path });
		try {
			await assert.rejects(syncRepository(source, env.deps, { ref: 'HEAD' }), (error: Error) => {
				assert.doesNotMatch(error.message, new RegExp(PASSWORD));
				assert.match(error.message, new RegExp(`http://\\[redacted\\]@127\\.0\\.0\\.1:${closedPort}/v1`));
				return true;
			});
		} finally {
			await source.close();
		}
		const [rows] = await env.pool.query<RowDataPacket[]>('SELECT status, error FROM repomind_index_runs');
		assert.equal(rows.length, 1);
		assert.equal(rows[0].status, 'failed');
		assert.doesNotMatch(rows[0].error, new RegExp(PASSWORD));
		assert.match(rows[0].error, /\[redacted\]@/);
	});

	test('an unreachable GitHub base URL', async () => {
		const github = new GitHubSource({ owner: 'o', repo: 'r', baseUrl: `http://user:${PASSWORD}@127.0.0.1:${closedPort}`, maxRetries: 0 });
		await assert.rejects(github.resolveRef('main'), (error: Error) => {
			assert.doesNotMatch(error.message, new RegExp(PASSWORD));
			return true;
		});
	});

	test('the node error mapper and the CLI message redact whatever reaches them', () => {
		const raw = new Error(`git fetch https://x-access-token:${PASSWORD}@github.com/o/r.git failed; mysql://root:${PASSWORD}@db:3306/repomind`);
		const node = { name: 'RepoMind', type: 'n8n-nodes-repomind.vectorStore', typeVersion: 1, position: [0, 0], parameters: {} } as unknown as INode;
		for (const message of [toNodeError(node, raw, 0).message, describeError(raw)]) {
			assert.doesNotMatch(message, new RegExp(PASSWORD));
			assert.match(message, /https:\/\/\[redacted\]@github\.com\/o\/r\.git failed; mysql:\/\/\[redacted\]@db:3306\/repomind/);
		}
	});
});
