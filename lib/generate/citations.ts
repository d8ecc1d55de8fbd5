import type { Citation, InvalidCitation, NumberedSource } from './types';

export interface CheckedAnswer {
	/** The answer with every invalid citation removed. */
	answer: string;
	/** Valid citations, one per source, in order of first mention. */
	citations: Citation[];
	invalidCitations: InvalidCitation[];
}

type Element =
	| { kind: 'number'; n: number; text: string }
	| { kind: 'span'; path: string; start: number; end: number; text: string };

const GROUP = /([ \t]*)\[([^[\]\n]{1,300})\]/g;
const NUMBER = /^(?:(?:source|chunk|ref)\s*#?\s*)?(\d{1,6})$/i;
const RANGE = /^(\d{1,6})\s*[-–]\s*(\d{1,6})$/;
const SPAN = /^(?:`)?([^\s`[\]]+?)(?::L?|#L)(\d{1,7})(?:\s*[-–]\s*L?(\d{1,7}))?(?:`)?$/;
const MAX_RANGE = 20;

/**
 * Parse `[n]`, `[n, m]`, `[n-m]` and `[path:start-end]` citations outside code, keep those that
 * point at a source in the prompt, and remove (and report) the rest.
 */
export function checkCitations(answer: string, sources: NumberedSource[]): CheckedAnswer {
	const citations = new Map<number, Citation>();
	const invalidCitations: InvalidCitation[] = [];
	const output = splitCode(answer).map(({ text, code }) => {
		if (code) return text;
		let previousWasCitation = false;
		let lastEnd = -1;
		return text.replace(GROUP, (whole, space: string, inner: string, offset: number) => {
			const before = space ? ' ' : (text[offset - 1] ?? '');
			const after = text[offset + whole.length] ?? '';
			const adjacent = before === ']' && previousWasCitation && lastEnd === offset;
			const elements = parseGroup(inner);
			previousWasCitation = false;
			if (!elements || after === '(' || (/[\w)\]/=#?&%]/.test(before) && !adjacent)) return whole;
			previousWasCitation = true;
			lastEnd = offset + whole.length;
			const kept: string[] = [];
			for (const element of elements) {
				const verdict = resolve(element, sources);
				if (typeof verdict === 'string')
					invalidCitations.push({ text: `[${element.text}]`, reason: verdict });
				else {
					kept.push(element.text);
					if (!citations.has(verdict.n)) citations.set(verdict.n, citationOf(verdict));
				}
			}
			return kept.length > 0 ? `${space}[${kept.join(', ')}]` : '';
		});
	});
	return { answer: output.join(''), citations: [...citations.values()], invalidCitations };
}

/** The elements of a bracket group, or null when it is not a citation (`[optional]`, `[x, y]`). */
function parseGroup(inner: string): Element[] | null {
	const elements: Element[] = [];
	for (const raw of inner.split(/\s*[,;]\s*/)) {
		const part = raw.trim();
		const number = NUMBER.exec(part);
		const range = RANGE.exec(part);
		const span = SPAN.exec(part);
		if (number) elements.push({ kind: 'number', n: Number(number[1]), text: part });
		else if (range) {
			const [from, to] = [Number(range[1]), Number(range[2])];
			if (to < from || to - from >= MAX_RANGE) elements.push({ kind: 'number', n: 0, text: part });
			else for (let n = from; n <= to; n++) elements.push({ kind: 'number', n, text: String(n) });
		} else if (span && /[./]/.test(span[1])) {
			const start = Number(span[2]);
			elements.push({
				kind: 'span',
				path: normalizePath(span[1]),
				start,
				end: span[3] ? Number(span[3]) : start,
				text: part,
			});
		} else return null;
	}
	return elements.length > 0 ? elements : null;
}

/** The source an element points at, or why it is invalid. */
function resolve(
	element: Element,
	sources: NumberedSource[],
): NumberedSource | 'malformed' | 'not-retrieved' {
	if (element.kind === 'number') {
		if (element.n < 1) return 'malformed';
		return sources.find((source) => source.n === element.n) ?? 'not-retrieved';
	}
	if (element.start < 1 || element.end < element.start) return 'malformed';
	const match = sources.find(
		(source) =>
			normalizePath(source.path) === element.path &&
			(source.startLine === undefined ||
				source.endLine === undefined ||
				(element.start <= source.endLine && element.end >= source.startLine)),
	);
	return match ?? 'not-retrieved';
}

function citationOf(source: NumberedSource): Citation {
	return {
		n: source.n,
		chunkId: source.chunkId ?? null,
		path: source.path,
		startLine: source.startLine ?? null,
		endLine: source.endLine ?? null,
	};
}

function normalizePath(path: string): string {
	return path.replace(/^\.?\//, '');
}

/** The answer cut into prose and code (fenced blocks and inline code spans). */
function splitCode(answer: string): Array<{ text: string; code: boolean }> {
	const parts: Array<{ text: string; code: boolean }> = [];
	const code = /```[\s\S]*?(?:```|$)|`[^`\n]*`/g;
	let last = 0;
	for (let match = code.exec(answer); match !== null; match = code.exec(answer)) {
		parts.push(
			{ text: answer.slice(last, match.index), code: false },
			{ text: match[0], code: true },
		);
		last = match.index + match[0].length;
	}
	parts.push({ text: answer.slice(last), code: false });
	return parts;
}
