import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z, ZodTypeAny } from 'zod';

/** An answer other than 200, with the TEI `error_type` it maps to. */
export class HttpError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly errorType: string,
		readonly headers: Record<string, string> = {},
	) {
		super(message);
	}
}

/** The request body as JSON; 413 above `maxBytes`, 400 when it is not JSON. */
export async function readJson(request: IncomingMessage, maxBytes: number): Promise<unknown> {
	const tooLarge = () => new HttpError(413, `The request body exceeds ${maxBytes} bytes`, 'Validation');
	if (Number(request.headers['content-length'] ?? 0) > maxBytes) throw tooLarge();
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of request as AsyncIterable<Buffer>) {
		size += chunk.length;
		if (size > maxBytes) throw tooLarge();
		chunks.push(chunk);
	}
	try {
		return JSON.parse(Buffer.concat(chunks).toString('utf8'));
	} catch (error) {
		throw new HttpError(400, `The request body is not valid JSON: ${(error as Error).message}`, 'Validation');
	}
}

/** Parse with a zod schema; 400 naming each problem. */
export function validate<S extends ZodTypeAny>(schema: S, body: unknown): z.output<S> {
	const result = schema.safeParse(body);
	if (result.success) return result.data;
	const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
	throw new HttpError(400, `Invalid request: ${problems.join('; ')}`, 'Validation');
}

/** Send a JSON answer. */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	const text = JSON.stringify(body);
	response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
	response.end(text);
}

/** Whether the request carries `Authorization: Bearer <apiKey>` (compared in constant time). */
export function hasApiKey(request: IncomingMessage, apiKey: string): boolean {
	const header = request.headers.authorization ?? '';
	const match = /^Bearer\s+(.+)$/i.exec(header.trim());
	if (!match) return false;
	const digest = (text: string) => createHash('sha256').update(text).digest();
	return timingSafeEqual(digest(match[1]), digest(apiKey));
}
