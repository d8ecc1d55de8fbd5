import { InvalidInputError } from '../errors';
import type { Embedder } from '../types';

export interface HashEmbedderOptions {
	/** Vector dimension. Default 256. */
	dimensions?: number;
}

const IDENTIFIER = /[A-Za-z0-9_$]+/g;
const PART = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g;

/**
 * Lower-cased tokens of code: every identifier part (`parseHTTPResponse_v2` gives `parse`, `http`,
 * `response`, `v`, `2`) plus the whole identifier when it has several parts.
 */
export function codeTokens(text: string): string[] {
	const tokens: string[] = [];
	for (const identifier of text.match(IDENTIFIER) ?? []) {
		const parts = identifier.match(PART) ?? [];
		for (const part of parts) tokens.push(part.toLowerCase());
		if (parts.length > 1) tokens.push(identifier.toLowerCase());
	}
	return tokens;
}

/** 32-bit FNV-1a of a string's UTF-16 code units. */
function fnv1a(text: string): number {
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193);
	}
	return hash >>> 0;
}

/**
 * Signed feature hashing of `codeTokens(text)` into `dimensions` slots with sublinear term
 * frequency (1 + ln tf), l2-normalised. A text without tokens maps to the vector of the empty
 * token, so no vector is ever all zeros.
 */
export function hashEmbedding(text: string, dimensions: number): number[] {
	const counts = new Map<string, number>();
	const tokens = codeTokens(text);
	for (const token of tokens.length > 0 ? tokens : ['']) {
		counts.set(token, (counts.get(token) ?? 0) + 1);
	}
	const vector = new Array<number>(dimensions).fill(0);
	for (const [token, count] of counts) {
		const hash = fnv1a(token);
		const sign = fnv1a(`~${token}`) & 1 ? -1 : 1;
		vector[hash % dimensions] += sign * (1 + Math.log(count));
	}
	const norm = Math.hypot(...vector);
	if (norm === 0) {
		vector[fnv1a('') % dimensions] = 1;
		return vector;
	}
	return vector.map((value) => value / norm);
}

/** A deterministic, offline, zero-cost lexical embedder (feature hashing of code tokens). */
export class HashEmbedder implements Embedder {
	readonly modelId: string;
	readonly dimensions: number;

	constructor(options: HashEmbedderOptions = {}) {
		this.dimensions = options.dimensions ?? 256;
		if (!Number.isInteger(this.dimensions) || this.dimensions < 1) {
			const given = this.dimensions;
			throw new InvalidInputError(`Hash embedder dimensions must be a positive integer: ${given}`);
		}
		this.modelId = `hash:${this.dimensions}`;
	}

	/** Embed texts locally; never fails and never touches the network. */
	async embed(texts: string[]): Promise<number[][]> {
		return texts.map((text) => hashEmbedding(text, this.dimensions));
	}
}
