import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local OpenAI-compatible (and Hugging Face / TGI-compatible) `/v1/chat/completions` server that
 * answers deterministically from the prompt it receives: it reads the labelled, fenced sources
 * `[n] path:a-b` in the user message, picks the ones sharing the most words with the question, and
 * answers with a sentence citing them.
 */

export interface ChatServerOptions {
	/** When set, requests without `Authorization: Bearer <apiKey>` get 401. */
	apiKey?: string;
	/** Sources cited per answer (most words in common first). Default 2. */
	maxCitations?: number;
}

export type ChatFailure = 'rate-limit' | 'server-error' | 'unavailable';

/** One source as the server found it in the prompt. */
export interface PromptSource {
	n: number;
	label: string;
	text: string;
}

export interface ChatRequestLog {
	path: string;
	model?: string;
	authorization?: string;
	temperature?: number;
	maxTokens?: number;
	system: string;
	user: string;
	/** The fenced sources parsed from the user message. */
	sources: PromptSource[];
	/** The request text after the sources (`Question:` etc.). */
	question: string;
	status: number;
	answer?: string;
	/** Tool names the request offered (OpenAI `tools`). */
	tools: string[];
	/** Whether the client asked for a streamed (SSE) answer. */
	stream: boolean;
	/** The tool call the server answered with, if any. */
	toolCall?: { name: string; arguments: Record<string, unknown> };
	/** Contents of the request's `tool` messages (results of earlier tool calls). */
	toolResults: string[];
}

/** What the server does when a request offers tools and carries no tool result yet. */
export type ToolCallPlan = (request: ChatRequestLog) => { name: string; arguments: Record<string, unknown> } | undefined;

export interface ChatServer {
	/** Base URL: OpenAI clients use `${url}/v1`; HF endpoint clients use `${url}`. */
	url: string;
	requests: ChatRequestLog[];
	/** The next `count` completions fail this way (429 carries `Retry-After: retryAfter` seconds). */
	failNext(count: number, failure: ChatFailure, retryAfter?: string): void;
	/** Text appended to every answer, e.g. an invented citation ` See also [99].`; '' to stop. */
	appendToAnswers: string;
	/** Replaces the deterministic answer when it returns a string. */
	reply?: (request: ChatRequestLog) => string | undefined;
	/** When set, a request offering tools without a tool result yet is answered with this tool call. */
	callTool?: ToolCallPlan;
	/** Characters per streamed content chunk (default 6). */
	streamChunkChars: number;
	/** Pause between streamed pieces (default 0), so a client can tell a stream from one buffered reply. */
	streamDelayMs: number;
	close(): Promise<void>;
}

const SOURCE =
	/^\[(\d+)\] (.*)\n----- BEGIN UNTRUSTED DATA ([A-Za-z0-9_-]+) -----\n([\s\S]*?)\n----- END UNTRUSTED DATA \3 -----$/gm;
const REQUEST = /\n(?:Question|Request|Changes to summarise):\n([\s\S]*)$/;
const STOPWORDS = new Set([
	'the',
	'and',
	'for',
	'how',
	'does',
	'what',
	'which',
	'where',
	'why',
	'with',
	'this',
	'that',
	'are',
	'from',
	'into',
	'when',
	'who',
	'its',
	'use',
	'used',
]);

/** Lower-case words of a text, identifiers split (`parseHeaderLines` -> parse, header, lines). */
export function wordsOf(text: string): Set<string> {
	const split = text
		.replace(/([a-z0-9])([A-Z])/g, '$1 $2')
		.replace(/[_\W]+/g, ' ')
		.toLowerCase();
	return new Set(split.split(' ').filter((word) => word.length >= 3 && !STOPWORDS.has(word)));
}

/** Sources and request of a RepoMind prompt's user message. */
export function parsePrompt(user: string): { sources: PromptSource[]; question: string } {
	const sources = [...user.matchAll(SOURCE)].map((match) => ({
		n: Number(match[1]),
		label: match[2],
		text: match[4],
	}));
	return { sources, question: REQUEST.exec(user)?.[1].trim() ?? '' };
}

/** The deterministic answer: the best-matching sources, cited. */
export function deterministicAnswer(
	sources: PromptSource[],
	question: string,
	maxCitations = 2,
): string {
	const asked = wordsOf(question);
	const scored = sources
		.map((source) => ({
			source,
			score: [...wordsOf(`${source.label} ${source.text}`)].filter((word) => asked.has(word))
				.length,
		}))
		.filter((entry) => entry.score > 0)
		.sort((a, b) => b.score - a.score || a.source.n - b.source.n)
		.slice(0, maxCitations);
	if (scored.length === 0) return 'The sources do not answer this question.';
	return scored
		.map(({ source }) => `${source.label.split(' ')[0]} is relevant here [${source.n}].`)
		.join(' ');
}

/** Start the chat stand-in on 127.0.0.1. */
export async function startChatServer(options: ChatServerOptions = {}): Promise<ChatServer> {
	const failures: Array<{ failure: ChatFailure; retryAfter: string }> = [];
	const state: ChatServer = {
		url: '',
		requests: [],
		appendToAnswers: '',
		streamChunkChars: 6,
		streamDelayMs: 0,
		failNext(count, failure, retryAfter = '0') {
			for (let i = 0; i < count; i++) failures.push({ failure, retryAfter });
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};

	const handle = async (req: IncomingMessage, res: ServerResponse) => {
		const path = new URL(req.url ?? '/', 'http://localhost').pathname;
		const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
			res
				.writeHead(status, { 'content-type': 'application/json', ...headers })
				.end(JSON.stringify(payload));
		};
		if (req.method === 'GET' && path === '/v1/models')
			return send(200, {
				object: 'list',
				data: [{ id: 'repomind-test-chat', object: 'model', owned_by: 'local' }],
			});
		const ollama = path === '/api/chat';
		if (req.method !== 'POST' || (path !== '/v1/chat/completions' && !ollama))
			return send(404, { error: { message: `No route ${req.method} ${path}` } });
		const body = await readJson(req);
		const messages: Array<{ role: string; content: string }> = (body.messages ?? []).map(
			(message: { role: string; content: unknown }) => ({ ...message, content: contentText(message.content) }),
		);
		const user = messages
			.filter((message) => message.role === 'user')
			.map((message) => message.content)
			.join('\n');
		const entry: ChatRequestLog = {
			path,
			model: body.model,
			authorization: req.headers.authorization,
			temperature: body.temperature,
			maxTokens: body.max_tokens ?? body.max_completion_tokens,
			system: messages
				.filter((message) => message.role === 'system')
				.map((message) => message.content)
				.join('\n'),
			user,
			...parsePrompt(user),
			status: 200,
			tools: (body.tools ?? []).map((tool: { function?: { name?: string } }) => tool.function?.name ?? ''),
			// Ollama streams unless told not to; OpenAI only when asked.
			stream: ollama ? body.stream !== false : body.stream === true,
			toolResults: messages.filter((message) => message.role === 'tool').map((message) => message.content),
		};
		state.requests.push(entry);
		// OpenAI errors are `{ error: { message } }`; Ollama's are `{ error: "<text>" }`.
		const fail = (status: number, message: string, headers?: Record<string, string>) => {
			entry.status = status;
			send(status, ollama ? { error: message } : { error: { message } }, headers);
		};
		if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`)
			return fail(401, 'Invalid API key provided');
		const failure = failures.shift();
		if (failure?.failure === 'rate-limit')
			return fail(429, 'Rate limit reached for requests', { 'retry-after': failure.retryAfter });
		if (failure?.failure === 'server-error') return fail(500, 'The server had an error');
		if (failure?.failure === 'unavailable') return fail(503, 'Model is loading');
		const toolCall =
			entry.tools.length > 0 && entry.toolResults.length === 0 ? state.callTool?.(entry) : undefined;
		if (toolCall) {
			entry.toolCall = toolCall;
			return entry.stream ? streamToolCall(res, body.model, toolCall) : sendToolCall(send, body.model, toolCall);
		}
		const answer =
			(state.reply?.(entry) ??
				deterministicAnswer(entry.sources, entry.question, options.maxCitations)) +
			state.appendToAnswers;
		entry.answer = answer;
		const promptTokens = Math.ceil(
			messages.reduce((sum, message) => sum + message.content.length, 0) / 4,
		);
		const completionTokens = Math.ceil(answer.length / 4);
		const usage = {
			prompt_tokens: promptTokens,
			completion_tokens: completionTokens,
			total_tokens: promptTokens + completionTokens,
		};
		const pieces = { chunkChars: state.streamChunkChars, delayMs: state.streamDelayMs };
		if (ollama) return ollamaAnswer(res, body.model, answer, entry.stream ? pieces : undefined, usage);
		if (entry.stream) return sse(res, body.model, answerDeltas(answer, pieces.chunkChars), 'stop', usage, pieces.delayMs);
		send(200, {
			id: `chatcmpl-${state.requests.length}`,
			object: 'chat.completion',
			created: Math.floor(Date.now() / 1000),
			model: body.model ?? 'repomind-test-chat',
			choices: [
				{
					index: 0,
					message: { role: 'assistant', content: answer },
					finish_reason: 'stop',
					logprobs: null,
				},
			],
			usage,
		});
	};

	const server = createServer((req, res) => {
		handle(req, res).catch((error: unknown) => {
			if (!res.headersSent)
				res.writeHead(400).end(JSON.stringify({ error: { message: String(error) } }));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return state;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function readJson(req: IncomingMessage): Promise<any> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	const text = Buffer.concat(chunks).toString('utf8');
	return text ? JSON.parse(text) : {};
}

/** The text of an OpenAI message content: a string, or the text parts of a list. */
function contentText(content: unknown): string {
	if (typeof content === 'string') return content;
	if (Array.isArray(content))
		return content.map((part) => (typeof part?.text === 'string' ? part.text : '')).join('');
	return '';
}

function sendToolCall(
	send: (status: number, payload: unknown) => void,
	model: string | undefined,
	call: { name: string; arguments: Record<string, unknown> },
): void {
	send(200, {
		id: 'chatcmpl-tool',
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: model ?? 'repomind-test-chat',
		choices: [
			{
				index: 0,
				message: {
					role: 'assistant',
					content: null,
					tool_calls: [
						{
							id: 'call_repomind_1',
							type: 'function',
							function: { name: call.name, arguments: JSON.stringify(call.arguments) },
						},
					],
				},
				finish_reason: 'tool_calls',
				logprobs: null,
			},
		],
		usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
	});
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function sse(res: ServerResponse, model: string | undefined, deltas: object[], finish: string, usage?: object, delayMs = 0): Promise<void> {
	res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
	const base = { id: 'chatcmpl-stream', object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: model ?? 'repomind-test-chat' };
	for (const delta of deltas) {
		res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`);
		if (delayMs) await pause(delayMs);
	}
	res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: finish }] })}\n\n`);
	if (usage) res.write(`data: ${JSON.stringify({ ...base, choices: [], usage })}\n\n`);
	res.end('data: [DONE]\n\n');
}

/** The answer as OpenAI stream deltas of `chunkChars` characters. */
function answerDeltas(answer: string, chunkChars: number): object[] {
	const pieces: object[] = [{ role: 'assistant', content: '' }];
	for (let i = 0; i < answer.length; i += chunkChars) pieces.push({ content: answer.slice(i, i + chunkChars) });
	return pieces;
}

function streamToolCall(res: ServerResponse, model: string | undefined, call: { name: string; arguments: Record<string, unknown> }): Promise<void> {
	return sse(
		res,
		model,
		[{ role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_repomind_1', type: 'function', function: { name: call.name, arguments: JSON.stringify(call.arguments) } }] }],
		'tool_calls',
		{ prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
	);
}

/** Ollama's /api/chat reply: NDJSON message pieces, then a `done` line with the token counts (one object when not streamed). */
async function ollamaAnswer(res: ServerResponse, model: string | undefined, answer: string, stream: { chunkChars: number; delayMs: number } | undefined, usage: { prompt_tokens: number; completion_tokens: number }): Promise<void> {
	const base = { model: model ?? 'repomind-test-chat', created_at: new Date().toISOString() };
	const done = { done: true, done_reason: 'stop', prompt_eval_count: usage.prompt_tokens, eval_count: usage.completion_tokens };
	if (!stream) {
		res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...base, message: { role: 'assistant', content: answer }, ...done }));
		return;
	}
	res.writeHead(200, { 'content-type': 'application/x-ndjson' });
	for (let i = 0; i < answer.length; i += stream.chunkChars) {
		res.write(`${JSON.stringify({ ...base, message: { role: 'assistant', content: answer.slice(i, i + stream.chunkChars) }, done: false })}\n`);
		if (stream.delayMs) await pause(stream.delayMs);
	}
	res.end(`${JSON.stringify({ ...base, message: { role: 'assistant', content: '' }, ...done })}\n`);
}
