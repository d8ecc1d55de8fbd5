import { InvalidInputError } from '../errors';
import type { RepoKey } from '../types';
import { pathHash, type IndexedRef, type StoredChunk } from '../store/index-state';
import { DEFAULT_FUSION_WEIGHTS, FUSION_METHODS, fuseRankings, fuseScores, RRF_K, type FusionMethod } from './fusion';
import { DEFAULT_FIELD_WEIGHTS, rescoreBm25 } from './bm25';
import { importNeighbours } from './code-graph';
import { boostDefinitions, definingChunks, expandImports, namedSymbols } from './code-signals';
import { findIndex } from './index-lookup';
import { buildLexicalQuery, pruneCommonWords } from './lexical-query';
import { LexicalSearch, type ScoredId } from './lexical-search';
import { mmrOrder } from './mmr';
import { rerankTexts } from './rerank';
import { cleanFilters, resolveScope, type RetrieveScope } from './scope';
import type { HitScores, RetrieveDependencies, RetrievedHit, RetrieveMode, RetrieveRequest, RetrieveResult } from './types';
import { estimatedFrequency, termStatistics } from './term-statistics';
import { searchVectors } from './vector-search';

const MODES: RetrieveMode[] = ['vector', 'lexical', 'hybrid'];
const LEXICAL_SCORINGS = ['bm25', 'innodb'] as const;
/** BM25 re-scores this many times the full-text candidates it keeps. */
const BM25_CANDIDATES = 4;
const MAX_TOP_K = 200;
/** Chunks read when looking for the definitions of the names a question writes as code. */
const DEFINITION_ROWS = 200;

/**
 * Answers a question from the index of (repository, ref, embedder model): vector nearest neighbours,
 * full-text matches, or both fused (normalised scores by default, or reciprocal ranks); then optional
 * rerank and MMR.
 */
export async function retrieve(deps: RetrieveDependencies, request: RetrieveRequest): Promise<RetrieveResult> {
	const question = request.question?.trim() ?? '';
	if (!question) throw new InvalidInputError('The question is empty', 'Pass the question text, e.g. {{ $json.chatInput }}');
	const mode = request.mode ?? 'hybrid';
	if (!MODES.includes(mode)) throw new InvalidInputError(`Unknown retrieval mode "${mode}"`, `Use one of ${MODES.join(', ')}`);
	const topK = request.topK ?? 10;
	if (!Number.isInteger(topK) || topK < 1 || topK > MAX_TOP_K) throw new InvalidInputError(`topK must be an integer from 1 to ${MAX_TOP_K}: ${topK}`);
	const fusion = request.fusion ?? 'convex';
	if (!FUSION_METHODS.includes(fusion)) throw new InvalidInputError(`Unknown fusion "${fusion}"`, `Use one of ${FUSION_METHODS.join(', ')}`);
	const defaults = DEFAULT_FUSION_WEIGHTS[fusion];
	const weights = { vector: request.weights?.vector ?? defaults.vector, lexical: request.weights?.lexical ?? defaults.lexical };
	if (!(weights.vector >= 0 && weights.lexical >= 0 && weights.vector + weights.lexical > 0)) {
		throw new InvalidInputError(`Fusion weights must be non-negative and not both 0: ${weights.vector}, ${weights.lexical}`);
	}
	const signals = { ...DEFAULT_CODE_SIGNALS, ...request.codeSignals };
	for (const [name, value] of Object.entries(signals)) {
		if (!(value >= 0 && value <= 1)) throw new InvalidInputError(`codeSignals.${name} must be a number from 0 to 1: ${value}`);
	}
	const lambda = request.mmr?.lambda;
	if (lambda !== undefined && !(lambda >= 0 && lambda <= 1)) throw new InvalidInputError(`MMR lambda must be between 0 and 1: ${lambda}`);
	const filters = cleanFilters(request.filters);
	const { index, refs } = await findIndex(deps.state, request.repoKey, request.ref, deps.embedder.modelId, deps.embedder.legacyModelIds);
	const result: RetrieveResult = { question, repo: request.repoKey, ref: request.ref, commit: index.commitSha, mode, embeddingModel: deps.embedder.modelId, filters, hits: [] };
	const empty = (reason: string): RetrieveResult => ({ ...result, empty: true, reason });
	if (index.chunkCount === 0) return empty(`The index of ${request.repoKey}@${request.ref} holds no chunks`);
	const scope = await resolveScope(deps.state, index.id, filters);
	if (scope.emptyReason) return empty(scope.emptyReason);

	const poolSize = request.rerank ? Math.max(request.rerank.topN ?? 50, topK) : lambda !== undefined ? Math.max(topK * 3, 30) : topK;
	const perSide = Math.max(poolSize, topK * 3, 30);
	const lexicalSearch = new LexicalSearch(deps.state.pool);
	let lexicalQuery = mode === 'vector' ? null : buildLexicalQuery(question, await lexicalSearch.tokenRules());
	if (mode === 'lexical' && !lexicalQuery) {
		return empty('The question has no word the full-text index can match (only very short words or stopwords); rephrase it or use vector or hybrid mode');
	}
	const scoring = request.lexicalScoring ?? 'bm25';
	if (!LEXICAL_SCORINGS.includes(scoring)) throw new InvalidInputError(`Unknown lexical scoring "${scoring}"`, `Use one of ${LEXICAL_SCORINGS.join(', ')}`);
	const statistics = lexicalQuery ? await termStatistics(deps.state.pool, index) : null;
	if (lexicalQuery && statistics) lexicalQuery = pruneCommonWords(lexicalQuery, (word) => estimatedFrequency(statistics, word));
	const searchLexical = async (query: NonNullable<typeof lexicalQuery>) => {
		if (scoring === 'innodb') return lexicalSearch.search(index.id, query, perSide, lexicalScope(scope));
		const candidates = await lexicalSearch.search(index.id, query, perSide * BM25_CANDIDATES, lexicalScope(scope));
		const fieldWeights = { ...DEFAULT_FIELD_WEIGHTS, ...request.fieldWeights };
		return (await rescoreBm25(deps.state.pool, index.id, candidates, query.words, statistics!, fieldWeights)).slice(0, perSide);
	};
	const target = { collection: index.collection, ref: request.ref, refsInCollection: refs.filter((row) => row.collection === index.collection).length };
	const [vectorRanking, lexicalRanking] = await Promise.all([
		mode === 'lexical' ? [] : deps.embedder.embed([question]).then(([vector]) => searchVectors(deps.vectors, target, vector, perSide, scope)),
		lexicalQuery ? searchLexical(lexicalQuery) : [],
	]);
	const scores = partScores(vectorRanking, lexicalRanking);
	let ranked = rank(mode, vectorRanking, lexicalRanking, weights, fusion);
	if (mode === 'hybrid') ranked = await applyCodeSignals(deps, index, question, ranked, signals, lexicalSearch, scope);
	for (const { id } of ranked) if (!scores.has(id)) scores.set(id, {});
	for (const { id, score } of ranked) scores.get(id)!.fused = mode === 'hybrid' ? score : undefined;
	let pool = await loadChunks(deps, index, ranked.slice(0, poolSize));
	if (request.rerank && pool.length > 0) {
		const rerankScores = await rerankTexts(request.rerank, question, pool.map(({ chunk }) => `${chunk.path}\n${chunk.content}`));
		pool = pool.map((entry, i) => ({ ...entry, score: rerankScores[i] })).sort((a, b) => b.score - a.score);
		pool.forEach((entry) => (scores.get(entry.chunk.id)!.rerank = entry.score));
	}
	if (lambda !== undefined && pool.length > 1) pool = await diversify(deps, index, pool, lambda, topK);
	const hits = pool.slice(0, topK).map(({ chunk, score }) => toHit(chunk, score, scores.get(chunk.id)!, request));
	return hits.length > 0 ? { ...result, hits } : empty(`No chunk matches the question${Object.keys(filters).length ? ' within the filters' : ''}`);
}

interface PoolEntry {
	chunk: StoredChunk;
	score: number;
}

/**
 * Code signals of hybrid mode (docs/retrieval-quality.md): the symbol boost never lost on any labelled
 * set and is on; import expansion adds up to 0.075 recall@10 on the tuning sets but lost 0.042 on one
 * held-out row and tripled p95 latency at 100k chunks in the bench, so it is off unless asked for.
 */
export const DEFAULT_CODE_SIGNALS = { symbolBoost: 0.2, importExpansion: 0 };

/**
 * Hybrid mode's code signals on the fused ranking: chunks defining a symbol the question names move
 * up (or join), then the import neighbours of the best files move up.
 */
async function applyCodeSignals(deps: RetrieveDependencies, index: IndexedRef, question: string, ranked: ScoredId[], signals: typeof DEFAULT_CODE_SIGNALS, lexicalSearch: LexicalSearch, scope: RetrieveScope): Promise<ScoredId[]> {
	const names = signals.symbolBoost > 0 ? namedSymbols(question) : [];
	if (names.length > 0) {
		const defining = await lexicalSearch.chunksDefining(index.id, names, DEFINITION_ROWS, lexicalScope(scope));
		ranked = boostDefinitions(ranked, definingChunks(defining, names), signals.symbolBoost);
	}
	if (signals.importExpansion > 0 && ranked.length > 0) {
		const pathOf = await deps.state.chunkPaths(index.id, ranked.map(({ id }) => id));
		const neighbours = await importNeighbours(deps.state, index, [...pathOf.values()]);
		ranked = expandImports(ranked, { pathOf, neighbours }, signals.importExpansion);
	}
	return ranked;
}

function lexicalScope(scope: RetrieveScope) {
	return { language: scope.language, pathHashes: scope.paths?.map(pathHash) };
}

function partScores(vectorRanking: ScoredId[], lexicalRanking: ScoredId[]): Map<string, HitScores> {
	const scores = new Map<string, HitScores>();
	const entry = (id: string) => scores.get(id) ?? scores.set(id, {}).get(id)!;
	vectorRanking.forEach(({ id, score }, index) => Object.assign(entry(id), { vector: score, vectorRank: index + 1 }));
	lexicalRanking.forEach(({ id, score }, index) => Object.assign(entry(id), { lexical: score, lexicalRank: index + 1 }));
	return scores;
}

function rank(mode: RetrieveMode, vectorRanking: ScoredId[], lexicalRanking: ScoredId[], weights: { vector: number; lexical: number }, fusion: FusionMethod): ScoredId[] {
	if (mode === 'vector') return vectorRanking;
	if (mode === 'lexical') return lexicalRanking;
	if (fusion === 'convex') {
		const total = weights.vector + weights.lexical;
		return fuseScores([
			{ weight: weights.vector / total, hits: vectorRanking },
			{ weight: weights.lexical / total, hits: lexicalRanking },
		]);
	}
	const rankings = [
		{ weight: weights.vector, ids: vectorRanking.map(({ id }) => id) },
		{ weight: weights.lexical, ids: lexicalRanking.map(({ id }) => id) },
	];
	return fuseRankings(rankings.filter((ranking) => ranking.weight > 0), RRF_K);
}

/** The ranked ids' stored chunks, in rank order; ids MySQL no longer holds are dropped. */
async function loadChunks(deps: RetrieveDependencies, index: IndexedRef, ranked: ScoredId[]): Promise<PoolEntry[]> {
	if (ranked.length === 0) return [];
	const byId = new Map((await deps.state.chunksByIds(index.id, ranked.map(({ id }) => id))).map((chunk) => [chunk.id, chunk]));
	return ranked.filter(({ id }) => byId.has(id)).map(({ id, score }) => ({ chunk: byId.get(id)!, score }));
}

async function diversify(deps: RetrieveDependencies, index: IndexedRef, pool: PoolEntry[], lambda: number, topK: number): Promise<PoolEntry[]> {
	const records = await deps.vectors.getRecords(index.collection, pool.map(({ chunk }) => chunk.id));
	const vectors = new Map(records.map((record) => [record.id, record.vector]));
	const withVectors = pool.filter(({ chunk }) => vectors.has(chunk.id));
	const candidates = withVectors.map(({ chunk, score }) => ({ id: chunk.id, relevance: score, vector: vectors.get(chunk.id)! }));
	const byId = new Map(withVectors.map((entry) => [entry.chunk.id, entry]));
	return mmrOrder(candidates, lambda, topK).map((id) => byId.get(id)!);
}

function toHit(chunk: StoredChunk, score: number, scores: HitScores, request: RetrieveRequest): RetrievedHit {
	const parts = Object.fromEntries(Object.entries(scores).filter(([, value]) => value !== undefined)) as HitScores;
	return chunkHit(chunk, request.repoKey, request.ref, score, parts);
}

/** A stored chunk as a hit of (repository, ref). */
export function chunkHit(chunk: StoredChunk, repo: RepoKey, ref: string, score: number, scores: HitScores): RetrievedHit {
	return {
		chunkId: chunk.id,
		repo,
		ref,
		path: chunk.path,
		startLine: chunk.startLine,
		endLine: chunk.endLine,
		symbol: chunk.symbol,
		language: chunk.language,
		score,
		scores,
		text: chunk.content,
	};
}
