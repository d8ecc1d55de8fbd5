import type { ChunkId, GitSha, RepoKey } from './types';
import { sha256Hex } from './util/hash';

/**
 * Bumped whenever chunk boundaries, embedding text or the cache key could change for the same input.
 * 2: the embedding cache is keyed by the exact embedding text (path included), not by the content.
 */
export const CHUNKER_VERSION = 2;

/**
 * Bumped whenever the content filter's verdicts could change for the same blob (new secret rules, a
 * fixed false positive): every file of a ref indexed under an older version is read and filtered again.
 */
export const FILTER_VERSION = 1;

export interface ChunkIdParts {
	repoKey: RepoKey;
	ref: string;
	path: string;
	blobSha: GitSha;
	startLine: number;
	endLine: number;
	chunkerVersion?: number;
}

/** The one chunk-id function: 32 hex characters of SHA-256 over (repo, ref, path, blob, span, version). */
export function chunkId(parts: ChunkIdParts): ChunkId {
	return sha256Hex(
		'chunk',
		parts.repoKey,
		parts.ref,
		parts.path,
		parts.blobSha,
		parts.startLine,
		parts.endLine,
		parts.chunkerVersion ?? CHUNKER_VERSION,
	).slice(0, 32);
}

/** Key of the embedding cache: the hash of exactly the text that is embedded (chunks, queries, items). */
export function textHash(text: string): string {
	return sha256Hex('text', text);
}
