import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import {
	citationsFromJson,
	EvalStore,
	evalHitsFromJson,
	evaluateItem,
	expectedFromJson,
	finishRun,
	formatRunReport,
	itemResultFromJson,
	type JudgedMetric,
	type JudgeOptions,
} from '../../lib/evaluate';
import { migratedPoolFrom } from '../shared/connections';
import { chatModelFrom } from '../Generate/connections';
import { repositoryFrom } from '../shared/repository-locator';

type Context = IExecuteFunctions;

interface JudgeNodeOptions {
	verdictRetries?: number;
	retries?: number;
	timeoutSeconds?: number;
}

/** The metrics of one input item. */
export async function evaluateItemOf(context: Context, itemIndex: number): Promise<IDataObject> {
	const value = (name: string) => context.getNodeParameter(name, itemIndex, '') as unknown;
	const text = (name: string) => (value(name) === undefined || value(name) === null ? '' : String(value(name)));
	const latency = Number(value('latencyMs'));
	const result = await evaluateItem(
		{
			id: text('itemId'),
			question: text('question'),
			expected: expectedFromJson({ goldPaths: value('goldPaths'), goldSpans: value('goldSpans'), goldChunkIds: value('goldChunkIds'), referenceAnswer: value('referenceAnswer') }),
			hits: evalHitsFromJson(value('hits') || [], 'Retrieved Hits'),
			answer: text('answer'),
			citations: citationsFromJson(value('citations') || [], 'Citations'),
			latencyMs: value('latencyMs') !== '' && Number.isFinite(latency) ? latency : undefined,
		},
		{ k: context.getNodeParameter('k', itemIndex, 10) as number, ...(await judgeOf(context, itemIndex)) },
	);
	return result as unknown as IDataObject;
}

async function judgeOf(context: Context, itemIndex: number): Promise<{ judge?: JudgeOptions; judged?: JudgedMetric[] }> {
	if (!(context.getNodeParameter('useJudge', itemIndex, true) as boolean)) return {};
	const options = context.getNodeParameter('options', itemIndex, {}) as JudgeNodeOptions;
	const judged = context.getNodeParameter('judgedMetrics', itemIndex, []) as JudgedMetric[];
	if (judged.length === 0) return {};
	const model = await chatModelFrom(context, itemIndex, { retries: options.retries, timeoutSeconds: options.timeoutSeconds });
	return { judge: { model, retries: options.verdictRetries ?? 2 }, judged };
}

/** All input items into one run summary: stored (and compared) when asked. */
export async function aggregateItems(context: Context, items: INodeExecutionData[]): Promise<IDataObject> {
	const results = items.map((item, index) => itemResultFromJson(item.json, index));
	const storeRun = context.getNodeParameter('storeRun', 0, true) as boolean;
	const compareWith = storeRun ? (context.getNodeParameter('compareWithRunId', 0, 0) as number) : 0;
	const text = (name: string) => String(context.getNodeParameter(name, 0, '') ?? '').trim() || null;
	const repository = repositoryFrom(context, 0);
	const pool = storeRun ? await migratedPoolFrom(context, 2) : undefined;
	try {
		const run = await finishRun(results, {
			store: pool ? new EvalStore(pool) : undefined,
			name: text('runName'),
			repoKey: repository.repoKey || null,
			ref: repository.ref || null,
			compareWith: compareWith || null,
			settings: { source: 'n8n', workflow: context.getWorkflow?.().name ?? null },
		});
		const output: IDataObject = {
			runId: run.runId,
			report: formatRunReport(run),
			summary: run.summary as unknown as IDataObject,
			comparison: run.comparison as unknown as IDataObject,
		};
		if (context.getNodeParameter('includeResults', 0, false) as boolean) output.results = run.results as unknown as IDataObject[];
		return output;
	} finally {
		await pool?.end();
	}
}


