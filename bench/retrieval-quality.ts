import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { retrieve, type RetrieveDependencies, type RetrieveMode, type RetrieveRequest } from '../lib/retrieve';

/** One labelled question: plain words or an identifier, and the files that answer it. */
export interface LabelledQuestion {
	style: 'natural' | 'identifier';
	question: string;
	gold: string[];
}

/** What is measured per question: the three modes, and hybrid with reciprocal rank fusion and with import expansion (an option, off by default) for comparison. */
export type Variant = RetrieveMode | 'hybrid_rrf' | 'hybrid_import_expansion';
export type ModeFigures = Record<string, number>;

export interface QualityReport {
	questions: number;
	recallAt10: ModeFigures;
	mrr: ModeFigures;
	/** The same figures per question style. */
	byStyle: Record<string, { questions: number; recallAt10: ModeFigures; mrr: ModeFigures }>;
}

export const MODES: Variant[] = ['vector', 'lexical', 'hybrid', 'hybrid_rrf', 'hybrid_import_expansion'];
export const REQUESTS: Record<Variant, Partial<RetrieveRequest>> = {
	vector: { mode: 'vector' },
	lexical: { mode: 'lexical' },
	hybrid: { mode: 'hybrid' },
	hybrid_rrf: { mode: 'hybrid', fusion: 'rrf' },
	hybrid_import_expansion: { mode: 'hybrid', codeSignals: { importExpansion: 0.2 } },
};

/** The labelled questions of bench/questions/<name>.json. */
export function loadQuestions(name: string): LabelledQuestion[] {
	return (JSON.parse(readFileSync(join(__dirname, 'questions', `${name}.json`), 'utf8')) as { questions: LabelledQuestion[] }).questions;
}

/** Distinct files of the hits, in rank order. */
function rankedFiles(paths: string[]): string[] {
	return [...new Set(paths)];
}

/**
 * File-level recall@10 (share of a question's gold files among the files of its top 10 chunks) and
 * MRR (1 / rank of the first gold file among those files, 0 when none), averaged per mode.
 */
export async function evaluate(deps: RetrieveDependencies, repoKey: string, ref: string, questions: LabelledQuestion[], requests: Record<string, Partial<RetrieveRequest>> = REQUESTS): Promise<QualityReport> {
	const modes = Object.keys(requests);
	const rows: Array<{ style: string; mode: string; recall: number; reciprocal: number }> = [];
	for (const item of questions) {
		for (const mode of modes) {
			const result = await retrieve(deps, { question: item.question, repoKey, ref, topK: 10, ...requests[mode] });
			const files = rankedFiles(result.hits.map((hit) => hit.path));
			const found = item.gold.filter((path) => files.includes(path)).length;
			const first = files.findIndex((path) => item.gold.includes(path));
			rows.push({ style: item.style, mode, recall: found / item.gold.length, reciprocal: first < 0 ? 0 : 1 / (first + 1) });
		}
	}
	const average = (selected: typeof rows, key: 'recall' | 'reciprocal') =>
		Object.fromEntries(modes.map((mode) => {
			const values = selected.filter((row) => row.mode === mode).map((row) => row[key]);
			return [mode, round(values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length))];
		})) as ModeFigures;
	const byStyle: QualityReport['byStyle'] = {};
	for (const style of [...new Set(questions.map((item) => item.style))]) {
		const selected = rows.filter((row) => row.style === style);
		byStyle[style] = { questions: selected.length / modes.length, recallAt10: average(selected, 'recall'), mrr: average(selected, 'reciprocal') };
	}
	return { questions: questions.length, recallAt10: average(rows, 'recall'), mrr: average(rows, 'reciprocal'), byStyle };
}

/** Rounds to 3 decimals. */
export function round(value: number): number {
	return Math.round(value * 1000) / 1000;
}
