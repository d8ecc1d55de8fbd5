import type Parser = require('web-tree-sitter');
import { loadParsers } from '../chunk/grammars';
import { isMappedLanguage, parseModule } from '../repomap';
import { findIndex } from '../retrieve/index-lookup';
import { chunkHit } from '../retrieve/retrieve';
import { findSimilar, openSimilarIndex } from '../retrieve/similar';
import type { RetrieveDependencies, RetrievedHit } from '../retrieve/types';
import type { IndexedRef, StoredChunk } from '../store/index-state';
import type { GitSha, RepoKey } from '../types';
import { parsePatch, type DiffHunk, type FilePatch } from './diff';

/** Why a chunk is context of a hunk: it defines a name the hunk uses, it uses a name the hunk changes, or it looks alike. */
export type ContextRelation = 'definition' | 'caller' | 'similar';

/** A chunk of the indexed base that explains a hunk. */
export interface ContextHit extends RetrievedHit {
	relation: ContextRelation;
	/** The name defined or called (null for similar code). */
	name: string | null;
	/** Index of the hunk (in the file's patch) it belongs to. */
	hunk: number;
}

/** A changed file with the context of its hunks. */
export interface FileContext extends FilePatch {
	context: ContextHit[];
}

export interface ReviewContext {
	repo: RepoKey;
	ref: string;
	/** The commit the index of the base ref is at: every context line is from it. */
	commit: GitSha | null;
	files: FileContext[];
}

export interface ReviewContextOptions {
	/** Definitions, callers and similar chunks per hunk at most (default 3, 3, 2). */
	definitions?: number;
	callers?: number;
	similar?: number;
}

const KEYWORDS = new Set(
	'abstract async await break case catch class const continue default def delete do elif else enum export extends false final finally for from func function go if impl import in instanceof interface let match mod new nil none null package pass private protected pub public raise return self static struct super switch this throw throws true try type typeof undefined use var void while with yield string number boolean'.split(' '),
);
const IDENTIFIER = /[A-Za-z_$][\w$]*/g;
const SCAN_LIMIT = 60;

/** Definitions of the names each hunk uses, callers of the names it changes, and similar code, all from the index of the base ref. */
export async function gatherReviewContext(deps: RetrieveDependencies, repoKey: RepoKey, ref: string, patches: FilePatch[], options: ReviewContextOptions = {}): Promise<ReviewContext> {
	const { index } = await findIndex(deps.state, repoKey, ref, deps.embedder.modelId);
	const similarIndex = await openSimilarIndex(deps, repoKey, ref);
	const parsers = await loadParsers();
	const limits = { definitions: options.definitions ?? 3, callers: options.callers ?? 3, similar: options.similar ?? 2 };
	const gatherer = new ContextGatherer(deps, index, parsers);
	const files: FileContext[] = [];
	for (const patch of patches) {
		const hunks = patch.patch ? parsePatch(patch.patch) : [];
		const baseChunks = patch.status === 'added' ? [] : await deps.state.chunksOfPaths(index.id, [patch.previousPath ?? patch.path]);
		const context: ContextHit[] = [];
		const seen = new Set<string>();
		const add = (chunk: StoredChunk, relation: ContextRelation, name: string | null, hunk: number, score = 1) => {
			if (seen.has(chunk.id)) return;
			seen.add(chunk.id);
			context.push({ ...chunkHit(chunk, repoKey, ref, score, {}), relation, name, hunk });
		};
		for (const [h, hunk] of hunks.entries()) {
			const own = ownLines(patch.previousPath ?? patch.path, hunk);
			for (const { chunk, name } of (await gatherer.definitions(usedNames(hunk), own)).slice(0, limits.definitions)) add(chunk, 'definition', name, h);
			for (const { chunk, name } of (await gatherer.callers(gatherer.changedNames(hunk, baseChunks), own)).slice(0, limits.callers)) add(chunk, 'caller', name, h);
			const text = hunk.lines.filter((line) => line.kind !== 'delete').map((line) => line.text).join('\n');
			if (limits.similar > 0 && text.trim()) {
				const target = { hunk: text, path: own.path, startLine: hunk.oldStart || 1, endLine: Math.max(hunk.oldStart, hunk.oldStart + hunk.oldLines - 1) || 1 };
				const similar = await findSimilar(similarIndex, { target, topK: limits.similar, otherFilesOnly: false });
				const byId = new Map((await deps.state.chunksByIds(index.id, similar.hits.map((hit) => hit.chunkId))).map((chunk) => [chunk.id, chunk]));
				for (const hit of similar.hits) if (byId.has(hit.chunkId)) add(byId.get(hit.chunkId)!, 'similar', null, h, hit.score);
			}
		}
		files.push({ ...patch, context });
	}
	return { repo: repoKey, ref, commit: index.commitSha, files };
}

interface OwnLines {
	path: string;
	start: number;
	end: number;
}

function ownLines(path: string, hunk: DiffHunk): OwnLines {
	return { path, start: hunk.oldStart, end: hunk.oldStart + Math.max(hunk.oldLines, 1) - 1 };
}

function overlaps(chunk: StoredChunk, own: OwnLines): boolean {
	return chunk.path === own.path && chunk.startLine <= own.end && chunk.endLine >= own.start;
}

/** Identifiers on the hunk's added lines, in order of appearance (keywords and short names left out). */
export function usedNames(hunk: DiffHunk): string[] {
	const names = new Set<string>();
	for (const line of hunk.lines) {
		if (line.kind !== 'add') continue;
		for (const [name] of line.text.replace(/(["'`]).*?\1/g, ' ').matchAll(IDENTIFIER)) if (name.length >= 3 && !KEYWORDS.has(name)) names.add(name);
	}
	return [...names].slice(0, 12);
}

class ContextGatherer {
	private readonly parsed = new Map<string, { defines: Set<string>; references: Map<string, number>; definitions: Array<{ name: string; line: number }> }>();

	constructor(
		private readonly deps: RetrieveDependencies,
		private readonly index: IndexedRef,
		private readonly parsers: Map<string, Parser>,
	) {}

	/** For each name, one chunk outside the hunk that declares it. */
	async definitions(names: string[], own: OwnLines): Promise<Array<{ chunk: StoredChunk; name: string }>> {
		const found: Array<{ chunk: StoredChunk; name: string }> = [];
		for (const name of names) {
			const chunks = await this.deps.state.chunksContaining(this.index.id, name, SCAN_LIMIT);
			const defining = chunks.filter((chunk) => !overlaps(chunk, own) && this.parse(chunk).defines.has(name));
			const best = defining.find((chunk) => chunk.path !== own.path) ?? defining[0];
			if (best) found.push({ chunk: best, name });
		}
		return found;
	}

	/** Chunks outside the hunk that use a name the hunk changes without declaring it; other files first. */
	async callers(names: string[], own: OwnLines): Promise<Array<{ chunk: StoredChunk; name: string }>> {
		const found: Array<{ chunk: StoredChunk; name: string }> = [];
		for (const name of names) {
			const chunks = await this.deps.state.chunksContaining(this.index.id, name, SCAN_LIMIT);
			const calling = chunks.filter((chunk) => !overlaps(chunk, own) && !this.parse(chunk).defines.has(name) && (this.parse(chunk).references.get(name) ?? 0) > 0);
			calling.sort((a, b) => Number(a.path === own.path) - Number(b.path === own.path));
			found.push(...calling.map((chunk) => ({ chunk, name })));
		}
		return found;
	}

	/** Names the base declares in or just before the hunk's old lines (the declarations the hunk edits). */
	changedNames(hunk: DiffHunk, baseChunks: StoredChunk[]): string[] {
		const start = hunk.oldStart;
		const end = hunk.oldStart + Math.max(hunk.oldLines, 1) - 1;
		const declarations = baseChunks
			.filter((chunk) => chunk.startLine <= end && chunk.endLine >= start)
			.flatMap((chunk) => this.parse(chunk).definitions.map((definition) => ({ name: definition.name, line: chunk.startLine + definition.line - 1 })))
			.sort((a, b) => a.line - b.line);
		const inside = declarations.filter((definition) => definition.line >= start && definition.line <= end);
		const enclosing = declarations.filter((definition) => definition.line < start).at(-1);
		return [...new Set([...(enclosing ? [enclosing.name] : []), ...inside.map((definition) => definition.name)])].slice(0, 6);
	}

	private parse(chunk: StoredChunk) {
		let parsed = this.parsed.get(chunk.id);
		if (!parsed) {
			const parser = this.parsers.get(chunk.language);
			const module = parser && isMappedLanguage(chunk.language) ? parseModule(parser, chunk.path, chunk.language, chunk.content) : undefined;
			const definitions = module?.definitions.map((definition) => ({ name: definition.name, line: definition.line })) ?? [];
			parsed = { defines: new Set(definitions.map((definition) => definition.name)), references: module?.references ?? new Map(), definitions };
			this.parsed.set(chunk.id, parsed);
		}
		return parsed;
	}
}
