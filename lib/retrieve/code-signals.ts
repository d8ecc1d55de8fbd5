import type { ChunkId } from '../types';
import type { ScoredId } from './lexical-search';

/** A name defined in more places than this is too common to point at one chunk (`get`, `constructor`). */
export const MAX_DEFINITIONS = 5;
/** Import expansion starts from this many of the best-ranked files. */
export const SEED_FILES = 3;

/** The files of ranked chunks, and the files one import link away from some of them. */
export interface ImportLinks {
	pathOf: Map<ChunkId, string>;
	neighbours: Map<string, Set<string>>;
}

const TOKEN = /`([^`]+)`|[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*(\s*\()?/g;

/**
 * Names the question writes as code: in backticks, called (`parse(`), dotted (`Pool.end`), or shaped
 * like an identifier (camelCase, PascalCase after the first word, snake_case, `$`, digits). Plain words
 * (`pool`, `query`) are not names: they are left to the full-text and vector rankings.
 */
export function namedSymbols(question: string): string[] {
	const names = new Set<string>();
	let first = true;
	for (const match of question.matchAll(TOKEN)) {
		const quoted = match[1];
		const token = quoted ?? match[0].replace(/\s*\($/, '');
		const parts = token.split('.').flatMap((part) => part.match(/[A-Za-z_$][\w$]*/g) ?? []);
		const codeShaped = quoted !== undefined || match[2] !== undefined || parts.length > 1;
		for (const part of parts) {
			const shaped = /[_$\d]/.test(part) || /[a-z][A-Z]/.test(part) || (!first && /^[A-Z][a-z]/.test(part)) || /^[A-Z]{2,}[a-z]/.test(part);
			if (codeShaped || shaped) names.add(part);
		}
		first = false;
	}
	return [...names];
}

/**
 * The chunks that define one of the names: a chunk whose symbol is the name or ends with `.name`; of a
 * definition split over several chunks (same file and symbol), the first, which holds its declaration.
 * Names with more than MAX_DEFINITIONS definitions are skipped.
 */
export function definingChunks(chunks: Array<{ id: ChunkId; path: string; symbol: string | null; startLine: number }>, names: string[]): ChunkId[] {
	const firstChunks = new Map<string, { id: ChunkId; name: string; startLine: number }>();
	for (const chunk of chunks) {
		const name = chunk.symbol?.split('.').at(-1);
		if (name === undefined || !names.includes(name)) continue;
		const key = `${chunk.path}\n${chunk.symbol}`;
		const known = firstChunks.get(key);
		if (!known || chunk.startLine < known.startLine) firstChunks.set(key, { id: chunk.id, name, startLine: chunk.startLine });
	}
	const byName = new Map<string, ChunkId[]>();
	for (const { id, name } of firstChunks.values()) (byName.get(name) ?? byName.set(name, []).get(name)!).push(id);
	return [...byName.values()].filter((ids) => ids.length <= MAX_DEFINITIONS).flat();
}

/**
 * Adds `weight` x the best score to each chunk that defines a named symbol (chunks not ranked yet join
 * with that score), then re-sorts; ties keep the previous order.
 */
export function boostDefinitions(ranked: ScoredId[], ids: ChunkId[], weight: number): ScoredId[] {
	if (ids.length === 0 || weight <= 0) return ranked;
	const bonus = weight * (ranked[0]?.score || 1);
	const boosted = new Set(ids);
	const result = ranked.map(({ id, score }) => ({ id, score: boosted.has(id) ? score + bonus : score }));
	const present = new Set(ranked.map(({ id }) => id));
	for (const id of ids) if (!present.has(id)) result.push({ id, score: bonus });
	return stableSort(result);
}

/**
 * One hop over the import graph: the files of the SEED_FILES best-ranked files' import neighbours
 * (importers and imports) get `weight` x the linked seed's score added to their best-ranked chunk, so
 * a file that the top files use or are used by moves up. Only ranked chunks move; nothing is added.
 */
export function expandImports(ranked: ScoredId[], graph: ImportLinks, weight: number): ScoredId[] {
	if (ranked.length === 0 || weight <= 0) return ranked;
	const seeds = new Map<string, number>();
	for (const { id, score } of ranked) {
		const path = graph.pathOf.get(id);
		if (path !== undefined && !seeds.has(path)) seeds.set(path, score);
		if (seeds.size >= SEED_FILES) break;
	}
	const bonusOf = new Map<string, number>();
	for (const [seed, score] of seeds) {
		for (const neighbour of graph.neighbours.get(seed) ?? []) {
			if (!seeds.has(neighbour)) bonusOf.set(neighbour, Math.max(bonusOf.get(neighbour) ?? 0, weight * score));
		}
	}
	const seen = new Set<string>();
	const result = ranked.map(({ id, score }) => {
		const path = graph.pathOf.get(id);
		if (path === undefined || seen.has(path)) return { id, score };
		seen.add(path);
		return { id, score: score + (bonusOf.get(path) ?? 0) };
	});
	return stableSort(result);
}

function stableSort(ranked: ScoredId[]): ScoredId[] {
	return ranked
		.map((entry, index) => ({ entry, index }))
		.sort((a, b) => b.entry.score - a.entry.score || a.index - b.index)
		.map(({ entry }) => entry);
}
