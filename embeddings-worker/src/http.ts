import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z, ZodTypeAny } from 'zod';
import { JsonText } from './vector-json';

/** An answer other than 200, with the TEI `error_type` it maps to. */
export class HttpError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly errorType: string,
		readonly headers: Record<string, string> = {},
		/** The request field at fault (OpenAI's `param`). */
		readonly param: string | null = null,
	) {
		super(message);
	}
}

/** Most bytes of an oversized body read (and dropped) so the client sees the 413 rather than a reset. */
export const DISCARD_CAP_BYTES = 64 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The request body as JSON. 415 unless `Content-Type` is JSON; 413 above `maxBytes` (the rest of
 * the body, up to DISCARD_CAP_BYTES, is read and dropped first, so HTTP clients that write the
 * whole body before reading get the answer); 400 when the bytes are not UTF-8 or not JSON.
 */
export async function readJson(request: IncomingMessage, maxBytes: number): Promise<unknown> {
	const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
	if (type !== 'application/json' && !type.endsWith('+json')) {
		throw new HttpError(415, `Send the body as JSON with Content-Type: application/json (got ${type ? JSON.stringify(type) : 'none'})`, 'Validation');
	}
	const { chunks, size } = await readBody(request, maxBytes);
	if (size > maxBytes) throw new HttpError(413, `The request body exceeds ${maxBytes} bytes`, 'Validation');
	let text: string;
	try {
		text = utf8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
	} catch {
		throw new HttpError(400, 'The request body is not valid UTF-8', 'Validation');
	}
	try {
		return JSON.parse(text);
	} catch (error) {
		throw new HttpError(400, `The request body is not valid JSON: ${(error as Error).message}`, 'Validation');
	}
}

/**
 * The body's chunks up to `maxBytes`, and its size; past `maxBytes` chunks are dropped, and past
 * DISCARD_CAP_BYTES reading stops (the request is left paused, the answer closes the connection).
 * Events rather than `for await`: an async iterator costs the HTTP thread a few promises per request.
 * A client that hangs up mid-body makes the request emit `error` (ECONNRESET), which rejects.
 */
function readBody(request: IncomingMessage, maxBytes: number): Promise<{ chunks: Buffer[]; size: number }> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		const finish = () => {
			request.off('data', onData).off('end', finish).off('error', reject);
			resolve({ chunks, size });
		};
		const onData = (chunk: Buffer) => {
			size += chunk.length;
			if (size <= maxBytes) chunks.push(chunk);
			else if (size > DISCARD_CAP_BYTES) {
				request.pause();
				finish();
			}
		};
		request.on('data', onData).on('end', finish).on('error', reject);
	});
}

/** Parse with a zod schema; 422 naming each problem. */
export function validate<S extends ZodTypeAny>(schema: S, body: unknown): z.output<S> {
	const result = schema.safeParse(body);
	if (result.success) return result.data;
	const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
	const param = result.error.issues[0]?.path.join('.') || null;
	throw new HttpError(422, `Invalid request: ${problems.join('; ')}`, 'Validation', {}, param);
}

/** Send a JSON answer (a JsonText as it is written). */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	const text = body instanceof JsonText ? body.text : JSON.stringify(body);
	response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
	response.end(text);
}

const keyBytes = new Map<string, Buffer>();

/**
 * Whether the request carries `Authorization: Bearer <apiKey>`, compared in constant time: always
 * over the key's own length, so neither the key's bytes nor its length show in the timing.
 */
export function hasApiKey(request: IncomingMessage, apiKey: string): boolean {
	const header = request.headers.authorization ?? '';
	const match = /^Bearer\s+(.+)$/i.exec(header.trim());
	if (!match) return false;
	let expected = keyBytes.get(apiKey);
	if (!expected) keyBytes.set(apiKey, (expected = Buffer.from(apiKey)));
	const given = Buffer.from(match[1]);
	const sameLength = given.length === expected.length;
	return timingSafeEqual(sameLength ? given : expected, expected) && sameLength;
}
