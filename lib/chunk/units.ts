import type { SyntaxNode } from 'web-tree-sitter';
import type { SyntaxSpec } from './syntax';

/** A run of lines that is chunked as a whole when it fits the budget. Lines are 0-based, inclusive. */
export interface Unit {
	start: number;
	end: number;
	/** Qualified declaration name; for code between declarations, the enclosing one (or null). */
	symbol: string | null;
	/** False for code between declarations. */
	declaration: boolean;
	/** Units covering the same lines split at members, for a unit too large for the budget. */
	members?: () => Unit[];
}

/** True when a line holds nothing but whitespace. */
export function isBlank(line: string): boolean {
	return line.trim() === '';
}

/** The last row that holds a character of the node. */
function lastRow(node: SyntaxNode): number {
	const { row, column } = node.endPosition;
	return column === 0 && row > node.startPosition.row ? row - 1 : row;
}

/** First row of the node together with the comments and decorators directly above it. */
function attachedStart(node: SyntaxNode, spec: SyntaxSpec): number {
	let start = node.startPosition.row;
	let previous = node.previousNamedSibling;
	while (previous && spec.attached.has(previous.type) && lastRow(previous) >= start - 1) {
		const before = previous.previousNamedSibling;
		if (before && lastRow(before) === previous.startPosition.row) break;
		start = previous.startPosition.row;
		previous = before;
	}
	return start;
}

/** Declaration units of sibling nodes within lines start..end, with the code between them. */
export function syntaxUnits(
	nodes: SyntaxNode[],
	range: { start: number; end: number },
	spec: SyntaxSpec,
	context: string | null,
	lines: string[],
): Unit[] {
	const declarations: Unit[] = [];
	for (const node of nodes) {
		const declaration = spec.describe(node);
		if (!declaration) continue;
		const symbol = context ? `${context}.${declaration.name}` : declaration.name;
		const end = lastRow(node);
		const previous = declarations.at(-1);
		if (previous && node.startPosition.row <= previous.end) {
			previous.end = Math.max(previous.end, end);
			previous.symbol = `${previous.symbol}, ${symbol}`;
			previous.members = undefined;
			continue;
		}
		const start = Math.max(attachedStart(node, spec), previous ? previous.end + 1 : range.start);
		const members = declaration.members;
		const unit: Unit = { start, end, symbol, declaration: true };
		if (members && members.length > 0) {
			unit.members = () => syntaxUnits(members, { start, end }, spec, symbol, lines);
		}
		declarations.push(unit);
	}
	return withGaps(declarations, range, context, lines);
}

/** Adds units for the non-blank code between declarations (and before and after them). */
export function withGaps(
	declarations: Unit[],
	range: { start: number; end: number },
	context: string | null,
	lines: string[],
): Unit[] {
	const units: Unit[] = [];
	let cursor = range.start;
	const addGap = (from: number, to: number): void => {
		while (from <= to && isBlank(lines[from])) from += 1;
		while (to >= from && isBlank(lines[to])) to -= 1;
		if (from <= to) units.push({ start: from, end: to, symbol: context, declaration: false });
	};
	for (const declaration of declarations) {
		addGap(cursor, declaration.start - 1);
		units.push(declaration);
		cursor = declaration.end + 1;
	}
	addGap(cursor, range.end);
	return units;
}
