import type { VectorRecord } from '../vector/chroma';
import type { Chunk } from '../types';

/** The Chroma record of a chunk: its source text, and the metadata filters and citations need. */
export function toVectorRecord(chunk: Chunk, vector: number[]): VectorRecord {
	return {
		id: chunk.id,
		vector,
		content: chunk.content,
		metadata: {
			repo: chunk.repoKey,
			ref: chunk.ref,
			path: chunk.path,
			language: chunk.language,
			startLine: chunk.startLine,
			endLine: chunk.endLine,
			symbol: chunk.symbol ?? '',
			blobSha: chunk.blobSha,
		},
	};
}
