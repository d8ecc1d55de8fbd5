import type { SyntaxNode } from 'web-tree-sitter';
import type { SyntaxSpec } from './syntax';

/** Lines chunked as a whole when they fit the budget; 0-based, inclusive. */
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

/**
 * First row of `nodes[index]` together with the comments and decorators directly above it. Uses
 * `grammarType`: web-tree-sitter 0.22 gives a comment inside an aliased rule the alias as `type`.
 */
function attachedStart(nodes: SyntaxNode[], index: number, spec: SyntaxSpec): number {
	let start = nodes[index].startPosition.row;
	for (let before = index - 1; before >= 0; before--) {
		const previous = nodes[before];
		if (!spec.attached.has(previous.grammarType) || lastRow(previous) < start - 1) break;
		if (before > 0 && lastRow(nodes[before - 1]) === previous.startPosition.row) break;
		start = previous.startPosition.row;
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
	for (const [index, node] of nodes.entries()) {
		const declaration = node.isExtra ? null : spec.describe(node);
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
		const floor = previous ? previous.end + 1 : range.start;
		const start = Math.max(attachedStart(nodes, index, spec), floor);
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
