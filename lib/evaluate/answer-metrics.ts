import { goldFiles, normalizePath, overlaps } from './retrieval-metrics';
import type { EvalCitation, EvalExpected } from './types';

/** Citation precision and recall, and what they were measured against. */
export interface CitationMetrics {
	precision: number;
	recall: number;
	/** `lines`: gold spans and chunk ids; `files`: only gold files were given. */
	level: 'lines' | 'files';
}

/**
 * Precision: the share of distinct citations that point into gold (overlapping a gold span or equal to
 * a gold chunk id; a gold file when only files are given). Recall: the share of gold targets cited.
 * An answer without citations has precision 0. Null when the item has no gold.
 */
export function citationMetrics(citations: EvalCitation[], expected: EvalExpected): CitationMetrics | null {
	const spans = expected.spans ?? [];
	const chunkIds = [...new Set(expected.chunkIds ?? [])];
	const files = goldFiles(expected);
	const byLines = spans.length > 0 || chunkIds.length > 0;
	if (!byLines && files.length === 0) return null;
	const seen = new Set<string>();
	const distinct = citations.filter((citation) => {
		const key = citation.chunkId || `${normalizePath(citation.path)}:${citation.startLine}-${citation.endLine}`;
		return !seen.has(key) && seen.add(key);
	});
	const matchesOf = (citation: EvalCitation): number[] =>
		byLines
			? [
					...spans.flatMap((span, index) => (overlaps(citation, span) ? [index] : [])),
					...chunkIds.flatMap((id, index) => (citation.chunkId === id ? [spans.length + index] : [])),
				]
			: files.flatMap((path, index) => (normalizePath(citation.path) === path ? [index] : []));
	const targetCount = byLines ? spans.length + chunkIds.length : files.length;
	const covered = new Set<number>();
	let matched = 0;
	for (const citation of distinct) {
		const targets = matchesOf(citation);
		if (targets.length > 0) matched += 1;
		for (const target of targets) covered.add(target);
	}
	return {
		precision: distinct.length > 0 ? matched / distinct.length : 0,
		recall: covered.size / targetCount,
		level: byLines ? 'lines' : 'files',
	};
}

/** Lower case, citations `[n]` and punctuation removed, articles dropped, whitespace collapsed. */
export function normalizeAnswer(text: string): string {
	return text
		.normalize('NFKC')
		.toLowerCase()
		.replace(/\[\d+\]/g, ' ')
		.replace(/[^\p{L}\p{N}\s]+/gu, ' ')
		.split(/\s+/)
		.filter((word) => word && word !== 'a' && word !== 'an' && word !== 'the')
		.join(' ');
}

/** 1 when the normalised answer equals the normalised reference, else 0. */
export function exactMatch(answer: string, reference: string): number {
	return normalizeAnswer(answer) === normalizeAnswer(reference) ? 1 : 0;
}

/** F1 of the normalised words of answer and reference (counted with multiplicity, as in SQuAD). */
export function tokenF1(answer: string, reference: string): number {
	const predicted = words(answer);
	const gold = words(reference);
	if (predicted.length === 0 || gold.length === 0) return predicted.length === gold.length ? 1 : 0;
	const counts = new Map<string, number>();
	for (const word of gold) counts.set(word, (counts.get(word) ?? 0) + 1);
	let common = 0;
	for (const word of predicted) {
		const left = counts.get(word) ?? 0;
		if (left > 0) {
			common += 1;
			counts.set(word, left - 1);
		}
	}
	if (common === 0) return 0;
	const precision = common / predicted.length;
	const recall = common / gold.length;
	return (2 * precision * recall) / (precision + recall);
}

/** 1 - Levenshtein distance / longer length, over the normalised texts (first 4000 characters). */
export function editSimilarity(answer: string, reference: string): number {
	const a = normalizeAnswer(answer).slice(0, 4000);
	const b = normalizeAnswer(reference).slice(0, 4000);
	const longer = Math.max(a.length, b.length);
	return longer === 0 ? 1 : 1 - levenshtein(a, b) / longer;
}

/** Edit distance (insertions, deletions, substitutions of UTF-16 units). */
export function levenshtein(a: string, b: string): number {
	let previous = Uint32Array.from({ length: b.length + 1 }, (_, index) => index);
	let current = new Uint32Array(b.length + 1);
	for (let i = 1; i <= a.length; i++) {
		current[0] = i;
		for (let j = 1; j <= b.length; j++) {
			const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
			current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
		}
		[previous, current] = [current, previous];
	}
	return previous[b.length];
}

function words(text: string): string[] {
	const normalized = normalizeAnswer(text);
	return normalized ? normalized.split(' ') : [];
}
