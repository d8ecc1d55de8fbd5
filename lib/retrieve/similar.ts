import { InvalidInputError } from '../errors';
import type { StoredChunk } from '../store/index-state';
import type { ChunkId, GitSha, RepoKey } from '../types';
import { findIndex } from './index-lookup';
import { chunkHit } from './retrieve';
import type { ScoredId } from './lexical-search';
import { cleanFilters, resolveScope } from './scope';
import type { RetrieveDependencies, RetrievedHit, RetrieveFilters } from './types';
import { searchVectors } from './vector-search';

/** What similar code is looked up for: a file or a line range of it, one chunk, or a diff hunk's text. */
export type SimilarTarget =
	| { path: string; startLine?: number; endLine?: number }
	| { chunkId: ChunkId }
	| { hunk: string; path?: string; startLine?: number; endLine?: number };

/** One "code similar to this" question against the index of (repository, ref, embedding model). */
export interface SimilarRequest {
	repoKey: RepoKey;
	ref: string;
	target: SimilarTarget;
	/** Hits returned (default 10). */
	topK?: number;
	/** Only chunks of other files than the target's. */
	otherFilesOnly?: boolean;
	filters?: RetrieveFilters;
}

/** The nearest other chunks; never the target's own chunks or lines. */
export interface SimilarResult {
	repo: RepoKey;
	ref: string;
	commit: GitSha | null;
	embeddingModel: string;
	target: { kind: 'range' | 'chunk' | 'hunk'; path: string | null; startLine: number | null; endLine: number | null };
	/** The indexed chunks whose vectors formed the query (none for a hunk). */
	sourceChunks: ChunkId[];
	hits: RetrievedHit[];
	empty?: true;
	reason?: string;
}

/** What similarity search reads from one indexed ref; `openSimilarIndex` builds it over MySQL and Chroma. */
export interface SimilarCodeIndex {
	repoKey: RepoKey;
	ref: string;
	commit: GitSha | null;
	embeddingModel: string;
	chunksOfPath(path: string): Promise<StoredChunk[]>;
	chunksByIds(ids: ChunkId[]): Promise<StoredChunk[]>;
	vectorsOf(ids: ChunkId[]): Promise<Map<ChunkId, number[]>>;
	embed(text: string): Promise<number[]>;
	/** Nearest chunks of the ref (within the filters), best first, score = cosine similarity. */
	nearest(vector: number[], limit: number): Promise<ScoredId[]>;
}

const MAX_TOP_K = 200;
const MAX_FETCH = 2000;
/** Up to this many source chunks are queried one by one (a hit scores its best match); more are averaged. */
const MAX_SOURCE_QUERIES = 16;

/** Code similar to a file, line range, chunk or hunk, from the index of (repository, ref, embedder model). */
export async function similarCode(deps: RetrieveDependencies, request: SimilarRequest): Promise<SimilarResult> {
	return findSimilar(await openSimilarIndex(deps, request.repoKey, request.ref, request.filters), request);
}

/** The index of (repository, ref, embedder model) as a SimilarCodeIndex, restricted to the filters. */
export async function openSimilarIndex(deps: RetrieveDependencies, repoKey: RepoKey, ref: string, filters?: RetrieveFilters): Promise<SimilarCodeIndex> {
	const { index, refs } = await findIndex(deps.state, repoKey, ref, deps.embedder.modelId, deps.embedder.legacyModelIds);
	const scope = await resolveScope(deps.state, index.id, cleanFilters(filters));
	const target = { collection: index.collection, ref, refsInCollection: refs.filter((row) => row.collection === index.collection).length };
	return {
		repoKey,
		ref,
		commit: index.commitSha,
		embeddingModel: deps.embedder.modelId,
		chunksOfPath: (path) => deps.state.chunksOfPaths(index.id, [path]),
		chunksByIds: (ids) => deps.state.chunksByIds(index.id, ids),
		vectorsOf: async (ids) => new Map((await deps.vectors.getRecords(index.collection, ids)).map((record) => [record.id, record.vector])),
		embed: async (text) => (await deps.embedder.embed([text]))[0],
		nearest: async (vector, limit) => (scope.emptyReason ? [] : searchVectors(deps.vectors, target, vector, limit, scope)),
	};
}

/** The nearest chunks to the target that are neither the target's chunks nor overlap its lines. */
export async function findSimilar(index: SimilarCodeIndex, request: Pick<SimilarRequest, 'target' | 'topK' | 'otherFilesOnly'>): Promise<SimilarResult> {
	const topK = request.topK ?? 10;
	if (!Number.isInteger(topK) || topK < 1 || topK > MAX_TOP_K) throw new InvalidInputError(`topK must be an integer from 1 to ${MAX_TOP_K}: ${topK}`);
	const query = await resolveTarget(index, request.target);
	const result: SimilarResult = {
		repo: index.repoKey,
		ref: index.ref,
		commit: index.commit,
		embeddingModel: index.embeddingModel,
		target: { kind: query.kind, path: query.path, startLine: query.lines?.start ?? null, endLine: query.lines?.end ?? null },
		sourceChunks: query.sources.map((chunk) => chunk.id),
		hits: [],
	};
	const own = new Set(result.sourceChunks);
	const excluded = (chunk: StoredChunk) =>
		own.has(chunk.id) ||
		(chunk.path === query.path && (request.otherFilesOnly || (query.lines !== null && chunk.startLine <= query.lines.end && chunk.endLine >= query.lines.start)));
	let limit = Math.min(topK + own.size + 10, MAX_FETCH);
	for (;;) {
		const ranked = await rankCandidates(index, query.vectors, limit);
		const byId = new Map((await index.chunksByIds(ranked.map(({ id }) => id))).map((chunk) => [chunk.id, chunk]));
		const kept = ranked.filter(({ id }) => byId.has(id) && !excluded(byId.get(id)!));
		if (kept.length >= topK || ranked.length < limit || limit >= MAX_FETCH) {
			result.hits = kept.slice(0, topK).map(({ id, score }) => chunkHit(byId.get(id)!, index.repoKey, index.ref, score, { vector: score }));
			break;
		}
		limit = Math.min(limit * 4, MAX_FETCH);
	}
	return result.hits.length > 0 ? result : { ...result, empty: true, reason: 'No other indexed chunk is similar (the index may hold only the target, or the filters exclude the rest)' };
}

/** `src/a.ts`, `src/a.ts:10`, `src/a.ts:10-40` as a SimilarTarget. */
export function parseSimilarTarget(spec: string): { path: string; startLine?: number; endLine?: number } {
	const match = /^(.*?)(?::(\d+)(?:-(\d+))?)?$/.exec(spec.trim());
	const path = match?.[1] ?? '';
	if (!path) throw new InvalidInputError(`No file path in "${spec}"`, 'Write path, path:line or path:start-end, e.g. src/app.ts:10-40');
	if (!match?.[2]) return { path };
	const startLine = Number(match[2]);
	return { path, startLine, endLine: match[3] ? Number(match[3]) : startLine };
}

interface ResolvedQuery {
	kind: SimilarResult['target']['kind'];
	path: string | null;
	lines: { start: number; end: number } | null;
	sources: StoredChunk[];
	vectors: number[][];
}

async function resolveTarget(index: SimilarCodeIndex, target: SimilarTarget): Promise<ResolvedQuery> {
	if ('hunk' in target) {
		const text = target.hunk?.trim();
		if (!text) throw new InvalidInputError('The hunk is empty', 'Pass the changed lines (a diff hunk or a code excerpt)');
		const lines = target.path && target.startLine ? lineRange(target.startLine, target.endLine) : null;
		return { kind: 'hunk', path: target.path?.trim() || null, lines, sources: [], vectors: [await index.embed(text)] };
	}
	if ('chunkId' in target) {
		const [chunk] = await index.chunksByIds([target.chunkId]);
		if (!chunk) throw new InvalidInputError(`Chunk "${target.chunkId}" is not in the index of ${index.repoKey}@${index.ref}`, 'Take a chunkId from a Retrieve hit of the same repository, ref and embedding model');
		return { kind: 'chunk', path: chunk.path, lines: lineRange(chunk.startLine, chunk.endLine), sources: [chunk], vectors: await sourceVectors(index, [chunk]) };
	}
	const path = target.path?.trim();
	if (!path) throw new InvalidInputError('No file path given', 'Pass the path of an indexed file, e.g. src/app.ts');
	const lines = target.startLine ? lineRange(target.startLine, target.endLine) : null;
	const chunks = await index.chunksOfPath(path);
	if (chunks.length === 0) throw new InvalidInputError(`"${path}" has no indexed chunks in ${index.repoKey}@${index.ref}`, 'Check the path (relative to the repository root, case-sensitive) and that the file was not skipped by the sync');
	const sources = lines ? chunks.filter((chunk) => chunk.startLine <= lines.end && chunk.endLine >= lines.start) : chunks;
	if (sources.length === 0) throw new InvalidInputError(`"${path}" has no indexed lines ${lines!.start}-${lines!.end} (it has ${chunks.at(-1)!.endLine} lines)`);
	return { kind: 'range', path, lines: lines ?? { start: 1, end: Number.MAX_SAFE_INTEGER }, sources, vectors: await sourceVectors(index, sources) };
}

function lineRange(start: number, end = start): { start: number; end: number } {
	if (!Number.isInteger(start) || !Number.isInteger(end) || start < 1 || end < start) {
		throw new InvalidInputError(`Invalid line range ${start}-${end}`, 'Lines are 1-based and the end is not before the start, e.g. 10-40');
	}
	return { start, end };
}

/** One query vector per source chunk, or their normalised mean when there are many. */
async function sourceVectors(index: SimilarCodeIndex, sources: StoredChunk[]): Promise<number[][]> {
	const byId = await index.vectorsOf(sources.map((chunk) => chunk.id));
	const vectors = sources.flatMap((chunk) => (byId.has(chunk.id) ? [byId.get(chunk.id)!] : []));
	if (vectors.length === 0) throw new InvalidInputError('The target\'s chunks have no vectors in the vector store', 'Run Sync Repository again: it repairs vectors the store lost');
	return vectors.length <= MAX_SOURCE_QUERIES ? vectors : [meanDirection(vectors)];
}

function meanDirection(vectors: number[][]): number[] {
	const sum = new Array<number>(vectors[0].length).fill(0);
	for (const vector of vectors) {
		const norm = Math.hypot(...vector) || 1;
		vector.forEach((value, i) => (sum[i] += value / norm));
	}
	return sum.map((value) => value / vectors.length);
}

/** Candidates of every query vector, each scored by its best match, best first. */
async function rankCandidates(index: SimilarCodeIndex, vectors: number[][], limit: number): Promise<ScoredId[]> {
	const rankings = await Promise.all(vectors.map((vector) => index.nearest(vector, limit)));
	const best = new Map<string, number>();
	for (const { id, score } of rankings.flat()) best.set(id, Math.max(score, best.get(id) ?? Number.NEGATIVE_INFINITY));
	return [...best].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}
