import { retrieveWithCache, type CacheUse } from '../cache';
import { InvalidInputError } from '../errors';
import { findIndex, retrieve, similarCode } from '../retrieve';
import type { RetrieveDependencies, RetrieveFilters, RetrieveRequest, RetrieveResult } from '../retrieve';
import type { IndexedRef, StoredChunk } from '../store/index-state';

/** Which index a CodeSearch reads and how it ranks; the tools' arguments narrow it per call. */
export type CodeSearchSettings = Omit<RetrieveRequest, 'question'>;

/** Lines of one file at the indexed commit, put together from its stored chunks. */
export interface FileExcerpt {
	repo: string;
	ref: string;
	commit: string;
	path: string;
	language: string;
	startLine: number;
	endLine: number;
	/** The file's last non-blank line. */
	lastLine: number;
	/** `lineNumber: text` rows. The chunker leaves out only blank lines, so a line no chunk holds is shown empty. */
	text: string;
	truncated: boolean;
}

/** One file of the outline with its declarations (chunk symbols) and their lines. */
export interface OutlineFile {
	path: string;
	language: string;
	symbols: Array<{ symbol: string; startLine: number; endLine: number }>;
}

/** A file whose chunks lie near the given file's chunks in the embedding space. */
export interface SimilarFile {
	path: string;
	/** Cosine similarity of its best chunk. */
	score: number;
	/** Its best-matching chunk. */
	startLine: number;
	endLine: number;
	symbol: string | null;
}

const MAX_READ_LINES = 400;
const MAX_OUTLINE_FILES = 200;

/** Read-only views of one indexed (repository, ref, embedder): search, read, outline, similar files. */
export class CodeSearch {
	private index?: Promise<{ index: IndexedRef }>;

	constructor(
		private readonly deps: RetrieveDependencies,
		readonly settings: CodeSearchSettings,
		/** When given, search results are reused from the answer cache (lib/cache). */
		private readonly cache?: CacheUse,
	) {}

	/** Hybrid (or the configured mode's) retrieval; `filters` and `topK` narrow the settings' own; with a cache, `cache` says whether it was reused. */
	async search(query: string, narrow: { filters?: RetrieveFilters; topK?: number } = {}): Promise<RetrieveResult> {
		const filters = { ...this.settings.filters, ...withoutBlanks(narrow.filters) };
		const topK = Math.min(narrow.topK ?? this.settings.topK ?? 10, this.settings.topK ?? 10);
		const request = { ...this.settings, question: query, filters, topK };
		return this.cache ? retrieveWithCache(this.deps, request, this.cache) : retrieve(this.deps, request);
	}

	/** Lines `startLine..endLine` (default the whole file, at most 400 lines) of a file at the indexed commit. */
	async readFile(path: string, startLine = 1, endLine?: number): Promise<FileExcerpt> {
		const { index } = await this.resolved();
		const wanted = cleanPath(path);
		const chunks = await this.deps.state.chunksOfPaths(index.id, [wanted]);
		if (chunks.length === 0) {
			throw new InvalidInputError(`${wanted} is not in the index of ${index.repoKey}@${index.ref}`, 'Use a path from a search result or the outline');
		}
		const lines = linesOf(chunks);
		const lastLine = Math.max(...lines.keys());
		const from = Math.max(1, Math.floor(startLine));
		if (from > lastLine) throw new InvalidInputError(`${wanted} has ${lastLine} lines; line ${from} does not exist`);
		const asked = Math.min(lastLine, Math.floor(endLine ?? lastLine));
		if (asked < from) throw new InvalidInputError(`The end line ${asked} is before the start line ${from}`);
		const to = Math.min(asked, from + MAX_READ_LINES - 1);
		const rows: string[] = [];
		for (let n = from; n <= to; n++) rows.push(`${n}: ${lines.get(n) ?? ''}`);
		return {
			repo: index.repoKey,
			ref: index.ref,
			commit: index.commitSha!,
			path: wanted,
			language: chunks[0].language,
			startLine: from,
			endLine: to,
			lastLine,
			text: rows.join('\n'),
			truncated: to < asked,
		};
	}

	/** Files and their declarations, optionally under a path prefix (at most 200 files). */
	async outline(pathPrefix = ''): Promise<{ files: OutlineFile[]; truncated: boolean }> {
		const { index } = await this.resolved();
		const rows = await this.deps.state.chunkOutline(index.id, pathPrefix.trim());
		const files = new Map<string, OutlineFile>();
		for (const row of rows) {
			let file = files.get(row.path);
			if (!file) {
				if (files.size === MAX_OUTLINE_FILES) return { files: [...files.values()], truncated: true };
				files.set(row.path, (file = { path: row.path, language: row.language, symbols: [] }));
			}
			if (row.symbol && !file.symbols.some((entry) => entry.symbol === row.symbol)) {
				file.symbols.push({ symbol: row.symbol, startLine: row.startLine, endLine: row.endLine });
			}
		}
		return { files: [...files.values()], truncated: false };
	}

	/** Other files with the code nearest to `path`'s chunks (lib/retrieve similarCode), one entry per file, best first. */
	async similarFiles(path: string, topK = 5): Promise<SimilarFile[]> {
		const files = Math.max(1, Math.floor(topK));
		const result = await similarCode(this.deps, { repoKey: this.settings.repoKey, ref: this.settings.ref, target: { path: cleanPath(path) }, topK: Math.min(files * 5, 100), otherFilesOnly: true, filters: this.settings.filters });
		const best = new Map<string, SimilarFile>();
		for (const hit of result.hits) {
			if (!best.has(hit.path)) best.set(hit.path, { path: hit.path, score: hit.score, startLine: hit.startLine, endLine: hit.endLine, symbol: hit.symbol });
		}
		return [...best.values()].slice(0, files);
	}

	private resolved(): Promise<{ index: IndexedRef }> {
		this.index ??= findIndex(this.deps.state, this.settings.repoKey, this.settings.ref, this.deps.embedder.modelId);
		this.index.catch(() => (this.index = undefined));
		return this.index;
	}
}

/** Line number -> text over the chunks (overlapping chunks hold the same lines). */
function linesOf(chunks: StoredChunk[]): Map<number, string> {
	const lines = new Map<number, string>();
	for (const chunk of chunks) {
		chunk.content.split('\n').forEach((line, i) => {
			if (!lines.has(chunk.startLine + i)) lines.set(chunk.startLine + i, line);
		});
	}
	return lines;
}

function cleanPath(path: string): string {
	const clean = String(path ?? '').trim().replace(/^\.?\//, '').replace(/:\d+(-\d+)?$/, '');
	if (!clean) throw new InvalidInputError('The path is empty', 'Pass a file path such as src/index.ts');
	return clean;
}

function withoutBlanks(filters: RetrieveFilters = {}): RetrieveFilters {
	return Object.fromEntries(Object.entries(filters).filter(([, value]) => typeof value === 'string' && value.trim()));
}
