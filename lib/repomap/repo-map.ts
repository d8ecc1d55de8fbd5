import { posix } from 'node:path';
import { loadParsers } from '../chunk/grammars';
import { InvalidInputError } from '../errors';
import { fetchSnapshot } from '../fetch/repo-files';
import { detectLanguage } from '../language';
import type { FileGate } from '../sync/ports';
import type { RepoSource } from '../types';
import { buildMermaid } from './mermaid';
import { buildOutline } from './outline';
import { isMappedLanguage, parseModule } from './parse';
import { compare, pageRank, rankSymbols } from './rank';
import { ModuleIndex, resolveImport } from './resolve';
import type { ImportEdge, ParsedModule, RepoMap, RepoMapFile, RepoMapOptions } from './types';

/** A file's path and text. */
export interface FileText {
	path: string;
	content: string;
}

/** Which commit a map describes. */
export interface MapHeader {
	repo: string;
	ref: string;
	commit: string;
}

const DEFAULTS = { maxTokens: 1024, maxDiagramNodes: 30, maxFolderDepth: 2, maxSymbolsPerFile: 12 };

function settings(options: RepoMapOptions) {
	const merged = { ...DEFAULTS, ...options };
	for (const [name, minimum] of Object.entries({ maxTokens: 16, maxDiagramNodes: 1, maxFolderDepth: 0, maxSymbolsPerFile: 0 })) {
		const value = merged[name as keyof typeof DEFAULTS];
		if (!Number.isInteger(value) || value < minimum)
			throw new InvalidInputError(`${name} must be an integer >= ${minimum}, got ${value}`);
	}
	return merged;
}

/** Read a ref's modules (TS/JS, Python, Go, Java, Rust and go.mod files that pass `filter`) and map them. */
export async function buildRepoMap(source: RepoSource, ref: string, filter: FileGate, options: RepoMapOptions = {}): Promise<RepoMap> {
	settings(options);
	const modulesOnly: FileGate = {
		checkEntry: (entry) =>
			isMappedLanguage(detectLanguage(entry.path)) || posix.basename(entry.path) === 'go.mod'
				? filter.checkEntry(entry)
				: { path: entry.path, reason: 'not-included', detail: 'not a module the map parses' },
		checkContent: (path, content) => filter.checkContent(path, content),
	};
	const files = await fetchSnapshot(source, ref, modulesOnly);
	const header = { repo: source.repoKey, ref, commit: files[0]?.commit ?? (await source.resolveRef(ref)) };
	return mapFiles(files.map((file) => ({ path: file.path, content: file.content ?? '' })), header, options);
}

/** The repository map of files already read: import graph, ranks, outline and diagram. */
export async function mapFiles(files: FileText[], header: MapHeader, options: RepoMapOptions = {}): Promise<RepoMap> {
	const config = settings(options);
	const { modules, edges } = await importGraph(files);
	const paths = modules.map((module) => module.path);
	const ranks = pageRank(paths, edges, config.focusPaths ?? []);
	const ranked = rankFiles(modules, edges, ranks);
	const symbols = rankSymbols(modules, edges, ranks);
	const title = `Repository map of ${header.repo} at ${header.ref} (${header.commit.slice(0, 7)}): ${modules.length} modules, ${edges.length} import links. Files by rank (PageRank over imports); under each, its declarations by how often importing files mention them.`;
	const outline = buildOutline({ title, files: ranked, symbols, maxTokens: config.maxTokens, maxSymbolsPerFile: config.maxSymbolsPerFile });
	const mermaid = buildMermaid({ files: ranked, edges, maxNodes: config.maxDiagramNodes, maxDepth: config.maxFolderDepth });
	return { ...header, mermaid, outline: outline.text, files: ranked, edges, tokens: outline.tokens };
}

/** Every module of the files parsed (declarations, imports) and the import links between them, in path order. */
export async function importGraph(files: FileText[]): Promise<{ modules: ParsedModule[]; edges: ImportEdge[] }> {
	const sorted = [...files].sort((a, b) => compare(a.path, b.path));
	const modules = await parseModules(sorted);
	const goMods = sorted.filter((file) => posix.basename(file.path) === 'go.mod');
	return { modules, edges: linkModules(modules, { paths: modules.map((module) => module.path), goMods }) };
}

/** The modules among the files (languages the map parses), parsed, in the files' order. */
export async function parseModules(files: FileText[]): Promise<ParsedModule[]> {
	const parsers = await loadParsers();
	return files.flatMap((file) => {
		const language = detectLanguage(file.path);
		const parser = parsers.get(language);
		return parser && isMappedLanguage(language) ? [parseModule(parser, file.path, language, file.content)] : [];
	});
}

/** Import links of parsed modules to the repository's modules (`known`: every module path and go.mod file, parsed or not). */
export function linkModules(modules: ParsedModule[], known: { paths: string[]; goMods: FileText[] }): ImportEdge[] {
	return importEdges(new ModuleIndex(known.paths, known.goMods), modules);
}

function importEdges(index: ModuleIndex, modules: ParsedModule[]): ImportEdge[] {
	const edges = new Map<string, ImportEdge>();
	for (const module of modules) {
		for (const spec of module.imports) {
			for (const to of resolveImport(index, module.path, module.language, spec)) {
				const key = `${module.path}\n${to}`;
				if (!edges.has(key)) edges.set(key, { from: module.path, to, specifier: spec.specifier });
			}
		}
	}
	return [...edges.values()].sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to));
}

function rankFiles(modules: ParsedModule[], edges: ImportEdge[], ranks: Map<string, number>): RepoMapFile[] {
	const counts = { from: new Map<string, number>(), to: new Map<string, number>() };
	for (const edge of edges) {
		counts.from.set(edge.from, (counts.from.get(edge.from) ?? 0) + 1);
		counts.to.set(edge.to, (counts.to.get(edge.to) ?? 0) + 1);
	}
	const count = (key: 'from' | 'to', path: string) => counts[key].get(path) ?? 0;
	return modules
		.map((module) => ({
			path: module.path,
			language: module.language,
			rank: Math.round((ranks.get(module.path) ?? 0) * 1e6) / 1e6,
			importedBy: count('to', module.path),
			imports: count('from', module.path),
			definitions: module.definitions.length,
		}))
		.sort((a, b) => b.rank - a.rank || compare(a.path, b.path));
}
