import { InvalidInputError } from '../errors';
import type { RetrievedHit, SourceBlock } from './types';

type Json = Record<string, unknown>;

/**
 * Hits from any node's JSON: RepoMind Retrieve's `{ chunkId, path, startLine, endLine, text }` or a
 * vector-store row `{ id, path, startLine, endLine, content }`. Throws on a hit without path or text.
 */
export function hitsFromJson(value: unknown, field = 'hits'): RetrievedHit[] {
	if (value === undefined || value === null) return [];
	if (!Array.isArray(value))
		throw new InvalidInputError(
			`"${field}" is not a list of hits`,
			'Connect RepoMind Retrieve, or point Hits Field at a list of chunks',
		);
	return value.map((entry, index) => hitFromJson(entry, `${field}[${index}]`));
}

function hitFromJson(value: unknown, where: string): RetrievedHit {
	if (!value || typeof value !== 'object') throw new InvalidInputError(`${where} is not an object`);
	const json = value as Json;
	const text = json.text ?? json.content ?? json.document ?? json.pageContent;
	const path = json.path ?? (json.metadata as Json | undefined)?.path;
	if (typeof path !== 'string' || !path) throw new InvalidInputError(`${where} has no path`);
	if (typeof text !== 'string')
		throw new InvalidInputError(
			`${where} (${path}) has no text`,
			'Retrieve hits with their text (content)',
		);
	const startLine = positive(json.startLine) ?? 1;
	const endLine = positive(json.endLine) ?? startLine + text.split('\n').length - 1;
	return {
		chunkId: String(json.chunkId ?? json.id ?? ''),
		repo:
			typeof json.repo === 'string'
				? json.repo
				: typeof json.repoKey === 'string'
					? json.repoKey
					: undefined,
		ref: typeof json.ref === 'string' ? json.ref : undefined,
		path,
		startLine,
		endLine,
		symbol: typeof json.symbol === 'string' ? json.symbol : null,
		language: typeof json.language === 'string' ? json.language : undefined,
		score: typeof json.score === 'number' ? json.score : undefined,
		scores:
			json.scores && typeof json.scores === 'object'
				? (json.scores as Record<string, number | null>)
				: undefined,
		text,
	};
}

/** A hit as a prompt source. */
export function sourceOfHit(hit: RetrievedHit): SourceBlock {
	return {
		chunkId: hit.chunkId || undefined,
		path: hit.path,
		startLine: hit.startLine,
		endLine: hit.endLine,
		symbol: hit.symbol,
		text: hit.text,
	};
}

function positive(value: unknown): number | undefined {
	const number = typeof value === 'string' ? Number(value) : value;
	return typeof number === 'number' && Number.isInteger(number) && number > 0 ? number : undefined;
}
