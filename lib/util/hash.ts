import { createHash } from 'node:crypto';

/** Hex SHA-256 of the parts, joined unambiguously (length-prefixed). */
export function sha256Hex(...parts: Array<string | number>): string {
	const hash = createHash('sha256');
	for (const part of parts) {
		const text = String(part);
		hash.update(`${Buffer.byteLength(text)}:`);
		hash.update(text);
	}
	return hash.digest('hex');
}
