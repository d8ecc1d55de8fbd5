import assert from 'node:assert/strict';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { repoKeyFromSpec } from '../../cli/retrieval-args';
import { main } from '../../cli/repomind';
import { parseSyncArgs } from '../../cli/sync-args';
import { HashEmbedder } from '../../lib/embed';
import { startChatServer, type ChatServer } from '../support/chat-server';
import { startEmbeddingServer, type EmbeddingServer } from '../support/embedding-server';
import { makeRepository } from '../support/fixture-repo';
import type { GitRepo } from '../support/git-repo';
import { createIndexEnv, type IndexEnv } from '../support/index-env';
import { FIXTURE_REPO_KEY, syncLocal } from '../support/sync-assert';

const DATASET = join(__dirname, '..', 'fixtures', 'eval', 'dataset.csv');
const CHAT_KEY = 'sk-cli-ask-SECRET-31';

describe('repomind search, ask, eval --repo/--retrieval-only and sync --embed-base-url (in process, real MySQL and Chroma)', () => {
	let env: IndexEnv;
	let repo: GitRepo;
	let chat: ChatServer;
	let base: Record<string, string>;

	/** Runs the CLI in this process; stdout and stderr collected. */
	const cli = async (argv: string[], extraEnv: Record<string, string> = {}) => {
		let stdout = '';
		const stderr: string[] = [];
		const code = await main(argv, { ...base, ...extraEnv }, { write: (text) => (stdout += text), err: (text) => stderr.push(text) });
		return { code, stdout, stderr: stderr.join('\n') };
	};
	const index = () => ['--repo', FIXTURE_REPO_KEY, '--embedder', 'hash:384'];

	before(async () => {
		env = await createIndexEnv({ embedder: new HashEmbedder({ dimensions: 384 }), chunker: {} });
		repo = await makeRepository();
		await syncLocal(env, repo);
		chat = await startChatServer({ apiKey: CHAT_KEY });
		const { host, port, user, password, database } = env.database.config;
		base = {
			REPOMIND_MYSQL_URL: `mysql://${user}:${encodeURIComponent(password ?? '')}@${host}:${port}/${database}`,
			REPOMIND_CHROMA_URL: env.chroma.url,
			REPOMIND_CHAT_API_KEY: CHAT_KEY,
		};
	});
	after(async () => {
		await chat?.close();
		await env?.close();
		await repo?.dispose();
	});

	it('search prints path:start-end, score and a snippet per hit; --json gives the hits', async () => {
		const text = await cli(['search', 'has repeated char prefix overlap', ...index(), '--top-k', '3']);
		assert.equal(text.code, 0, text.stderr);
		const lines = text.stdout.trimEnd().split('\n');
		assert.equal(lines.length, 3);
		assert.match(lines[0], /^lib\/parse\.js:\d+-\d+\s+\d\.\d{3}  \S/);
		const json = await cli(['search', 'has repeated char prefix overlap', ...index(), '--top-k', '3', '--json', '--mode', 'lexical']);
		const result = JSON.parse(json.stdout) as { mode: string; hits: Array<{ path: string; startLine: number; text: string }> };
		assert.equal(result.mode, 'lexical');
		assert.equal(result.hits[0].path, 'lib/parse.js');
		assert.ok(result.hits[0].text.includes('hasRepeatedCharPrefixOverlap'));
		const usage = await cli(['search', ...index()]);
		assert.equal(usage.code, 2);
		assert.match(usage.stderr, /Give exactly one question/);
	});

	it('ask streams the answer from --chat-base-url and lists its sources; OPENAI_BASE_URL is only for embeddings', async () => {
		const before = chat.requests.length;
		const asked = await cli(['ask', 'How does the parser detect a repeated char prefix overlap?', ...index(), '--chat-base-url', `${chat.url}/v1`, '--model', 'repomind-test-chat'], { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' });
		assert.equal(asked.code, 0, asked.stderr);
		const request = chat.requests[before];
		assert.equal(request.stream, true, 'the answer was asked for as a stream');
		assert.ok(asked.stdout.startsWith(request.answer!.trim().slice(0, 20)), asked.stdout);
		assert.match(asked.stdout, /\n\nSources:\n\[1\] \S+:\d+-\d+/);
		assert.ok(!asked.stdout.includes(CHAT_KEY) && !asked.stderr.includes(CHAT_KEY));
		const json = await cli(['ask', 'How does the parser detect a repeated char prefix overlap?', ...index(), '--json'], { REPOMIND_CHAT_BASE_URL: `${chat.url}/v1` });
		const parsed = JSON.parse(json.stdout) as { answer: string; retrievedPaths: string[] };
		assert.ok(parsed.answer.length > 0 && parsed.retrievedPaths.includes('lib/parse.js'));
	});

	it('ask never sends the chat to OPENAI_BASE_URL', async () => {
		const before = chat.requests.length;
		// The OpenAI SDK reads OPENAI_BASE_URL from process.env itself when it is given no base URL.
		const saved = process.env.OPENAI_BASE_URL;
		process.env.OPENAI_BASE_URL = `${chat.url}/v1`;
		const misdirected = await cli(['ask', 'How is the pattern parsed?', ...index(), '--model', 'repomind-test-chat'], { OPENAI_BASE_URL: `${chat.url}/v1` }).finally(() => {
			if (saved === undefined) delete process.env.OPENAI_BASE_URL;
			else process.env.OPENAI_BASE_URL = saved;
		});
		assert.equal(misdirected.code, 1);
		assert.equal(chat.requests.length, before, 'the chat stand-in, named only by OPENAI_BASE_URL, got no request');
		assert.match(misdirected.stderr, /api\.openai\.com/);
	});

	it('eval --retrieval-only calls no chat model, --json lists the retrieved files, and every item failing exits 1', async () => {
		const before = chat.requests.length;
		const run = await cli(['eval', '--dataset', DATASET, ...index(), '--retrieval-only', '--no-store', '--json']);
		assert.equal(run.code, 0, run.stderr);
		assert.equal(chat.requests.length, before);
		const parsed = JSON.parse(run.stdout) as { results: Array<{ id: string; error?: string; retrievedPaths: string[]; metrics: Record<string, number> }> };
		assert.ok(parsed.results.every((result) => !result.error && result.retrievedPaths.length > 0));
		const windows = parsed.results.find((result) => result.id === 'is-windows')!;
		assert.equal(windows.metrics.fileHitRate, 1);
		assert.equal(windows.metrics.faithfulness, undefined);

		const unindexed = await cli(['eval', '--dataset', DATASET, '--repo', repo.path, '--embedder', 'hash:384', '--retrieval-only', '--no-store']);
		assert.equal(unindexed.code, 1);
		assert.match(unindexed.stderr, new RegExp(`every item failed \\(5 of 5\\); the first error: Repository "local:${realpathSync(repo.path)}" has no index`));
	});

	it('--repo takes sync\'s forms: a path (its real path) or github:owner/repo, or a key as is', async () => {
		assert.equal(await repoKeyFromSpec(repo.path), `local:${realpathSync(repo.path)}`);
		assert.equal(await repoKeyFromSpec('github:Octo-Org/Hello.World'), 'github:octo-org/hello.world');
		assert.equal(await repoKeyFromSpec('local:fixture'), 'local:fixture');
	});

	it('sync --embed-base-url sends openai:<model> embeddings there instead of OPENAI_BASE_URL', async () => {
		assert.equal(parseSyncArgs(['--repo', '.', '--embedder', 'openai:m', '--embed-base-url', 'http://e/v1']).embedBaseUrl, 'http://e/v1');
		const embeddings: EmbeddingServer = await startEmbeddingServer({ dimensions: 32 });
		try {
			const synced = await cli(['sync', '--repo', repo.path, '--embedder', 'openai:text-embedding-test', '--embed-base-url', `${embeddings.url}/v1`], { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_API_KEY: 'sk-test' });
			assert.equal(synced.code, 0, synced.stderr);
			assert.ok(embeddings.requests.length > 0);
		} finally {
			await embeddings.close();
		}
	});
});
