import { answerQuestion, hitsFromJson, type GenerateSettings } from '../generate';
import { retrieve } from '../retrieve';
import type { RetrieveDependencies, RetrieveRequest } from '../retrieve';
import type { EvalDatasetItem } from './dataset';
import type { EvalStore } from './eval-store';
import { evaluateItem } from './evaluate-item';
import { finishRun, type FinishedRun } from './finish-run';
import type { JudgeOptions } from './judge';
import type { EvalItemResult } from './types';

/** The services an evaluation run uses. */
export interface EvaluationServices {
	retrieval: RetrieveDependencies;
	/** Without generation (retrieval only), no chat model is called and answer metrics are skipped. */
	generation?: GenerateSettings;
	/** Without a judge, faithfulness and answer relevance are skipped. */
	judge?: JudgeOptions;
	store?: EvalStore;
}

export interface EvaluationRequest {
	dataset: EvalDatasetItem[];
	repoKey: string;
	ref: string;
	/** Retrieval settings besides question, repository and ref (mode, topK, filters, …). */
	retrieval?: Omit<RetrieveRequest, 'question' | 'repoKey' | 'ref'>;
	/** Cut-off of the retrieval metrics. Default: the retrieval topK (10). */
	k?: number;
	name?: string;
	compareWith?: number | null;
	/** Called after each item (progress). */
	onItem?(result: EvalItemResult, index: number): void;
}

/** Retrieve, answer and evaluate every dataset question, then aggregate, compare and store the run (the CLI's path). */
export async function runEvaluation(services: EvaluationServices, request: EvaluationRequest): Promise<FinishedRun> {
	const k = request.k ?? request.retrieval?.topK ?? 10;
	const results: EvalItemResult[] = [];
	for (const [index, item] of request.dataset.entries()) {
		const result = await evaluateDatasetItem(services, request, item, k);
		results.push(result);
		request.onItem?.(result, index);
	}
	return finishRun(results, {
		store: services.store,
		name: request.name,
		repoKey: request.repoKey,
		ref: request.ref,
		compareWith: request.compareWith,
		settings: {
			k,
			mode: request.retrieval?.mode ?? 'hybrid',
			topK: request.retrieval?.topK ?? 10,
			embeddingModel: services.retrieval.embedder.modelId,
			chatModel: services.generation?.model.modelId ?? null,
			judgeModel: services.judge?.model.modelId ?? null,
			items: request.dataset.length,
		},
	});
}

async function evaluateDatasetItem(services: EvaluationServices, request: EvaluationRequest, item: EvalDatasetItem, k: number): Promise<EvalItemResult> {
	const started = performance.now();
	try {
		const retrieved = await retrieve(services.retrieval, { ...request.retrieval, question: item.question, repoKey: request.repoKey, ref: request.ref });
		const answered = services.generation
			? await answerQuestion({ question: item.question, hits: hitsFromJson(retrieved.hits), emptyReason: retrieved.reason }, services.generation)
			: undefined;
		const result = await evaluateItem(
			{ id: item.id, question: item.question, expected: item.expected, hits: retrieved.hits, answer: answered?.answer, citations: answered?.citations, latencyMs: Math.round(performance.now() - started) },
			{ k, judge: services.judge },
		);
		return { ...result, retrievedPaths: [...new Set(retrieved.hits.map((hit) => hit.path))] };
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		return { id: item.id, question: item.question, k, metrics: {}, skipped: [], verdicts: {}, judgeFailures: [], latencyMs: null, hasGold: false, error: message };
	}
}
