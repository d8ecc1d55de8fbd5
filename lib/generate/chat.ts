import { isTransientHttpError, withRetry } from '../util/retry';
import { HuggingFaceChatModel, type HuggingFaceChatModelOptions } from './huggingface-chat';
import { OpenAIChatModel, type OpenAIChatModelOptions } from './openai-chat';

export { HuggingFaceChatModel, OpenAIChatModel };
export type { HuggingFaceChatModelOptions, OpenAIChatModelOptions };

export interface ChatMessage {
	role: 'system' | 'user' | 'assistant';
	content: string;
}

export interface CompletionOptions {
	temperature?: number;
	/** Upper bound of the answer's tokens. */
	maxTokens?: number;
	signal?: AbortSignal;
	/** Called with each piece of the answer as it arrives (a streamed request where the provider supports it). */
	onToken?: (text: string) => void;
}

export interface TokenUsage {
	promptTokens: number;
	completionTokens: number;
}

export interface Completion {
	text: string;
	usage: TokenUsage;
	/** The model that answered, as the server names it. */
	model: string;
}

/** What besides modelId decides a model's answers (the answer cache keys on it); never a key or token. */
export interface ChatModelIdentity {
	/** `host[:port]/path` the requests go to. */
	endpoint?: string;
	/** The class of a connected LangChain model, e.g. `ChatOpenAI`. */
	className?: string;
	/** Sampling settings a connected model keeps itself (temperature, top-p, max tokens). */
	sampling?: Record<string, number>;
}

/** Anything that completes a chat conversation. */
export interface ChatModel {
	/** Provider and model, e.g. `openai:gpt-4o-mini`. */
	readonly modelId: string;
	readonly identity?: ChatModelIdentity;
	/** One completion of `messages`. */
	complete(messages: ChatMessage[], options?: CompletionOptions): Promise<Completion>;
}

export interface RetryingOptions {
	/** Retries after the first attempt on 429, 5xx and connection errors. Default 3. */
	retries?: number;
	/** First backoff delay. Default 1000 ms. */
	baseDelayMs?: number;
	/** Longest wait, also for Retry-After. Default 30 s. */
	maxDelayMs?: number;
	onRetry?(error: unknown, attempt: number, delayMs: number): void;
}

/** Wraps a chat model with the project's retry (backoff, Retry-After); the last error names the attempts. */
export class RetryingChatModel implements ChatModel {
	readonly modelId: string;
	readonly identity?: ChatModelIdentity;

	constructor(
		readonly inner: ChatModel,
		private readonly options: RetryingOptions = {},
	) {
		this.modelId = inner.modelId;
		this.identity = inner.identity;
	}

	/** Complete with retries on transient failures. */
	async complete(messages: ChatMessage[], options: CompletionOptions = {}): Promise<Completion> {
		let attempts = 0;
		try {
			return await withRetry(
				(attempt) => {
					attempts = attempt + 1;
					return this.inner.complete(messages, options);
				},
				{
					retries: this.options.retries ?? 3,
					baseDelayMs: this.options.baseDelayMs ?? 1000,
					maxDelayMs: this.options.maxDelayMs ?? 30_000,
					isRetryable: isTransientHttpError,
					signal: options.signal,
					onRetry: this.options.onRetry,
				},
			);
		} catch (error) {
			if (attempts > 1 && error instanceof Error)
				error.message = `${error.message} (gave up after ${attempts} attempts)`;
			throw error;
		}
	}
}

/** Which chat model to use, plus retry settings. */
export type ChatModelConfig = (
	| ({ provider: 'openai' } & OpenAIChatModelOptions)
	| ({ provider: 'huggingface' } & HuggingFaceChatModelOptions)
) &
	RetryingOptions;

/** The provider's chat model wrapped in RetryingChatModel. */
export function createChatModel(config: ChatModelConfig): RetryingChatModel {
	const inner =
		config.provider === 'openai' ? new OpenAIChatModel(config) : new HuggingFaceChatModel(config);
	return new RetryingChatModel(inner, config);
}
