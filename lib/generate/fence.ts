import { randomBytes } from 'node:crypto';
import { InvalidInputError } from '../errors';
import type { NumberedSource, SourceBlock } from './types';

/** `[n] path:start-end (symbol) — note`, on one line whatever the path or symbol contain. */
export function sourceLabel(source: NumberedSource): string {
	const span =
		source.startLine !== undefined && source.endLine !== undefined
			? `:${source.startLine}-${source.endLine}`
			: '';
	const symbol = source.symbol ? ` (${oneLine(source.symbol, 160)})` : '';
	const note = source.note ? ` — ${oneLine(source.note, 80)}` : '';
	return `[${source.n}] ${oneLine(source.path, 400)}${span}${symbol}${note}`;
}

/** The opening fence line of a source. */
export function beginMarker(fence: string): string {
	return `----- BEGIN UNTRUSTED DATA ${fence} -----`;
}

/** The closing fence line of a source. */
export function endMarker(fence: string): string {
	return `----- END UNTRUSTED DATA ${fence} -----`;
}

/** A source as it appears in the prompt: label line, opening fence, text, closing fence. */
export function renderSource(source: NumberedSource, fence: string): string {
	return `${sourceLabel(source)}\n${beginMarker(fence)}\n${source.text}\n${endMarker(fence)}`;
}
function oneLine(text: string, max: number): string {
	// eslint-disable-next-line no-control-regex
	const flat = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
	return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
/** A fence token that occurs in none of the texts of this request. */
export function pickFence(
	request: string,
	sources: SourceBlock[],
	fenceToken?: () => string,
): string {
	const next = fenceToken ?? (() => randomBytes(8).toString('hex'));
	const texts = [
		request,
		...sources.flatMap((source) => [
			source.text,
			source.path,
			source.symbol ?? '',
			source.note ?? '',
		]),
	];
	for (let attempt = 0; attempt < 20; attempt++) {
		const fence = next();
		if (/^[A-Za-z0-9_-]{8,64}$/.test(fence) && !texts.some((text) => text.includes(fence)))
			return fence;
	}
	throw new InvalidInputError('Could not find a fence token that the sources do not contain');
}
