import type { Chunk, SkippedFile, SourceFile, TreeEntry } from '../types';

/** What the sync engine needs of the chunker (lib/chunk's Chunker fits). */
export interface ChunkSplitter {
	chunk(file: SourceFile): Chunk[];
}

/** What the sync engine needs of the file filter (lib/filter's FileFilter fits). */
export interface FileGate {
	checkEntry(entry: TreeEntry): SkippedFile | null;
	checkContent(path: string, content: Buffer): { text: string } | SkippedFile;
}
