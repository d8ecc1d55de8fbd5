import type { CacheStatus } from '../cache/answer-cache';
import type { IndexStateStore } from '../store/index-state';
import type { ChunkId, Embedder, GitSha, RepoKey } from '../types';
import type { ChromaVectorStore } from '../vector/chroma';
import type { FusionMethod } from './fusion';

export type RetrieveMode = 'vector' | 'lexical' | 'hybrid';

/** Which chunks may be returned; every field is optional and they combine with AND. */
export interface RetrieveFilters {
	/** Only paths starting with this, e.g. `src/parser/`. */
	pathPrefix?: string;
	/** Only paths matching this picomatch glob, e.g. `src/**\/*.ts`. */
	pathGlob?: string;
	/** Only chunks of this language (as lib/language names it, e.g. `typescript`). */
	language?: string;
}

/** A text-embeddings-inference compatible reranker (`POST <url>/rerank`). */
export interface RerankOptions {
	/** Base URL of the server, or its full `/rerank` URL. */
	url: string;
	/** Sent as `Authorization: Bearer <apiKey>`. */
	apiKey?: string;
	/** How many fused candidates are reranked (default 50, at least topK). */
	topN?: number;
	/** Request timeout (default 30 s). */
	timeoutMs?: number;
}

/** One question to answer from the index of (repository, ref, embedding model). */
export interface RetrieveRequest {
	question: string;
	repoKey: RepoKey;
	ref: string;
	/** Default `hybrid`. */
	mode?: RetrieveMode;
	/** Hits returned (default 10). */
	topK?: number;
	filters?: RetrieveFilters;
	/** How hybrid mode fuses the rankings (default `convex`: min-max normalised scores; `rrf`: reciprocal ranks). */
	fusion?: FusionMethod;
	/** Relative weights of the two rankings in fusion (default: convex 0.2 and 0.8, rrf 1 and 1). */
	weights?: { vector?: number; lexical?: number };
	/**
	 * How full-text candidates are scored: `bm25` (default) re-scores InnoDB's candidates with BM25 over the
	 * ref's own term statistics, so a ranking does not move while InnoDB merges its full-text cache;
	 * `innodb` keeps InnoDB's natural-language relevance.
	 */
	lexicalScoring?: 'bm25' | 'innodb';
	/** BM25: how many times a query word in the chunk's path or defined symbol counts (default 1 and 1). */
	fieldWeights?: { path?: number; symbol?: number };
	/**
	 * Hybrid mode's code signals, each a weight from 0 (off) to 1 in units of the best fused score
	 * (default 0.2 and 0): `symbolBoost` lifts chunks that define a symbol the question writes as code
	 * (`createPool`, `Pool.end`, `parse()`); `importExpansion` lifts the files one import link away from
	 * the best 3 files (0.2 measured best; off by default for its latency, see docs/retrieval-quality.md).
	 */
	codeSignals?: { symbolBoost?: number; importExpansion?: number };
	/** Maximal marginal relevance: lambda 1 = relevance only, 0 = diversity only. */
	mmr?: { lambda: number };
	rerank?: RerankOptions;
}

/** The services retrieval reads; none is created here. */
export interface RetrieveDependencies {
	state: IndexStateStore;
	vectors: ChromaVectorStore;
	/** Must be the provider and model the index was built with. */
	embedder: Embedder;
}

/** How one hit scored in each ranking it appeared in (ranks are 1-based). */
export interface HitScores {
	vector?: number;
	vectorRank?: number;
	lexical?: number;
	lexicalRank?: number;
	fused?: number;
	rerank?: number;
}

/** One retrieved chunk, with what a citation needs. */
export interface RetrievedHit {
	chunkId: ChunkId;
	repo: RepoKey;
	ref: string;
	path: string;
	startLine: number;
	endLine: number;
	symbol: string | null;
	language: string;
	/** The score the hits are ordered by (rerank, fused, or the single mode's score). */
	score: number;
	scores: HitScores;
	text: string;
}

/** The answer to one RetrieveRequest. */
export interface RetrieveResult {
	question: string;
	repo: RepoKey;
	ref: string;
	/** The commit the index of the ref was built from. */
	commit: GitSha | null;
	mode: RetrieveMode;
	embeddingModel: string;
	filters: RetrieveFilters;
	hits: RetrievedHit[];
	/** Set when there are no hits; `reason` says why. */
	empty?: true;
	reason?: string;
	/** Set when the result cache was used: whether this came from it. */
	cache?: CacheStatus;
}
