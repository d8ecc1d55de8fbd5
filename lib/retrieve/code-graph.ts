import { posix } from 'node:path';
import { detectLanguage } from '../language';
import { isMappedLanguage, linkModules, parseModules, type FileText, type ParsedModule } from '../repomap';
import type { IndexedRef, IndexStateStore, StoredChunk } from '../store/index-state';

/** The repository's modules as import resolution needs them: every module path, and the go.mod files. */
interface KnownModules {
	paths: string[];
	goMods: FileText[];
	/** The blob of each module, so a parsed file is reused while its content is unchanged. */
	blobOf: Map<string, string>;
	/** Modules too large to parse per query (more than MAX_PARSED_CHUNKS chunks): still import targets. */
	large: Set<string>;
}

/** Files of more chunks than this (thousands of lines, mostly bundles) are not parsed for their imports. */
export const MAX_PARSED_CHUNKS = 200;

const KNOWN_CACHE_SIZE = 8;
const PARSED_CACHE_SIZE = 2000;
const knownCache = new WeakMap<IndexStateStore, Map<string, Promise<KnownModules>>>();
/** Parsed modules' imports by blob and path (the same blob under another path resolves its imports differently). */
const parsedCache = new Map<string, ParsedModule>();

/** Whether the repository map parses this file (modules of its languages, and go.mod). */
export function isMappedFile(path: string): boolean {
	return isMappedLanguage(detectLanguage(path)) || posix.basename(path) === 'go.mod';
}

/**
 * Files one import link away from each of `paths` (importers and imports, both among all modules of
 * the ref), read with the repository map's parser. Only `paths` are parsed, each once per blob: the
 * links between them are exact, and a file outside them appears only as something one of them imports.
 * Files of more than MAX_PARSED_CHUNKS chunks are not parsed (a query never parses a whole bundle).
 */
export async function importNeighbours(state: IndexStateStore, index: IndexedRef, paths: string[]): Promise<Map<string, Set<string>>> {
	const known = await knownModules(state, index);
	const wanted = [...new Set(paths)].filter((path) => known.blobOf.has(path) && !known.large.has(path));
	const key = (path: string) => `${known.blobOf.get(path)}:${path}`;
	const missing = wanted.filter((path) => !parsedCache.has(key(path)));
	if (missing.length > 0) {
		for (const module of await parseModules(fileTexts(await state.chunksOfPaths(index.id, missing)))) {
			parsedCache.delete(key(module.path));
			parsedCache.set(key(module.path), { ...module, definitions: [], references: new Map() });
		}
		while (parsedCache.size > PARSED_CACHE_SIZE) parsedCache.delete(parsedCache.keys().next().value!);
	}
	const modules = wanted.flatMap((path) => parsedCache.get(key(path)) ?? []);
	const neighbours = new Map<string, Set<string>>();
	const link = (a: string, b: string) => (neighbours.get(a) ?? neighbours.set(a, new Set()).get(a)!).add(b);
	for (const edge of linkModules(modules, known)) {
		if (edge.from === edge.to) continue;
		link(edge.from, edge.to);
		link(edge.to, edge.from);
	}
	return neighbours;
}

function knownModules(state: IndexStateStore, index: IndexedRef): Promise<KnownModules> {
	const byIndex = knownCache.get(state) ?? knownCache.set(state, new Map()).get(state)!;
	const key = `${index.id}:${index.commitSha}:${index.indexedAt?.getTime() ?? ''}:${index.chunkCount}`;
	let known = byIndex.get(key);
	if (!known) {
		known = loadKnownModules(state, index.id);
		known.catch(() => byIndex.delete(key));
		byIndex.set(key, known);
		if (byIndex.size > KNOWN_CACHE_SIZE) byIndex.delete(byIndex.keys().next().value!);
	}
	return known;
}

async function loadKnownModules(state: IndexStateStore, refId: number): Promise<KnownModules> {
	const files = [...(await state.loadFiles(refId)).values()].filter((file) => file.chunkCount > 0 && isMappedFile(file.path));
	const goModPaths = files.filter((file) => posix.basename(file.path) === 'go.mod').map((file) => file.path);
	const goMods = goModPaths.length > 0 ? fileTexts(await state.chunksOfPaths(refId, goModPaths)) : [];
	const modules = files.filter((file) => isMappedLanguage(detectLanguage(file.path)));
	const large = new Set(modules.filter((file) => file.chunkCount > MAX_PARSED_CHUNKS).map((file) => file.path));
	return { paths: modules.map((file) => file.path), goMods, blobOf: new Map(modules.map((file) => [file.path, file.blobSha])), large };
}

/** Each file's text rebuilt from its stored chunks (the exact lines; lines no chunk covers stay empty). */
export function fileTexts(chunks: StoredChunk[]): FileText[] {
	const lines = new Map<string, string[]>();
	for (const chunk of chunks) {
		const fileLines = lines.get(chunk.path) ?? lines.set(chunk.path, []).get(chunk.path)!;
		chunk.content.split('\n').forEach((line, i) => (fileLines[chunk.startLine - 1 + i] = line));
	}
	return [...lines].map(([path, fileLines]) => ({ path, content: Array.from(fileLines, (line) => line ?? '').join('\n') }));
}
