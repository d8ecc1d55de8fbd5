import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { retrieve } from '../../lib/retrieve';
import type { RetrieveResult } from '../../lib/retrieve';
import { openPool } from '../../lib/store/mysql';
import type { ChatServer } from '../support/chat-server';
import type { EmbeddingServer } from '../support/embedding-server';
import type { IndexEnv } from '../support/index-env';
import type { TestDatabase } from '../support/mysql-db';
import { SAMPLE_REPO } from '../support/fixture-repo';
import { startStandIns, type StandIns } from '../support/stand-ins';
import { repoMindChatCredential, standInCredentials } from './credentials';
import { N8nInstance, sendChatMessage } from './n8n';

const ROOT = join(__dirname, '..', '..');
const WORKFLOW = join(ROOT, 'workflows', 'repo-qa-chat.json');
const REPO_KEY = SAMPLE_REPO.key;
const EMBED_KEY = 'sk-local-test';
const CHAT_KEY = 'sk-chat-e2e-SECRET-91b0';
const QUESTION = 'How does isWindows detect the win32 platform (navigator or process)?';

interface WorkflowNode {
	name: string;
	parameters: Record<string, unknown>;
}

describe('workflows/repo-qa-chat.json in a real n8n', () => {
	let standIns: StandIns;
	let embeddings: EmbeddingServer;
	let chat: ChatServer;
	let database: TestDatabase;
	let index: IndexEnv;
	let n8n: N8nInstance;
	let chatUrl: string;

	/** What Retrieve finds for a question, computed in-process on the same index. */
	const expectedHits = (question: string): Promise<RetrieveResult> =>
		retrieve(
			{ state: index.deps.state, vectors: index.deps.vectors, embedder: standIns.embedder() },
			{ question, repoKey: REPO_KEY, ref: 'main', mode: 'hybrid', topK: 8 },
		);

	const ask = async (sessionId: string, chatInput: string) => {
		const response = await sendChatMessage(chatUrl, sessionId, chatInput);
		const text = await response.text();
		return {
			status: response.status,
			text,
			json: (() => {
				try {
					return JSON.parse(text);
				} catch {
					return null;
				}
			})(),
		};
	};

	const loggedQueries = async (conversationId: string) => {
		const pool = openPool(database.config);
		try {
			const [rows] = await pool.query(
				'SELECT * FROM repomind_queries WHERE conversation_id = ? ORDER BY id',
				[conversationId],
			);
			return rows as Array<Record<string, unknown>>;
		} finally {
			await pool.end();
		}
	};

	before(async () => {
		standIns = await startStandIns({ embedKey: EMBED_KEY, chatKey: CHAT_KEY });
		({ embeddings, chat, database } = standIns);
		index = await standIns.indexRepository();
		n8n = new N8nInstance({ packageDir: ROOT });
		await n8n.importCredentials([...standInCredentials(standIns), repoMindChatCredential(`${chat.url}/v1`, CHAT_KEY)]);
		const workflow = JSON.parse(readFileSync(WORKFLOW, 'utf8')) as { nodes: WorkflowNode[] };
		const node = (name: string) => workflow.nodes.find((entry) => entry.name === name)!;
		node('Retrieve').parameters.repositoryKey = { __rl: true, mode: 'list', value: REPO_KEY };
		node('Generate').parameters.openAiChatModel = 'repomind-test-chat';
		[chatUrl] = await n8n.serveChatWorkflows([workflow]);
	});

	after(async () => {
		await n8n?.cleanup();
		await standIns?.close();
	});

	beforeEach(() => {
		chat.requests.length = 0;
		chat.appendToAnswers = '';
	});

	it('answers from the retrieved chunks, with citations as GitHub links, and logs the question', async () => {
		const expected = await expectedHits(QUESTION);
		assert.ok(
			expected.hits.some((hit) => hit.path === 'lib/utils.js'),
			'retrieval finds lib/utils.js',
		);
		const reply = await ask('session-e2e-1', QUESTION);
		assert.equal(reply.status, 200, `${reply.text}\n${n8n.logs().slice(-3000)}`);
		assert.equal(chat.requests.length, 1);
		const [request] = chat.requests;
		assert.equal(request.authorization, `Bearer ${CHAT_KEY}`);
		assert.equal(request.model, 'repomind-test-chat');
		assert.equal(request.question, QUESTION);
		const label = (hit: RetrieveResult['hits'][number]) =>
			`${hit.path}:${hit.startLine}-${hit.endLine}${hit.symbol ? ` (${hit.symbol.replace(/\s+/g, ' ')})` : ''}`;
		assert.deepEqual(
			request.sources.map((source) => source.label),
			expected.hits.map(label),
		);
		assert.deepEqual(
			request.sources.map((source) => source.text),
			expected.hits.map((hit) => hit.text),
		);

		const answer = request.answer!;
		const cited = [...answer.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1]));
		assert.ok(cited.length >= 1);
		const links = cited.map((n) => {
			const hit = expected.hits[n - 1];
			return `[${n}] [${hit.path}:${hit.startLine}-${hit.endLine}](https://github.com/octo-org/sample/blob/main/${hit.path}#L${hit.startLine}-L${hit.endLine})`;
		});
		assert.equal(reply.json.output, `${answer}\n\nSources:\n${links.join('\n')}`);
		assert.ok(
			links.some((link) => link.includes('/blob/main/lib/utils.js#L')),
			`the isWindows chunk is cited: ${reply.json.output}\n${request.sources.map((source) => source.label).join('\n')}`,
		);

		const rows = await loggedQueries('session-e2e-1');
		assert.equal(rows.length, 1);
		const [row] = rows;
		assert.deepEqual(
			[row.question, row.repo_key, row.ref, row.answer, row.model, row.error],
			[QUESTION, REPO_KEY, 'main', answer, 'repomind-test-chat', null],
		);
		assert.deepEqual(
			row.retrieved,
			expected.hits.map((hit) => ({ chunkId: hit.chunkId, score: hit.score })),
		);
		assert.deepEqual(
			(row.citations as Array<{ chunkId: string }>).map((citation) => citation.chunkId),
			cited.map((n) => expected.hits[n - 1].chunkId),
		);
		assert.ok(Number(row.prompt_tokens) > 100 && Number(row.latency_ms) >= 0);
	});

	it('removes an invented citation before it reaches the chat, and says so', async () => {
		chat.appendToAnswers = ' See also [99].';
		const reply = await ask(
			'session-e2e-2',
			'Where are regex special characters escaped (escapeRegex)?',
		);
		assert.equal(reply.status, 200, reply.text);
		const output = String(reply.json.output);
		assert.ok(!output.includes('[99]'), output);
		assert.ok(output.includes(' See also.'), output);
		assert.ok(
			output.endsWith('\n\n(1 citation(s) to code that was not retrieved were removed.)'),
			output,
		);
		const [row] = await loggedQueries('session-e2e-2');
		assert.ok(!String(row.answer).includes('[99]'));
	});

	it('the same question again is answered from the answer cache: no model or embedding call, the same reply, logged', async () => {
		const first = await ask('session-e2e-4', 'Which function converts a glob pattern to a regular expression?');
		assert.equal(first.status, 200, first.text);
		const embedded = embeddings.requests.length;
		chat.requests.length = 0;
		const again = await ask('session-e2e-5', '  Which function converts a glob   pattern to a regular expression ');
		assert.equal(again.status, 200, again.text);
		assert.equal(again.json.output, first.json.output);
		assert.equal(chat.requests.length, 0, 'no chat completion for a cached answer');
		assert.equal(embeddings.requests.length, embedded, 'no embedding for a cached search result');
		const [row] = await loggedQueries('session-e2e-5');
		assert.equal(row.answer, (await loggedQueries('session-e2e-4'))[0].answer);
		const pool = openPool(database.config);
		try {
			const [cached] = await pool.query('SELECT kind, hit_count FROM repomind_answer_cache WHERE hit_count > 0 ORDER BY kind');
			assert.deepEqual(cached, [{ kind: 'answer', hit_count: 1 }, { kind: 'search', hit_count: 1 }]);
		} finally {
			await pool.end();
		}
	});

	it('a chat model failing after retries fails the run with a clear error, logged with the question', async () => {
		chat.failNext(4, 'server-error');
		const reply = await ask('session-e2e-3', 'How are braces expanded?');
		assert.notEqual(reply.status, 200);
		assert.equal(chat.requests.length, 4, 'one try and three retries');
		const [row] = await loggedQueries('session-e2e-3');
		assert.match(
			String(row.error),
			/^Chat completion with openai:repomind-test-chat failed: server error \(HTTP 500\).*\(gave up after 4 attempts\)$/,
		);
		assert.ok(!reply.text.includes(CHAT_KEY) && !String(row.error).includes(CHAT_KEY));
	});
});
