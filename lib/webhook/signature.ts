import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'sha256=';

/** The `X-Hub-Signature-256` value GitHub sends for a body: `sha256=` and the HMAC-SHA256 hex digest. */
export function signPayload(rawBody: Buffer | string, secret: string): string {
	return PREFIX + createHmac('sha256', secret).update(rawBody).digest('hex');
}

/** Whether the header is the body's HMAC-SHA256 under the secret (constant-time comparison). */
export function verifySignature(rawBody: Buffer, header: string | undefined, secret: string): boolean {
	if (!secret || typeof header !== 'string' || !header.startsWith(PREFIX)) return false;
	const given = Buffer.from(header.slice(PREFIX.length).trim(), 'hex');
	const expected = createHmac('sha256', secret).update(rawBody).digest();
	return given.length === expected.length && timingSafeEqual(given, expected);
}
