import type { FileFailure } from '../store/failure-ledger';
import type { IndexedRef, RunCounts } from '../store/index-state';
import { assertLeaseHeld } from '../store/ref-lock';
import type { ChunkId } from '../types';
import { fileFailure, isFileFailure } from './failures';
import type { ProcessedFile } from './process-files';
import { toVectorRecord } from './records';
import type { SyncDependencies } from './sync';

/** Files of a batch that fail on their own before any succeeds, at which point the error is taken as the service's. */
const FAILURES_BEFORE_GIVING_UP = 3;

/**
 * Embeds cache misses, upserts to Chroma, then records in MySQL, then deletes what MySQL no longer
 * claims. A failure that belongs to a file (the embedding API refuses it, MySQL rejects its data) is
 * isolated by retrying file by file: that file is left out of the index (its old rows and vectors
 * deleted) and returned as a failure; everything else is written. Returns the batch's failures.
 */
export async function writeBatch(files: ProcessedFile[], deps: SyncDependencies, ref: IndexedRef, counts: RunCounts, inLedger: ReadonlySet<string> = new Set()): Promise<FileFailure[]> {
	const failures = files.flatMap((file) => (file.failure ? [file.failure] : []));
	const embedded = await embedFiles(files.filter((file) => !file.failure), deps, counts, failures, inLedger);
	const ready = [...embedded.keys()];
	await assertLeaseHeld();
	await deps.vectors.upsert(ref.collection, ready.flatMap((file) => file.chunks.map((chunk, i) => toVectorRecord(chunk, embedded.get(file)![i]))));
	const { stored, stale } = await storeFiles(ready, deps, ref, failures);
	const failedIds = ready.filter((file) => !stored.includes(file)).flatMap((file) => file.chunks.map((chunk) => chunk.id));
	const forgotten = await deps.state.removeFiles(ref.id, failures.map((failure) => failure.path));
	const gone = new Set([...stale, ...forgotten]);
	await assertLeaseHeld();
	await deps.vectors.deleteIds(ref.collection, [...new Set([...gone, ...failedIds])]);
	counts.chunksUpserted += stored.reduce((sum, file) => sum + file.chunks.length, 0);
	counts.chunksDeleted += gone.size;
	counts.filesChanged += stored.filter((file) => !file.skipped).length;
	return failures;
}

/**
 * Vectors of every file's chunks (through the cache); files the embedder refuses on their own are
 * failures. Files already in the failure ledger are tried last and do not count as a sign that the
 * service is at fault: retried first, three of them would otherwise fail every later run.
 */
async function embedFiles(files: ProcessedFile[], deps: SyncDependencies, counts: RunCounts, failures: FileFailure[], inLedger: ReadonlySet<string>): Promise<Map<ProcessedFile, number[][]>> {
	const embedOnce = async (batch: ProcessedFile[]) => {
		const result = await deps.cache.embed(deps.embedder, batch.flatMap((file) => file.chunks.map((chunk) => ({ key: chunk.contentHash, text: chunk.embeddingText }))));
		counts.embedded += result.embedded;
		counts.cacheHits += result.cacheHits;
		let next = 0;
		return batch.map((file) => result.vectors.slice(next, (next += file.chunks.length)));
	};
	const vectors = new Map<ProcessedFile, number[][]>();
	try {
		(await embedOnce(files)).forEach((fileVectors, i) => vectors.set(files[i], fileVectors));
		return vectors;
	} catch (error) {
		if (!isFileFailure(error, 'embed')) throw error;
		let failed = 0;
		let succeeded = 0;
		const known = (file: ProcessedFile) => inLedger.has(file.file.path);
		for (const file of [...files.filter((file) => !known(file)), ...files.filter(known)]) {
			try {
				vectors.set(file, file.chunks.length === 0 ? [] : (await embedOnce([file]))[0]);
				if (file.chunks.length > 0) succeeded += 1;
			} catch (fileError) {
				if (!isFileFailure(fileError, 'embed')) throw fileError;
				if (succeeded === 0 && !known(file) && ++failed >= FAILURES_BEFORE_GIVING_UP) throw error;
				failures.push(fileFailure(file.file, 'embed', fileError));
			}
		}
		return vectors;
	}
}

/** Writes file and chunk rows in one transaction, or file by file when one file's data is rejected. */
async function storeFiles(files: ProcessedFile[], deps: SyncDependencies, ref: IndexedRef, failures: FileFailure[]): Promise<{ stored: ProcessedFile[]; stale: ChunkId[] }> {
	const rows = (batch: ProcessedFile[]) => batch.map(({ file, chunks }) => ({ file, chunks }));
	try {
		return { stored: files, stale: await deps.state.writeFiles(ref.id, rows(files)) };
	} catch (error) {
		if (!isFileFailure(error, 'store')) throw error;
		const stored: ProcessedFile[] = [];
		const stale: ChunkId[] = [];
		for (const file of files) {
			try {
				stale.push(...(await deps.state.writeFiles(ref.id, rows([file]))));
				stored.push(file);
			} catch (fileError) {
				if (!isFileFailure(fileError, 'store')) throw fileError;
				failures.push(fileFailure(file.file, 'store', fileError));
			}
		}
		return { stored, stale };
	}
}
