import { countTokens } from '../chunk/tokens';
import type { RankedSymbol, RepoMapFile } from './types';

export interface OutlineInput {
	/** First line, e.g. which repository and commit. */
	title: string;
	/** Files best ranked first. */
	files: RepoMapFile[];
	/** Definitions, most referenced first. */
	symbols: RankedSymbol[];
	maxTokens: number;
	maxSymbolsPerFile: number;
}

/** The outline text and its exact token count. */
export interface Outline {
	text: string;
	tokens: number;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

function fileLine(file: RepoMapFile): string {
	return `${file.path} [rank ${file.rank.toFixed(4)}, imported by ${file.importedBy}]`;
}

function symbolLine(symbol: RankedSymbol): string {
	const owner = symbol.parent ? `${symbol.parent} › ` : '';
	return `  ${owner}${symbol.signature} [${plural(symbol.references, 'ref')}]`;
}

/**
 * Files in rank order, each followed by its most referenced declarations (members nobody mentions
 * are left out), line by line while the
 * whole text stays within `maxTokens`; stops at the first line that does not fit.
 */
export function buildOutline(input: OutlineInput): Outline {
	const symbolsByPath = new Map<string, RankedSymbol[]>();
	for (const symbol of input.symbols) {
		symbolsByPath.set(symbol.path, [...(symbolsByPath.get(symbol.path) ?? []), symbol]);
	}
	const lines: string[] = [];
	const add = (line: string): boolean => {
		if (countTokens([...lines, line].join('\n')) > input.maxTokens) return false;
		lines.push(line);
		return true;
	};
	if (!add(input.title)) return { text: '', tokens: 0 };
	for (const file of input.files) {
		if (!add('') || !add(fileLine(file))) break;
		const symbols = (symbolsByPath.get(file.path) ?? []).filter((symbol) => symbol.references > 0 || !symbol.parent);
		const shown = symbols.slice(0, input.maxSymbolsPerFile);
		if (!shown.every((symbol) => add(symbolLine(symbol)))) break;
		if (symbols.length > shown.length && !add(`  … ${symbols.length - shown.length} more`)) break;
	}
	while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
	const text = lines.join('\n');
	return { text, tokens: countTokens(text) };
}
