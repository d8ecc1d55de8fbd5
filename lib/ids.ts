import type { ChunkId, GitSha, RepoKey } from './types';
import { sha256Hex } from './util/hash';

/** Bumped whenever chunk boundaries or embedding text could change for the same input. */
export const CHUNKER_VERSION = 1;

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

/** Key of the embedding cache for a chunk: symbol and content, deliberately without the path. */
export function contentHash(symbol: string | null, content: string): string {
	return sha256Hex('content', symbol ?? '', content);
}

/** Hash of an arbitrary text to embed (queries, items from other nodes). */
export function textHash(text: string): string {
	return sha256Hex('text', text);
}
