import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hashEmbedding } from '../../lib/embed/hash';

export interface EmbeddingServerOptions {
	/** Vector dimension when a request does not ask for one. Default 32. */
	dimensions?: number;
	/** When set, requests without `Authorization: Bearer <apiKey>` get 401. */
	apiKey?: string;
	/** Delay before each answer, so concurrency can be observed. */
	delayMs?: number;
	/** Answer `/embed` with token-level vectors (number[][][]) whose mean is the expected vector. */
	tokenLevel?: boolean;
}

/** 429 with Retry-After, 500, 503, or a 200 whose JSON body is cut off. */
export type InjectedFailure = 'rate-limit' | 'server-error' | 'unavailable' | 'malformed';

export interface LoggedRequest {
	method: string;
	path: string;
	/** Texts in the request (0 for non-embedding routes). */
	batchSize: number;
	texts: string[];
	authorization?: string;
	encodingFormat?: string;
	status: number;
}

export interface EmbeddingServer {
	/** Base URL: OpenAI clients use `${url}/v1`, text-embeddings-inference clients `${url}/embed`. */
	url: string;
	requests: LoggedRequest[];
	/** Highest number of requests answered at the same time. */
	maxInFlight(): number;
	/** The next `count` embedding requests fail this way (429 carries `Retry-After: retryAfter`). */
	failNext(count: number, failure: InjectedFailure, retryAfter?: string): void;
	/** Drops the failures not yet used. */
	clearFailures(): void;
	close(): Promise<void>;
}

/** The vector the server answers for a text: `hashEmbedding(text, dimensions)`. */
export function expectedVector(text: string, dimensions = 32): number[] {
	return hashEmbedding(text, dimensions);
}

/** Start an OpenAI-compatible, Ollama-compatible (`/api/embed`) and text-embeddings-inference-compatible server on 127.0.0.1. */
export async function startEmbeddingServer(
	options: EmbeddingServerOptions = {},
): Promise<EmbeddingServer> {
	const requests: LoggedRequest[] = [];
	const failures: Array<{ failure: InjectedFailure; retryAfter: string }> = [];
	let inFlight = 0;
	let maxInFlight = 0;

	const handle = async (req: IncomingMessage, res: ServerResponse) => {
		const path = new URL(req.url ?? '/', 'http://localhost').pathname;
		const body = await readJson(req);
		const inputs = path === '/embed' ? body?.inputs : body?.input;
		const texts: string[] = inputs === undefined ? [] : [inputs].flat().map(String);
		const entry: LoggedRequest = {
			method: req.method ?? 'GET',
			path,
			batchSize: texts.length,
			texts,
			authorization: req.headers.authorization,
			encodingFormat: body?.encoding_format,
			status: 200,
		};
		requests.push(entry);
		const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
			entry.status = status;
			const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
			res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(text);
		};
		if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
		const isEmbedding = req.method === 'POST' && (path === '/v1/embeddings' || path === '/embed' || path === '/api/embed');
		if (req.method === 'GET' && path === '/v1/models') {
			const model = { id: 'hash-embed', object: 'model', owned_by: 'local' };
			return send(200, { object: 'list', data: [model] });
		}
		if (!isEmbedding) return send(404, { error: { message: `No route ${req.method} ${path}` } });
		if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
			return send(401, { error: { message: 'Invalid API key provided', code: 'invalid_api_key' } });
		}
		const failure = failures.shift();
		if (failure?.failure === 'rate-limit') {
			const headers = { 'retry-after': failure.retryAfter };
			return send(429, { error: { message: 'Rate limit reached' } }, headers);
		}
		const kind = failure?.failure;
		if (kind === 'server-error') return send(500, { error: { message: 'Internal error' } });
		if (kind === 'unavailable') return send(503, { error: { message: 'Loading model' } });
		if (kind === 'malformed') return send(200, '{"object":"list","data":[{"embedding":[0.1,');
		if (texts.length === 0) return send(400, { error: { message: 'input must not be empty' } });
		if (path === '/embed') return send(200, teiAnswer(texts, body, options));
		if (path === '/api/embed') return send(200, ollamaAnswer(texts, body, options.dimensions ?? 32));
		return send(200, openAIAnswer(texts, body, options.dimensions ?? 32));
	};

	const server = createServer((req, res) => {
		inFlight++;
		maxInFlight = Math.max(maxInFlight, inFlight);
		res.on('close', () => inFlight--);
		handle(req, res).catch((error: unknown) => {
			if (res.headersSent) return;
			res.writeHead(400).end(JSON.stringify({ error: { message: String(error) } }));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		maxInFlight: () => maxInFlight,
		clearFailures() {
			failures.length = 0;
		},
		failNext(count, failure, retryAfter = '0') {
			for (let i = 0; i < count; i++) failures.push({ failure, retryAfter });
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

async function readJson(req: IncomingMessage): Promise<Json> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	const text = Buffer.concat(chunks).toString('utf8');
	return text ? JSON.parse(text) : undefined;
}

function openAIAnswer(texts: string[], body: Json, defaultDimensions: number) {
	const dimensions = typeof body.dimensions === 'number' ? body.dimensions : defaultDimensions;
	const data = texts.map((text, index) => {
		const vector = expectedVector(text, dimensions);
		const embedding =
			body.encoding_format === 'base64'
				? Buffer.from(new Float32Array(vector).buffer).toString('base64')
				: vector;
		return { object: 'embedding', index, embedding };
	});
	const tokens = texts.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0);
	const usage = { prompt_tokens: tokens, total_tokens: tokens };
	return { object: 'list', data, model: body.model, usage };
}

/** Ollama's `/api/embed`: `{ model, input }` in, `{ model, embeddings }` out. */
function ollamaAnswer(texts: string[], body: Json, defaultDimensions: number) {
	const dimensions = typeof body.dimensions === 'number' ? body.dimensions : defaultDimensions;
	return { model: body.model, embeddings: texts.map((text) => expectedVector(text, dimensions)), prompt_eval_count: texts.length };
}

/** text-embeddings-inference; `normalize: false` answers vectors scaled by 2 (so it shows). */
function teiAnswer(texts: string[], body: Json, options: EmbeddingServerOptions) {
	const scale = body.normalize === false ? 2 : 1;
	return texts.map((text) => {
		const vector = expectedVector(text, options.dimensions ?? 32).map((value) => value * scale);
		if (!options.tokenLevel) return vector;
		return [vector.map((value) => value * 0.5), vector.map((value) => value * 1.5)];
	});
}
