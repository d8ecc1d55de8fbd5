import { InvalidInputError } from '../errors';
import { citationMetrics, editSimilarity, exactMatch, tokenF1 } from './answer-metrics';
import { judge, type JudgedMetric, type JudgeOptions } from './judge';
import { fileLevelMetrics, goldFiles, lineLevelMetrics, type RankingMetrics } from './retrieval-metrics';
import type { EvalItemInput, EvalItemResult, MetricName, MetricValues, SkippedMetric } from './types';

export interface EvaluateItemOptions {
	/** Cut-off of the retrieval metrics. */
	k: number;
	/** The LLM judge; without it faithfulness and answer relevance are skipped. */
	judge?: JudgeOptions;
	/** Which judged metrics to ask for. Default both. */
	judged?: JudgedMetric[];
}

const RANKING_KEYS = ['HitRate', 'Recall', 'Precision', 'Mrr', 'Ndcg'] as const;
const RANKING_FIELDS: Record<(typeof RANKING_KEYS)[number], keyof RankingMetrics> = {
	HitRate: 'hitRate',
	Recall: 'recall',
	Precision: 'precision',
	Mrr: 'mrr',
	Ndcg: 'ndcg',
};

/** Every metric one item allows: those needing gold, a reference or a judge are skipped (with why) when it has none. */
export async function evaluateItem(input: EvalItemInput, options: EvaluateItemOptions): Promise<EvalItemResult> {
	const question = input.question?.trim() ?? '';
	if (!question) throw new InvalidInputError('The item has no question', 'Pass the dataset question, e.g. {{ $json.question }}');
	const metrics: MetricValues = {};
	const skipped: SkippedMetric[] = [];
	const skip = (names: MetricName[], reason: string) => names.forEach((metric) => skipped.push({ metric, reason }));
	const { expected, hits } = input;
	const ranking = (level: 'file' | 'line', values: RankingMetrics | null, reason: string) => {
		const names = RANKING_KEYS.map((key) => `${level}${key}` as MetricName);
		if (!values) return skip(names, reason);
		RANKING_KEYS.forEach((key, index) => (metrics[names[index]] = values[RANKING_FIELDS[key]]));
	};
	ranking('file', fileLevelMetrics(hits, expected, options.k), 'no gold file paths or spans');
	ranking('line', lineLevelMetrics(hits, expected, options.k), 'no gold line spans or chunk ids');

	const answer = typeof input.answer === 'string' && input.answer.trim() ? input.answer : undefined;
	const answerMetrics: MetricName[] = ['citationPrecision', 'citationRecall', 'exactMatch', 'tokenF1', 'editSimilarity', 'faithfulness', 'answerRelevance'];
	if (!answer) skip(answerMetrics, 'no answer');
	else {
		const cited = citationMetrics(input.citations ?? [], expected);
		if (cited) Object.assign(metrics, { citationPrecision: cited.precision, citationRecall: cited.recall });
		else skip(['citationPrecision', 'citationRecall'], 'no gold file paths, spans or chunk ids');
		if (expected.answer) Object.assign(metrics, { exactMatch: exactMatch(answer, expected.answer), tokenF1: tokenF1(answer, expected.answer), editSimilarity: editSimilarity(answer, expected.answer) });
		else skip(['exactMatch', 'tokenF1', 'editSimilarity'], 'no reference answer');
	}
	const result: EvalItemResult = {
		id: input.id?.trim() || question,
		question,
		k: options.k,
		metrics,
		skipped,
		verdicts: {},
		judgeFailures: [],
		latencyMs: typeof input.latencyMs === 'number' && Number.isFinite(input.latencyMs) ? input.latencyMs : null,
		hasGold: goldFiles(expected).length > 0 || (expected.chunkIds?.length ?? 0) > 0,
	};
	if (answer) await judgeAnswer(result, input, answer, options, skip);
	return result;
}

async function judgeAnswer(result: EvalItemResult, input: EvalItemInput, answer: string, options: EvaluateItemOptions, skip: (names: MetricName[], reason: string) => void): Promise<void> {
	const wanted = options.judged ?? ['faithfulness', 'answerRelevance'];
	const asked: JudgedMetric[] = [];
	for (const metric of ['faithfulness', 'answerRelevance'] as const) {
		if (!options.judge) skip([metric], 'no judge model');
		else if (!wanted.includes(metric)) skip([metric], 'not asked for');
		else if (metric === 'faithfulness' && input.hits.length === 0) skip([metric], 'nothing was retrieved');
		else if (metric === 'faithfulness' && !input.hits.some((hit) => hit.text?.trim())) skip([metric], 'the hits carry no text');
		else asked.push(metric);
	}
	const outcomes = await Promise.all(asked.map((metric) => judge(metric, result.question, answer, input.hits, options.judge!)));
	outcomes.forEach((outcome, index) => {
		const metric = asked[index];
		if ('failure' in outcome) {
			result.judgeFailures.push(outcome.failure);
			skip([metric], 'the judge gave no valid verdict');
			return;
		}
		result.verdicts[metric] = outcome.verdict;
		result.metrics[metric] = outcome.verdict.score;
	});
}
