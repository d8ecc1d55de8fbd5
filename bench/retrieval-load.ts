import type { IndexedRef } from '../lib/store/index-state';
import type { SyncDependencies } from '../lib/sync';
import { toVectorRecord } from '../lib/sync/records';
import type { Chunk, Embedder } from '../lib/types';
import { ChromaVectorStore } from '../lib/vector/chroma';
import type { CorpusFile } from './retrieval-corpus';

const FILES_PER_BATCH = 200;

/**
 * Writes pre-chunked files straight through the store classes (MySQL rows with their FULLTEXT
 * text, Chroma records with the embedder's vectors), the way the sync engine's write step does, batch by batch.
 */
export async function loadChunks(deps: Pick<SyncDependencies, 'state' | 'vectors'>, repoKey: string, ref: string, embedder: Embedder, files: Array<{ file: CorpusFile; chunks: Chunk[] }>, onProgress: (done: number) => void): Promise<IndexedRef> {
	const model = embedder.modelId;
	const collection = ChromaVectorStore.collectionName(repoKey, model);
	const indexed = await deps.state.ensureRef(repoKey, ref, model, collection);
	await deps.vectors.collection(collection, { repo: repoKey, model });
	let done = 0;
	let pending: Promise<unknown> = Promise.resolve();
	for (let i = 0; i < files.length; i += FILES_PER_BATCH) {
		const batch = files.slice(i, i + FILES_PER_BATCH);
		const chunks = batch.flatMap(({ chunks: fileChunks }) => fileChunks);
		const vectors = await embedder.embed(chunks.map((chunk) => chunk.embeddingText));
		const records = chunks.map((chunk, index) => toVectorRecord(chunk, vectors[index]));
		await pending;
		pending = Promise.all([
			deps.vectors.upsert(collection, records),
			deps.state.writeFiles(indexed.id, batch.map(({ file, chunks: fileChunks }) => ({
				file: { path: file.path, blobSha: fileChunks[0].blobSha, language: fileChunks[0].language, size: Buffer.byteLength(file.content), chunkCount: fileChunks.length, skipReason: null, skipDetail: null },
				chunks: fileChunks,
			}))),
		]);
		await pending;
		done += chunks.length;
		onProgress(done);
	}
	await deps.state.markIndexed(indexed.id, '0'.repeat(40), { files: files.length, chunks: done });
	return (await deps.state.findRef(repoKey, ref, model))!;
}
