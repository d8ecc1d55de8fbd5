import { Tiktoken } from 'js-tiktoken/lite';
import cl100kBase from 'js-tiktoken/ranks/cl100k_base';

/** Distinct regex pieces remembered before the cache starts over (bounds memory). */
const PIECE_CACHE_LIMIT = 200_000;
/** Longer pieces are counted every time; they rarely repeat. */
const CACHEABLE_PIECE_LENGTH = 64;

let encoder: Tiktoken | undefined;
let pattern: RegExp | undefined;
const pieceTokens = new Map<string, number>();

/** Builds the cl100k_base encoder once (about 0.3 s); countTokens calls it on first use. */
export function loadTokenizer(): void {
	encoder ??= new Tiktoken(cl100kBase);
	pattern ??= new RegExp(cl100kBase.pat_str, 'gu');
}

/**
 * Exact cl100k_base token count of `text`, equal to `encode(text, [], []).length` (special tokens
 * count as plain text). BPE runs on each pre-tokenizer piece independently, so pieces are counted
 * once and cached: this is the same number, about 50 times faster on code.
 */
export function countTokens(text: string): number {
	loadTokenizer();
	let total = 0;
	for (const match of text.matchAll(pattern!)) {
		const piece = match[0];
		let tokens = pieceTokens.get(piece);
		if (tokens === undefined) {
			tokens = encoder!.encode(piece, [], []).length;
			if (piece.length <= CACHEABLE_PIECE_LENGTH) {
				if (pieceTokens.size >= PIECE_CACHE_LIMIT) pieceTokens.clear();
				pieceTokens.set(piece, tokens);
			}
		}
		total += tokens;
	}
	return total;
}

/** The longest prefix of `text` with at most `maxTokens` tokens (whole text when it fits). */
export function truncateToTokens(text: string, maxTokens: number): string {
	if (countTokens(text) <= maxTokens) return text;
	let fits = 0;
	let tooLong = Math.min(text.length, maxTokens * 32 + 1);
	while (tooLong - fits > 1) {
		const middle = Math.floor((fits + tooLong) / 2);
		if (countTokens(text.slice(0, middle)) <= maxTokens) fits = middle;
		else tooLong = middle;
	}
	const last = text.charCodeAt(fits - 1);
	if (fits > 0 && last >= 0xd800 && last <= 0xdbff) fits -= 1;
	while (fits > 0 && countTokens(text.slice(0, fits)) > maxTokens) fits -= 1;
	return text.slice(0, fits);
}
