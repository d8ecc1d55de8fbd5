import { InvalidInputError } from '../errors';
import type { EvalExpected, EvalHit, GoldSpan } from './types';

/** Retrieval metrics of one ranking at k, each from 0 to 1. */
export interface RankingMetrics {
	hitRate: number;
	recall: number;
	precision: number;
	mrr: number;
	ndcg: number;
}

/**
 * Metrics of a ranking cut at k, from which gold targets each ranked entry matches (`matches[i]` are
 * target indices). Precision is over the entries returned (at most k); nDCG gains 1 only for an entry
 * that matches a target no earlier entry matched, so repeats of one target never lift it above 1.
 */
export function rankingMetrics(matches: number[][], targetCount: number, k: number): RankingMetrics {
	checkK(k);
	const ranked = matches.slice(0, k);
	const covered = new Set<number>();
	let relevant = 0;
	let firstRank = 0;
	let dcg = 0;
	ranked.forEach((targets, index) => {
		if (targets.length === 0) return;
		relevant += 1;
		if (firstRank === 0) firstRank = index + 1;
		if (targets.some((target) => !covered.has(target))) dcg += 1 / Math.log2(index + 2);
		for (const target of targets) covered.add(target);
	});
	let idcg = 0;
	for (let index = 0; index < Math.min(targetCount, k); index++) idcg += 1 / Math.log2(index + 2);
	return {
		hitRate: relevant > 0 ? 1 : 0,
		recall: targetCount > 0 ? covered.size / targetCount : 0,
		precision: ranked.length > 0 ? relevant / ranked.length : 0,
		mrr: firstRank > 0 ? 1 / firstRank : 0,
		ndcg: idcg > 0 ? dcg / idcg : 0,
	};
}

/** The gold files of an item: its paths and the files of its spans, each once. */
export function goldFiles(expected: EvalExpected): string[] {
	const paths = [...(expected.paths ?? []), ...(expected.spans ?? []).map((span) => span.path)];
	return [...new Set(paths.map(normalizePath).filter(Boolean))];
}

/** File-level metrics: the distinct files of the top k hits, in order of first appearance; null without gold files. */
export function fileLevelMetrics(hits: EvalHit[], expected: EvalExpected, k: number): RankingMetrics | null {
	checkK(k);
	const gold = goldFiles(expected);
	if (gold.length === 0) return null;
	const files = [...new Set(hits.slice(0, k).map((hit) => normalizePath(hit.path)))];
	const matches = files.map((path) => (gold.includes(path) ? [gold.indexOf(path)] : []));
	return rankingMetrics(matches, gold.length, k);
}

/**
 * Line-level metrics: a hit matches a gold span when it overlaps it in the same file, and a gold chunk
 * id when the ids are equal. A hit repeated in the top k counts once. Null without spans or chunk ids.
 */
export function lineLevelMetrics(hits: EvalHit[], expected: EvalExpected, k: number): RankingMetrics | null {
	checkK(k);
	const spans = expected.spans ?? [];
	const chunkIds = [...new Set(expected.chunkIds ?? [])];
	if (spans.length === 0 && chunkIds.length === 0) return null;
	const seen = new Set<string>();
	const distinct = hits.slice(0, k).filter((hit) => {
		const key = hit.chunkId || `${normalizePath(hit.path)}:${hit.startLine}-${hit.endLine}`;
		return !seen.has(key) && seen.add(key);
	});
	const matches = distinct.map((hit) => [
		...spans.flatMap((span, index) => (overlaps(hit, span) ? [index] : [])),
		...chunkIds.flatMap((id, index) => (hit.chunkId === id ? [spans.length + index] : [])),
	]);
	return rankingMetrics(matches, spans.length + chunkIds.length, k);
}

/** Whether a line range overlaps a gold span of the same file. */
export function overlaps(range: { path: string; startLine: number | null; endLine: number | null }, span: GoldSpan): boolean {
	if (normalizePath(range.path) !== normalizePath(span.path)) return false;
	if (range.startLine === null || range.endLine === null) return false;
	return range.startLine <= span.endLine && span.startLine <= range.endLine;
}

/** `./src/a.ts` and `/src/a.ts` as `src/a.ts`. */
export function normalizePath(path: string): string {
	return path.trim().replace(/^(\.\/|\/)+/, '');
}

function checkK(k: number): void {
	if (!Number.isInteger(k) || k < 1) throw new InvalidInputError(`k must be a positive integer: ${k}`);
}
