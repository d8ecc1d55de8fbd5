import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import {
	answerQuestion,
	changesFromJson,
	citationFooter,
	explainFile,
	hitsFromJson,
	summarizeChanges,
	type AnswerResult,
	type GeneratedText,
} from '../../lib/generate';
import { answerPieces, answerWithCache, type CachedAnswer, type CacheUse } from '../../lib/cache';
import type { RetrievedHit } from '../../lib/generate/types';
import type { QueryLog } from '../../lib/store/query-log';
import { settingsFrom, type GenerateOptions } from './connections';

type Context = IExecuteFunctions;

function text(context: Context, name: string, itemIndex: number): string {
	const value = context.getNodeParameter(name, itemIndex, '');
	return value === undefined || value === null ? '' : String(value);
}

function hitsOf(context: Context, itemIndex: number, json: IDataObject): RetrievedHit[] {
	const field = text(context, 'hitsField', itemIndex).trim() || 'hits';
	return hitsFromJson(json[field], field);
}

function common(result: GeneratedText, options: GenerateOptions): IDataObject {
	const output: IDataObject = {
		citations: result.citations as unknown as IDataObject[],
		invalidCitations: result.invalidCitations as unknown as IDataObject[],
		usage: { ...result.usage },
		latencyMs: result.latencyMs,
		model: result.model,
		sourcesUsed: result.sources.length,
		sourcesOmitted: result.sourcesOmitted,
	};
	if (options.includeSources) output.sources = result.sources as unknown as IDataObject[];
	return output;
}

/** Answer the item's question from its hits; logs the question (and any failure) when a log is given, reuses answers when a cache is. */
export async function answerItem(
	context: Context,
	itemIndex: number,
	json: IDataObject,
	options: GenerateOptions,
	log?: () => Promise<QueryLog>,
	cache?: () => Promise<CacheUse>,
): Promise<IDataObject[]> {
	const started = performance.now();
	const question = text(context, 'question', itemIndex).trim();
	const hits = hitsOf(context, itemIndex, json);
	const repo = String(json.repo ?? hits[0]?.repo ?? '');
	const ref = String(json.ref ?? hits[0]?.ref ?? '');
	const conversationId = log ? text(context, 'conversationId', itemIndex).trim() || null : null;
	const entry = {
		conversationId,
		repoKey: repo,
		ref,
		question,
		filters: (json.filters as IDataObject) ?? null,
		retrieved: hits.map((hit) => ({ chunkId: hit.chunkId, score: hit.score ?? null })),
	};
	try {
		const settings = await settingsFrom(context, itemIndex, options);
		const emptyReason = typeof json.reason === 'string' ? json.reason : undefined;
		const outline = options.outline || undefined;
		const streaming = context.isStreaming();
		if (streaming) {
			context.sendChunk('begin', itemIndex);
			settings.onToken = (piece) => context.sendChunk('item', itemIndex, piece);
		}
		const input = { question, hits, emptyReason, outline };
		let result: AnswerResult;
		let cached: CachedAnswer['cache'] | undefined;
		if (cache) {
			const retrieval = { mode: json.mode, filters: json.filters };
			const embeddingModel = typeof json.embeddingModel === 'string' ? json.embeddingModel : undefined;
			({ result, cache: cached } = await answerWithCache({ ...input, repoKey: repo, ref, embeddingModel, retrieval }, settings, await cache()));
		} else result = await answerQuestion(input, settings);
		if (streaming) {
			if (cached?.hit) for (const piece of answerPieces(result.answer)) context.sendChunk('item', itemIndex, piece);
			const footer = cached?.hit ? citationFooter({ citations: result.citations, invalidCitations: [] }) : citationFooter(result);
			const rest = (result.noRelevantContext ? result.answer : '') + footer;
			if (rest) context.sendChunk('item', itemIndex, rest);
			context.sendChunk('end', itemIndex);
		}
		const latencyMs = Math.round(performance.now() - started);
		const output: IDataObject = {
			answer: result.answer,
			...common(result, options),
			latencyMs,
			question: result.question,
			noRelevantContext: result.noRelevantContext,
			streamed: streaming,
			repo,
			ref,
			conversationId,
		};
		if (json.commit) output.commit = json.commit;
		if (cached) output.cache = cached as unknown as IDataObject;
		if (log) {
			await (
				await log()
			).record({
				...entry,
				answer: result.answer,
				citations: result.citations,
				model: result.model || null,
				promptTokens: result.usage.promptTokens,
				completionTokens: result.usage.completionTokens,
				latencyMs,
			});
		}
		return [output];
	} catch (error) {
		if (log && question) {
			const message = error instanceof Error ? error.message : String(error);
			await (
				await log()
			)
				.record({ ...entry, error: message, latencyMs: Math.round(performance.now() - started) })
				.catch(() => undefined);
		}
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- mapItems turns it into a NodeOperationError
		throw error;
	}
}

/** Summarise the item's changed files, grouped by area. */
export async function summarizeItem(
	context: Context,
	itemIndex: number,
	json: IDataObject,
	options: GenerateOptions,
): Promise<IDataObject[]> {
	const field = text(context, 'changesField', itemIndex).trim() || 'changes';
	const changes = changesFromJson(json[field]);
	const result = await summarizeChanges(
		changes,
		await settingsFrom(context, itemIndex, options),
		text(context, 'title', itemIndex),
	);
	return [
		{
			summary: result.summary,
			areas: result.areas as unknown as IDataObject[],
			...common(result, options),
		},
	];
}

/** Explain the item's file, with its hits as related code. */
export async function explainItem(
	context: Context,
	itemIndex: number,
	json: IDataObject,
	options: GenerateOptions,
): Promise<IDataObject[]> {
	const path = text(context, 'filePath', itemIndex).trim();
	const content = text(context, 'fileContent', itemIndex);
	const result = await explainFile(
		{
			path,
			content,
			hits: hitsOf(context, itemIndex, json),
			focus: text(context, 'focus', itemIndex),
			outline: options.outline || undefined,
		},
		await settingsFrom(context, itemIndex, options),
	);
	return [{ answer: result.answer, path, ...common(result, options) }];
}
