import type { Chunk } from '../types';
import type { StoredFile } from './index-state';

/** Characters (code points, as utf8mb4 VARCHAR counts them) that fit the columns RepoMind writes. */
export const COLUMN_CHARS = { path: 1024, language: 32, symbol: 512, skipDetail: 255, ledgerError: 2000 } as const;

/** The text cut to at most `max` code points, never inside a surrogate pair. */
export function fitColumn(text: string, max: number): string {
	if (text.length <= max) return text;
	let end = 0;
	let count = 0;
	while (end < text.length && count < max) {
		const code = text.charCodeAt(end);
		end += code >= 0xd800 && code <= 0xdbff && end + 1 < text.length ? 2 : 1;
		count += 1;
	}
	return text.slice(0, end);
}

/** Whether a path fits its column (a longer one cannot be stored, so the file is skipped). */
export function pathFits(path: string): boolean {
	return path.length <= COLUMN_CHARS.path || [...path].length <= COLUMN_CHARS.path;
}

/** A chunk whose stored fields fit their columns (the same values go to Chroma and MySQL). */
export function fitChunk(chunk: Chunk): Chunk {
	const language = fitColumn(chunk.language, COLUMN_CHARS.language);
	const symbol = chunk.symbol === null ? null : fitColumn(chunk.symbol, COLUMN_CHARS.symbol);
	return language === chunk.language && symbol === chunk.symbol ? chunk : { ...chunk, language, symbol };
}

/** A file row whose fields fit their columns. */
export function fitFile(file: StoredFile): StoredFile {
	const skipDetail = file.skipDetail === null ? null : fitColumn(file.skipDetail, COLUMN_CHARS.skipDetail);
	return { ...file, language: fitColumn(file.language, COLUMN_CHARS.language), skipDetail };
}
