import { countTokens, truncateToTokens } from './tokens';
import { isBlank, type Unit } from './units';

export interface LayoutOptions {
	path: string;
	maxTokens: number;
	overlapLines: number;
	/** Joins the parts of a qualified symbol: `.` for code, ` > ` for Markdown headings. */
	symbolSeparator: string;
}

/** A chunk before it gets its identity: 0-based inclusive lines and its texts. */
export interface ChunkDraft {
	start: number;
	end: number;
	symbol: string | null;
	content: string;
	embeddingText: string;
	tokens: number;
}

/** The text put before a chunk's content in its embedding text. */
export function embeddingHeader(path: string, symbol: string | null): string {
	return symbol === null ? `File: ${path}\n\n` : `File: ${path}\nSymbol: ${symbol}\n\n`;
}

/**
 * Symbol of merged units: the one declaration they hold; for several, their common enclosing path
 * (`Parser` for `Parser.parse` and `Parser.reset`, null at top level); else the enclosing symbol.
 */
function groupSymbol(units: Unit[], separator: string): string | null {
	const names = [...new Set(units.filter((unit) => unit.declaration).map((unit) => unit.symbol!))];
	if (names.length === 0) return units[0].symbol;
	if (names.length === 1) return names[0];
	const paths = names.map((name) => name.split(separator));
	const common: string[] = [];
	for (const [index, segment] of paths[0].entries()) {
		if (!paths.every((path) => path[index] === segment)) break;
		common.push(segment);
	}
	return common.length > 0 ? common.join(separator) : null;
}

/**
 * Packs units into chunks within the token budget: small neighbours are merged, large units are
 * split at their members or into overlapping line windows. Estimates (per-line token sums) choose
 * the boundaries; every emitted embedding text is counted exactly before it is accepted.
 */
export class LineLayout {
	private readonly lineTokens: number[] = [0];
	private readonly headerTokens = new Map<string | null, number>();
	private readonly drafts: ChunkDraft[] = [];

	constructor(
		private readonly lines: string[],
		private readonly options: LayoutOptions,
	) {
		for (const line of lines) this.lineTokens.push(this.lineTokens.at(-1)! + countTokens(line) + 1);
	}

	/** Chunk drafts for units that cover the file in order. */
	layout(units: Unit[]): ChunkDraft[] {
		this.place(units);
		return this.drafts;
	}

	private estimate(start: number, end: number, symbol: string | null): number {
		let header = this.headerTokens.get(symbol);
		if (header === undefined) {
			header = countTokens(embeddingHeader(this.options.path, symbol));
			this.headerTokens.set(symbol, header);
		}
		return this.lineTokens[end + 1] - this.lineTokens[start] - 1 + header;
	}

	private place(units: Unit[]): void {
		const { maxTokens } = this.options;
		let group: Unit[] = [];
		let groupTokens = 0;
		for (const unit of units) {
			const tokens = this.estimate(unit.start, unit.end, unit.symbol);
			if (tokens > maxTokens) {
				this.flush(group);
				group = [];
				const nearBudget = tokens <= maxTokens * 1.25;
				if (!nearBudget || !this.tryEmit(unit.start, unit.end, unit.symbol)) this.split(unit);
				continue;
			}
			if (group.length > 0) {
				const merged = [...group, unit];
				const mergedSymbol = groupSymbol(merged, this.options.symbolSeparator);
				const mergedTokens = this.estimate(group[0].start, unit.end, mergedSymbol);
				if (Math.min(groupTokens, tokens) < maxTokens / 4 && mergedTokens <= maxTokens) {
					group = merged;
					groupTokens = mergedTokens;
					continue;
				}
				this.flush(group);
			}
			group = [unit];
			groupTokens = tokens;
		}
		this.flush(group);
	}

	private flush(group: Unit[]): void {
		if (group.length === 0) return;
		const symbol = groupSymbol(group, this.options.symbolSeparator);
		if (this.tryEmit(group[0].start, group.at(-1)!.end, symbol)) return;
		if (group.length === 1) this.split(group[0]);
		else for (const unit of group) this.flush([unit]);
	}

	private split(unit: Unit): void {
		if (unit.members) this.place(unit.members());
		else this.windows(unit.start, unit.end, unit.symbol);
	}

	private windows(start: number, end: number, symbol: string | null): void {
		const { maxTokens, overlapLines } = this.options;
		const blank = (row: number): boolean => isBlank(this.lines[row]);
		let first = start;
		for (;;) {
			while (first <= end && blank(first)) first += 1;
			if (first > end) return;
			let last = first;
			while (last < end && this.estimate(first, last + 1, symbol) <= maxTokens) last += 1;
			while (last > first && blank(last)) last -= 1;
			while (!this.tryEmit(first, last, symbol)) {
				if (last === first) {
					this.emitTruncated(first, symbol);
					break;
				}
				last -= 1;
				while (last > first && blank(last)) last -= 1;
			}
			let following = last + 1;
			while (following <= end && blank(following)) following += 1;
			if (following > end) return;
			let next = Math.max(first + 1, last + 1 - overlapLines);
			while (next <= last && this.estimate(next, following, symbol) > maxTokens) next += 1;
			first = next;
		}
	}

	private tryEmit(start: number, end: number, symbol: string | null): boolean {
		const content = this.lines.slice(start, end + 1).join('\n');
		const embeddingText = embeddingHeader(this.options.path, symbol) + content;
		const tokens = countTokens(embeddingText);
		if (tokens > this.options.maxTokens) return false;
		this.drafts.push({ start, end, symbol, content, embeddingText, tokens });
		return true;
	}

	/** A single line over the budget: exact content, embedding text cut to the budget. */
	private emitTruncated(row: number, symbol: string | null): void {
		const content = this.lines[row];
		const header = embeddingHeader(this.options.path, symbol);
		const embeddingText = truncateToTokens(header + content, this.options.maxTokens);
		const tokens = countTokens(embeddingText);
		this.drafts.push({ start: row, end: row, symbol, content, embeddingText, tokens });
	}
}
