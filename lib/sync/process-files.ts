import { chunkId } from '../ids';
import { detectLanguage } from '../language';
import { fitChunk, fitFile } from '../store/columns';
import type { FailureStep, FileFailure } from '../store/failure-ledger';
import type { StoredChunk, StoredFile } from '../store/index-state';
import type { Chunk, GitSha, RepoSource, SkippedFile, TreeEntry } from '../types';
import { fileFailure, isFileFailure } from './failures';
import { storedSkip } from './plan';
import type { ChunkSplitter, FileGate } from './ports';

/** A file ready to be written: its stored row and its chunks (none when skipped or failed). */
export interface ProcessedFile {
	file: StoredFile;
	chunks: Chunk[];
	skipped: SkippedFile | null;
	/** Set when the file could not be read, filtered or chunked: it goes to the failure ledger. */
	failure: FileFailure | null;
	/** True when the chunks came from an identical blob already indexed (no download). */
	reused: boolean;
}

export interface ProcessContext {
	source: RepoSource;
	repoKey: string;
	ref: string;
	filter: FileGate;
	chunker: ChunkSplitter;
	readConcurrency: number;
	/** Chunks of blobs already indexed under another ref at the same path. */
	indexed: Map<GitSha, { file: StoredFile; chunks: StoredChunk[] }>;
}

/** Reads, filters and chunks a batch of files (reads in parallel, bounded). */
export async function processFiles(entries: TreeEntry[], context: ProcessContext): Promise<ProcessedFile[]> {
	const results = new Array<ProcessedFile>(entries.length);
	let next = 0;
	const worker = async () => {
		while (next < entries.length) {
			const index = next++;
			results[index] = await processFile(entries[index], context);
		}
	};
	await Promise.all(Array.from({ length: Math.min(context.readConcurrency, entries.length) }, worker));
	return results;
}

async function processFile(entry: TreeEntry, context: ProcessContext): Promise<ProcessedFile> {
	const language = detectLanguage(entry.path);
	const known = context.indexed.get(entry.blobSha);
	if (known && known.file.path === entry.path) return reuse(entry, known, context);
	const base = { path: entry.path, blobSha: entry.blobSha, language, size: entry.size };
	let step: FailureStep = 'read';
	try {
		const bytes = await context.source.readBlob(entry.blobSha, entry.path);
		step = 'filter';
		const checked = context.filter.checkContent(entry.path, bytes);
		if ('reason' in checked) {
			const file = fitFile({ ...base, chunkCount: 0, skipReason: checked.reason, skipDetail: checked.detail ?? null });
			return { file, chunks: [], skipped: storedSkip(file), failure: null, reused: false };
		}
		step = 'chunk';
		const chunks = context.chunker.chunk({ repoKey: context.repoKey, ref: context.ref, path: entry.path, blobSha: entry.blobSha, content: checked.text, language }).map(fitChunk);
		return { file: fitFile({ ...base, chunkCount: chunks.length, skipReason: null, skipDetail: null }), chunks, skipped: null, failure: null, reused: false };
	} catch (error) {
		if (!isFileFailure(error, step)) throw error;
		return { file: { ...base, chunkCount: 0, skipReason: null, skipDetail: null }, chunks: [], skipped: null, failure: fileFailure(entry, step, error), reused: false };
	}
}

function reuse(entry: TreeEntry, known: { file: StoredFile; chunks: StoredChunk[] }, context: ProcessContext): ProcessedFile {
	const chunks = known.chunks.map((stored): Chunk => ({
		...stored,
		repoKey: context.repoKey,
		ref: context.ref,
		id: chunkId({ repoKey: context.repoKey, ref: context.ref, path: entry.path, blobSha: entry.blobSha, startLine: stored.startLine, endLine: stored.endLine }),
		embeddingText: '',
	}));
	const skipped = known.file.skipReason ? storedSkip({ ...known.file, path: entry.path }) : null;
	return { file: { ...known.file, path: entry.path, size: entry.size }, chunks, skipped, failure: null, reused: true };
}
