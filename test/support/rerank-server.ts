import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { codeTokens } from '../../lib/embed/hash';

/** One request the stand-in received. */
export interface RerankRequest {
	path: string;
	authorization?: string;
	query: string;
	texts: string[];
}

export interface RerankServer {
	url: string;
	requests: RerankRequest[];
	/** The next `count` requests are answered with this HTTP status. */
	failNext(count: number, status: number): void;
	close(): Promise<void>;
}

/**
 * The score the stand-in gives a text: the share of the query's distinct code tokens that occur in
 * the text (deterministic and independent of the other texts).
 */
export function standInRerankScore(query: string, text: string): number {
	const wanted = new Set(codeTokens(query));
	const present = new Set(codeTokens(text));
	if (wanted.size === 0) return 0;
	return [...wanted].filter((token) => present.has(token)).length / wanted.size;
}

/** A text-embeddings-inference compatible `POST /rerank` on 127.0.0.1; `apiKey` makes it demand a bearer token. */
export async function startRerankServer(options: { apiKey?: string } = {}): Promise<RerankServer> {
	const requests: RerankRequest[] = [];
	const failures: number[] = [];
	const handle = async (req: IncomingMessage, res: ServerResponse) => {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const path = new URL(req.url ?? '/', 'http://localhost').pathname;
		const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { query?: string; texts?: string[] };
		const request: RerankRequest = { path, authorization: req.headers.authorization, query: body.query ?? '', texts: body.texts ?? [] };
		requests.push(request);
		const answer = (status: number, payload: unknown) => {
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(payload));
		};
		if (req.method !== 'POST' || path !== '/rerank') return answer(404, { error: 'not found' });
		if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) return answer(401, { error: 'unauthorized' });
		const failure = failures.shift();
		if (failure !== undefined) return answer(failure, { error: `injected ${failure}` });
		if (typeof body.query !== 'string' || !Array.isArray(body.texts)) return answer(422, { error: 'query and texts are required' });
		const scored = request.texts.map((text, index) => ({ index, score: standInRerankScore(request.query, text) }));
		answer(200, scored.sort((a, b) => b.score - a.score || a.index - b.index));
	};
	const server = createServer((req, res) => {
		handle(req, res).catch((error) => {
			res.writeHead(500);
			res.end(String(error));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		failNext(count, status) {
			for (let i = 0; i < count; i++) failures.push(status);
		},
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}
