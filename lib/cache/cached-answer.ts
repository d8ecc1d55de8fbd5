import { answerQuestion, systemPrompt, type AnswerInput, type AnswerResult, type GenerateSettings, type RetrievedHit, type TokenUsage } from '../generate';
import { sha256Hex } from '../util/hash';
import type { CacheStatus } from './answer-cache';
import { withCache, type CacheUse } from './cached';
import type { CacheScope, ModelIdentity } from './key';

/** A question to answer with the cache: the answer's input plus where its hits came from. */
export interface CachedAnswerInput extends AnswerInput {
	repoKey: string;
	ref: string;
	/** The embedding model of the index the hits came from (RepoMind Retrieve's `embeddingModel`): its commit is the one keyed. */
	embeddingModel?: string;
	/** How the hits were retrieved, as far as the caller knows (mode, filters). */
	retrieval?: Record<string, unknown>;
}

/** The answer and the cache's report; on a hit `usage` is zero and `savedUsage` is what the stored answer cost. */
export interface CachedAnswer {
	result: AnswerResult;
	cache: CacheStatus & { savedUsage?: TokenUsage };
}

/** Changes whenever the answer instructions change, so answers made under other instructions are never served. */
export const ANSWER_PROMPT_VERSION = sha256Hex(systemPrompt('answer', 'FENCE'), systemPrompt('answer', 'FENCE', true)).slice(0, 16);

/**
 * answerQuestion with the answer cache. The key holds the normalised question, repository, ref, the
 * ref's indexed commit (looked up now), the chat model's identity, the hits (chunk ids, lines and a
 * hash of their text, in order: what retrieval settings produced), the generation settings and the
 * prompt version. With no hits there is no model call to save and nothing is cached.
 */
export async function answerWithCache(input: CachedAnswerInput, settings: GenerateSettings, use: CacheUse): Promise<CachedAnswer> {
	if (input.hits.length === 0) return { result: await answerQuestion(input, settings), cache: { hit: false, stored: false, reason: 'not cached: nothing was retrieved' } };
	const started = performance.now();
	const scope: CacheScope = {
		kind: 'answer',
		question: input.question,
		repoKey: input.repoKey,
		ref: input.ref,
		model: chatModelIdentity(settings),
		settings: {
			prompt: ANSWER_PROMPT_VERSION,
			sources: input.hits.map(hitFingerprint),
			retrieval: { embeddingModel: input.embeddingModel, ...input.retrieval },
			generation: { contextWindow: settings.contextWindow, maxTokens: settings.maxTokens, temperature: settings.temperature },
			outline: input.outline ? sha256Hex(input.outline) : undefined,
			emptyReason: input.emptyReason,
		},
	};
	const { value, cache } = await withCache(use, scope, input.embeddingModel, () => answerQuestion(input, settings));
	if (!cache.hit) return { result: value, cache };
	const latencyMs = Math.round(performance.now() - started);
	return { result: { ...value, usage: { promptTokens: 0, completionTokens: 0 }, latencyMs }, cache: { ...cache, savedUsage: value.usage } };
}

/** The chat model as keyed: its id, endpoint, class and sampling settings. */
export function chatModelIdentity(settings: Pick<GenerateSettings, 'model'>): ModelIdentity {
	const identity = settings.model.identity ?? {};
	return { label: `${settings.model.modelId}${identity.endpoint ? `@${identity.endpoint}` : ''}`, details: { ...identity } };
}

function hitFingerprint(hit: RetrievedHit): unknown[] {
	return [hit.chunkId, hit.path, hit.startLine, hit.endLine, hit.symbol ?? null, sha256Hex(hit.text)];
}

/** The answer in pieces of a few words, to stream a cached answer the way a model would. */
export function answerPieces(text: string, wordsPerPiece = 4): string[] {
	const words = text.match(/\S+\s*|\s+/g) ?? [];
	const pieces: string[] = [];
	for (let i = 0; i < words.length; i += wordsPerPiece) pieces.push(words.slice(i, i + wordsPerPiece).join(''));
	return pieces;
}
