import { InvalidInputError } from '../errors';
import { METRIC_NAMES, type EvalCitation, type EvalExpected, type EvalHit, type EvalItemResult, type GoldSpan, type JudgeFailure, type MetricValues, type SkippedMetric } from './types';

type Json = Record<string, unknown>;

/**
 * The expected result of a dataset row or n8n item: an `expected` object, or flat fields
 * `goldPaths`, `goldSpans`, `goldChunkIds`, `referenceAnswer` (snake_case too). Lists may be arrays or
 * strings separated by `;`, `,` or new lines; a span is `{ path, startLine, endLine }`, `path:10-20`,
 * `path:7` or `path#L10-L20`.
 */
export function expectedFromJson(json: Json): EvalExpected {
	const nested = json.expected && typeof json.expected === 'object' ? (json.expected as Json) : {};
	const field = (...names: string[]) => names.map((name) => nested[name] ?? json[name]).find((value) => value !== undefined && value !== null && value !== '');
	const expected: EvalExpected = {};
	const paths = listOf(field('paths', 'goldPaths', 'gold_paths')).map(String);
	const spans = listOf(field('spans', 'goldSpans', 'gold_spans')).map(spanOf);
	const chunkIds = listOf(field('chunkIds', 'goldChunkIds', 'gold_chunk_ids')).map(String);
	const answer = field('answer', 'referenceAnswer', 'reference_answer', 'expectedAnswer', 'expected_answer');
	if (paths.length) expected.paths = paths;
	if (spans.length) expected.spans = spans;
	if (chunkIds.length) expected.chunkIds = chunkIds;
	if (typeof answer === 'string' && answer.trim()) expected.answer = answer;
	return expected;
}

/** A list from an array, a JSON array string, or a `;`/`,`/newline-separated string. */
export function listOf(value: unknown): unknown[] {
	if (value === undefined || value === null || value === '') return [];
	if (Array.isArray(value)) return value.filter((entry) => entry !== null && entry !== '');
	if (typeof value === 'string') {
		const text = value.trim();
		if (text.startsWith('[')) return listOf(JSON.parse(text));
		return text
			.split(/[;,\n]/)
			.map((part) => part.trim())
			.filter(Boolean);
	}
	return [value];
}

/** A gold span from `{ path, startLine, endLine }` or a `path:10-20` / `path#L10-L20` string. */
export function spanOf(value: unknown): GoldSpan {
	if (value && typeof value === 'object') {
		const json = value as Json;
		const startLine = Number(json.startLine);
		const endLine = json.endLine === undefined || json.endLine === null ? startLine : Number(json.endLine);
		return checkedSpan(String(json.path ?? ''), startLine, endLine, JSON.stringify(value));
	}
	const text = String(value).trim();
	const match = /^(.+?)(?::|#L)(\d+)(?:-L?(\d+))?$/.exec(text);
	if (!match) throw new InvalidInputError(`Gold span "${text}" has no line range`, 'Write spans as path:start-end, e.g. src/parse.ts:10-24');
	return checkedSpan(match[1], Number(match[2]), Number(match[3] ?? match[2]), text);
}

function checkedSpan(path: string, startLine: number, endLine: number, shown: string): GoldSpan {
	if (!path || !Number.isInteger(startLine) || !Number.isInteger(endLine) || startLine < 1 || endLine < startLine) {
		throw new InvalidInputError(`Gold span ${shown} needs a path and lines 1 <= start <= end`);
	}
	return { path, startLine, endLine };
}

/** Hits in rank order from RepoMind Retrieve's `hits` (or a JSON string of them). */
export function evalHitsFromJson(value: unknown, field = 'hits'): EvalHit[] {
	const list = typeof value === 'string' && value.trim() ? JSON.parse(value) : (value ?? []);
	if (!Array.isArray(list)) throw new InvalidInputError(`"${field}" is not a list of hits`, 'Pass RepoMind Retrieve\'s hits, e.g. {{ $(\'Retrieve\').item.json.hits }}');
	return list.map((entry, index) => {
		const json = (entry ?? {}) as Json;
		const path = json.path ?? (json.metadata as Json | undefined)?.path;
		if (typeof path !== 'string' || !path) throw new InvalidInputError(`${field}[${index}] has no path`);
		const startLine = Number(json.startLine ?? 1);
		const hit: EvalHit = { path, startLine, endLine: Number(json.endLine ?? startLine) };
		const id = json.chunkId ?? json.id;
		if (typeof id === 'string' && id) hit.chunkId = id;
		if (typeof json.score === 'number') hit.score = json.score;
		const text = json.text ?? json.content;
		if (typeof text === 'string') hit.text = text;
		return hit;
	});
}

/** Citations from RepoMind Generate's `citations` (or a JSON string of them). */
export function citationsFromJson(value: unknown, field = 'citations'): EvalCitation[] {
	const list = typeof value === 'string' && value.trim() ? JSON.parse(value) : (value ?? []);
	if (!Array.isArray(list)) throw new InvalidInputError(`"${field}" is not a list of citations`);
	return list.map((entry, index) => {
		const json = (entry ?? {}) as Json;
		if (typeof json.path !== 'string' || !json.path) throw new InvalidInputError(`${field}[${index}] has no path`);
		const line = (key: string) => (typeof json[key] === 'number' ? (json[key] as number) : null);
		return { chunkId: typeof json.chunkId === 'string' ? json.chunkId : null, path: json.path, startLine: line('startLine'), endLine: line('endLine') };
	});
}

/** An item result from RepoMind Evaluate's output JSON; an item that failed (Continue On Fail) becomes a result with its error. */
export function itemResultFromJson(json: Json, index: number): EvalItemResult {
	const question = typeof json.question === 'string' ? json.question : '';
	const id = typeof json.id === 'string' && json.id ? json.id : question || `item ${index + 1}`;
	const list = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);
	const metrics: MetricValues = {};
	const given = json.metrics && typeof json.metrics === 'object' ? (json.metrics as Json) : {};
	for (const name of METRIC_NAMES) if (typeof given[name] === 'number') metrics[name] = given[name] as number;
	const result: EvalItemResult = {
		id,
		question,
		k: Number(json.k) || 0,
		metrics,
		skipped: list<SkippedMetric>(json.skipped),
		verdicts: json.verdicts && typeof json.verdicts === 'object' ? (json.verdicts as EvalItemResult['verdicts']) : {},
		judgeFailures: list<JudgeFailure>(json.judgeFailures),
		latencyMs: typeof json.latencyMs === 'number' ? json.latencyMs : null,
		hasGold: json.hasGold === true,
	};
	if (json.error) result.error = String(json.error);
	else if (!json.metrics) result.error = 'The item is not a RepoMind Evaluate result (it has no metrics)';
	return result;
}
