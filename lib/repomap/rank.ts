import type { ImportEdge, ParsedModule, RankedSymbol } from './types';

const DAMPING = 0.85;
const MAX_ITERATIONS = 100;
const TOLERANCE = 1e-12;

/**
 * PageRank of files over import links (an importer passes rank to what it imports), damping 0.85.
 * Files without imports spread their rank like the teleport does: evenly, or over `focus` when given.
 */
export function pageRank(paths: string[], edges: ImportEdge[], focus: string[] = []): Map<string, number> {
	const index = new Map(paths.map((path, position) => [path, position]));
	const count = paths.length;
	const outgoing: number[][] = paths.map(() => []);
	for (const edge of edges) {
		const from = index.get(edge.from);
		const to = index.get(edge.to);
		if (from !== undefined && to !== undefined) outgoing[from].push(to);
	}
	const focused = focus.map((path) => index.get(path)).filter((i): i is number => i !== undefined);
	const teleport = new Array<number>(count).fill(focused.length > 0 ? 0 : 1 / count);
	for (const position of focused) teleport[position] += 1 / focused.length;
	let rank = [...teleport];
	for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
		let dangling = 0;
		for (let i = 0; i < count; i++) if (outgoing[i].length === 0) dangling += rank[i];
		const next = teleport.map((share) => (1 - DAMPING + DAMPING * dangling) * share);
		for (let i = 0; i < count; i++) {
			const share = (DAMPING * rank[i]) / outgoing[i].length;
			for (const target of outgoing[i]) next[target] += share;
		}
		const change = next.reduce((sum, value, i) => sum + Math.abs(value - rank[i]), 0);
		rank = next;
		if (change < TOLERANCE) break;
	}
	return new Map(paths.map((path, position) => [path, rank[position]]));
}

/**
 * Every definition with the number of times the files that import its file mention its name
 * (import statements themselves not counted). Sorted by references, then file rank, path and line.
 */
export function rankSymbols(modules: ParsedModule[], edges: ImportEdge[], ranks: Map<string, number>): RankedSymbol[] {
	const importers = new Map<string, string[]>();
	for (const edge of edges) importers.set(edge.to, [...(importers.get(edge.to) ?? []), edge.from]);
	const byPath = new Map(modules.map((module) => [module.path, module]));
	const symbols: RankedSymbol[] = [];
	for (const module of modules) {
		const users = (importers.get(module.path) ?? []).map((path) => byPath.get(path)!);
		for (const definition of module.definitions) {
			const references = users.reduce((sum, user) => sum + (user.references.get(definition.name) ?? 0), 0);
			symbols.push({ ...definition, path: module.path, references });
		}
	}
	return symbols.sort(
		(a, b) =>
			b.references - a.references ||
			(ranks.get(b.path) ?? 0) - (ranks.get(a.path) ?? 0) ||
			compare(a.path, b.path) ||
			a.line - b.line,
	);
}

/** Plain code-unit order (locale-independent). */
export function compare(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}
