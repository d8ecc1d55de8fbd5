import { endpointName } from '../embed/model-id';
import { sha256Hex } from '../util/hash';
import type { IndexVersion } from './index-version';

/** Bump when the cached payload's shape or the meaning of a key changes: old rows are then never read. */
export const CACHE_FORMAT_VERSION = 1;

/**
 * Who produced a cached value: a chat model (answers) or an embedding space (search results). Never a
 * key or token: `label` and `details` are stored and hashed as they are.
 */
export interface ModelIdentity {
	/** Short readable name, stored with the row, e.g. `openai:gpt-4o-mini@api.openai.com/v1`. */
	label: string;
	/** Anything else that changes what the model produces (endpoint, sampling settings of a sub-node). */
	details?: Record<string, unknown>;
}

/** Everything a cached value depends on besides the index version. */
export interface CacheScope {
	kind: 'answer' | 'search';
	/** As asked; normalised by normaliseQuestion for the key. */
	question: string;
	repoKey: string;
	ref: string;
	model: ModelIdentity;
	/** Retrieval (and generation) settings, prompt version: anything else the value depends on. */
	settings: Record<string, unknown>;
}

const CODE_SPAN = /(`+)[\s\S]*?\1/g;

/**
 * The question as keyed: Unicode NFC; outside `code spans` every run of white space becomes one space;
 * no leading or trailing white space; trailing question and exclamation marks dropped. Case is kept
 * everywhere (identifiers such as `Parser` and `parser` name different things), and so is everything
 * inside backticks.
 */
export function normaliseQuestion(question: string): string {
	const text = String(question ?? '').normalize('NFC');
	let out = '';
	let last = 0;
	for (const match of text.matchAll(CODE_SPAN)) {
		out += text.slice(last, match.index).replace(/\s+/g, ' ') + match[0];
		last = match.index! + match[0].length;
	}
	out += text.slice(last).replace(/\s+/g, ' ');
	return out.trim().replace(/[?!？！]+$/u, '').trimEnd();
}

/** JSON with object keys sorted at every level and undefined members left out: equal values, equal text. */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(sorted(value));
}

function sorted(value: unknown): unknown {
	if (Array.isArray(value)) return value.map((entry) => (entry === undefined ? null : sorted(entry)));
	if (value instanceof Date) return value.toISOString();
	if (value && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>).filter(([, entry]) => entry !== undefined);
		return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, entry]) => [name, sorted(entry)]));
	}
	return value;
}

/** What is hashed into a key: the scope with its question normalised, and the index version. */
export function keyMaterial(scope: CacheScope, index: IndexVersion): string {
	return canonicalJson({
		format: CACHE_FORMAT_VERSION,
		kind: scope.kind,
		question: normaliseQuestion(scope.question),
		repoKey: scope.repoKey,
		ref: scope.ref,
		index: index.refs,
		model: scope.model,
		settings: scope.settings,
	});
}

/** Hex SHA-256 of the key material. */
export function cacheKey(scope: CacheScope, index: IndexVersion): string {
	return sha256Hex('repomind-answer-cache', keyMaterial(scope, index));
}

/**
 * `host[:port]/path` of an endpoint (lib/embed endpointName: no scheme, credentials or query, so a key
 * in a query string stays out); an unparsable URL is named by a short hash so two never share an identity.
 */
export function endpointOf(url: string | undefined): string | undefined {
	if (!url) return undefined;
	try {
		return endpointName(url);
	} catch {
		return `unparsable:${sha256Hex(url).slice(0, 16)}`;
	}
}
