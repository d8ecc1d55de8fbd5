import { InvalidInputError, ServiceError } from '../errors';
import type { ChatModel, TokenUsage } from './chat';
import { checkCitations } from './citations';
import { sourceOfHit } from './hits';
import { buildPrompt, type PromptTask } from './prompt';
import type { Citation, InvalidCitation, NumberedSource, RetrievedHit, SourceBlock } from './types';

export interface GenerateSettings {
	model: ChatModel;
	/** The model's context window in tokens. */
	contextWindow: number;
	/** Upper bound of the answer's tokens. */
	maxTokens: number;
	temperature?: number;
	/** Fence tokens for the prompt (tests); default random. */
	fenceToken?: () => string;
	signal?: AbortSignal;
	/** Receives the answer piece by piece while the model writes it (streamed where the provider supports it). */
	onToken?: (text: string) => void;
}

export interface GeneratedText {
	answer: string;
	citations: Citation[];
	invalidCitations: InvalidCitation[];
	usage: TokenUsage;
	latencyMs: number;
	/** The model that answered (empty when no model was asked). */
	model: string;
	/** Sources that went into the prompt, numbered as cited. */
	sources: NumberedSource[];
	/** Sources left out because they did not fit the context window. */
	sourcesOmitted: number;
}

export interface AnswerResult extends GeneratedText {
	question: string;
	/** True when nothing was retrieved: the answer says so and no model was asked. */
	noRelevantContext: boolean;
}

/** What the answer says when retrieval found nothing: flagged, never invented. */
export const NO_RELEVANT_CONTEXT_ANSWER =
	'The index has nothing relevant to this question: no part of the repository matched it, so there is no answer from the code. Try other words, or check the repository, ref and filters.';

/** Ask the model `request` over `sources` (and a repository map outline) and check the citations of its answer. */
export async function generate(
	task: PromptTask,
	request: string,
	sources: SourceBlock[],
	settings: GenerateSettings,
	outline?: string,
): Promise<GeneratedText> {
	const started = performance.now();
	const prompt = buildPrompt({
		task,
		request,
		sources,
		contextWindow: settings.contextWindow,
		maxAnswerTokens: settings.maxTokens,
		fenceToken: settings.fenceToken,
		outline,
	});
	const completion = await settings.model.complete(prompt.messages, {
		temperature: settings.temperature,
		maxTokens: settings.maxTokens,
		signal: settings.signal,
		onToken: settings.onToken,
	});
	if (!completion.text.trim())
		throw new ServiceError(
			`${settings.model.modelId} returned an empty answer`,
			'Raise Max Tokens, or try again',
		);
	const checked = checkCitations(completion.text.trim(), prompt.sources);
	return {
		...checked,
		usage: completion.usage,
		latencyMs: Math.round(performance.now() - started),
		model: completion.model,
		sources: prompt.sources,
		sourcesOmitted: prompt.omitted,
	};
}

export interface AnswerInput {
	question: string;
	hits: RetrievedHit[];
	/** Why retrieval found nothing, when it says (RepoMind Retrieve's `reason`). */
	emptyReason?: string;
	/** A repository map outline (RepoMind Repo Fetch, Repository Map) for architecture questions. */
	outline?: string;
}

/** Answer a question from retrieved hits, citing them; with no hits, a flagged answer without a model call. */
export async function answerQuestion(
	input: AnswerInput,
	settings: GenerateSettings,
): Promise<AnswerResult> {
	const question = input.question.trim();
	if (!question)
		throw new InvalidInputError(
			'The question is empty',
			'Pass the question in the Question parameter (from the chat input or the Retrieve item)',
		);
	if (input.hits.length === 0) {
		const answer = input.emptyReason
			? `${NO_RELEVANT_CONTEXT_ANSWER} (${input.emptyReason})`
			: NO_RELEVANT_CONTEXT_ANSWER;
		const usage = { promptTokens: 0, completionTokens: 0 };
		return {
			answer,
			citations: [],
			invalidCitations: [],
			usage,
			latencyMs: 0,
			model: '',
			sources: [],
			sourcesOmitted: 0,
			question,
			noRelevantContext: true,
		};
	}
	const result = await generate('answer', question, input.hits.map(sourceOfHit), settings, input.outline);
	return { ...result, question, noRelevantContext: false };
}

export interface ExplainFileInput {
	path: string;
	content: string;
	/** Line number of the content's first line. Default 1. */
	startLine?: number;
	/** Related chunks from elsewhere in the repository (hits of the same file are skipped). */
	hits?: RetrievedHit[];
	/** What to focus on, e.g. a question about the file. */
	focus?: string;
	/** A repository map outline, to place the file in the repository. */
	outline?: string;
}

/** Explain a file (its first lines when it is longer than the context window), with optional related hits. */
export async function explainFile(
	input: ExplainFileInput,
	settings: GenerateSettings,
): Promise<GeneratedText> {
	if (!input.path.trim()) throw new InvalidInputError('The file path is empty');
	if (!input.content.trim())
		throw new InvalidInputError(
			`The file ${input.path} has no content to explain`,
			'Pass the file text, e.g. from RepoMind Repo Fetch with content',
		);
	const startLine = input.startLine ?? 1;
	const endLine = startLine + input.content.split('\n').length - 1;
	const file: SourceBlock = {
		path: input.path,
		startLine,
		endLine,
		note: 'the file to explain',
		text: input.content,
		truncatable: true,
	};
	const related = (input.hits ?? []).filter((hit) => hit.path !== input.path).map(sourceOfHit);
	const request = `Explain the file ${input.path} (source [1])${input.focus?.trim() ? `, focusing on: ${input.focus.trim()}` : '.'}`;
	return generate('explainFile', request, [file, ...related], settings, input.outline);
}
