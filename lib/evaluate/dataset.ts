import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { InvalidInputError } from '../errors';
import { expectedFromJson } from './input';
import type { EvalExpected } from './types';

/** One question of an evaluation dataset. */
export interface EvalDatasetItem {
	id: string;
	question: string;
	expected: EvalExpected;
}

/**
 * Read a dataset file: `.json` (an array of rows, or `{ items: [...] }`), `.jsonl`, or `.csv` with a
 * header row. A row has `question`, optional `id`, and the gold fields expectedFromJson reads.
 */
export async function readDataset(file: string): Promise<EvalDatasetItem[]> {
	const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
		throw new InvalidInputError(`Cannot read the dataset ${file}: ${error.code ?? error.message}`);
	});
	const extension = extname(file).toLowerCase();
	try {
		if (extension === '.csv') return datasetFromRows(parseCsv(text));
		if (extension === '.jsonl') return datasetFromRows(text.split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line)));
		const json = JSON.parse(text);
		return datasetFromRows(Array.isArray(json) ? json : json?.items);
	} catch (error) {
		if (error instanceof InvalidInputError) throw error;
		throw new InvalidInputError(`The dataset ${file} is not valid ${extension.slice(1) || 'JSON'}: ${(error as Error).message}`);
	}
}

/** Dataset items from parsed rows; ids default to the 1-based row number. */
export function datasetFromRows(rows: unknown): EvalDatasetItem[] {
	if (!Array.isArray(rows)) throw new InvalidInputError('A dataset is a list of rows with a question each');
	return rows.map((row, index) => {
		const json = (row ?? {}) as Record<string, unknown>;
		const question = typeof json.question === 'string' ? json.question.trim() : '';
		if (!question) throw new InvalidInputError(`Dataset row ${index + 1} has no question`);
		const id = json.id === undefined || json.id === null || json.id === '' ? String(index + 1) : String(json.id);
		return { id, question, expected: expectedFromJson(json) };
	});
}

/** Rows of a CSV text (RFC 4180: quoted fields, doubled quotes, CRLF) keyed by its header row. */
export function parseCsv(text: string): Array<Record<string, string>> {
	const records: string[][] = [];
	let record: string[] = [];
	let field = '';
	let quoted = false;
	const source = text.replace(/^\uFEFF/, '');
	const endField = () => {
		record.push(field);
		field = '';
	};
	for (let i = 0; i < source.length; i++) {
		const char = source[i];
		if (quoted && char === '"' && source[i + 1] === '"') {
			field += '"';
			i++;
		} else if (quoted) {
			if (char === '"') quoted = false;
			else field += char;
		} else if (char === '"' && field === '') {
			quoted = true;
		} else if (char === ',') {
			endField();
		} else if (char === '\n' || char === '\r') {
			if (char === '\r' && source[i + 1] === '\n') i++;
			endField();
			records.push(record);
			record = [];
		} else {
			field += char;
		}
	}
	if (quoted) throw new InvalidInputError('The CSV ends inside a quoted field');
	if (field !== '' || record.length > 0) {
		endField();
		records.push(record);
	}
	const [header, ...body] = records.filter((row) => row.some((cell) => cell.trim() !== ''));
	if (!header) return [];
	const names = header.map((name) => name.trim());
	return body.map((row) => Object.fromEntries(names.map((name, column) => [name, row[column] ?? ''])));
}
