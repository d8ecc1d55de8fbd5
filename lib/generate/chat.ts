import { InferenceClient } from '@huggingface/inference';
import { AIMessage, HumanMessage, SystemMessage, type BaseMessage } from '@langchain/core/messages';
import { ChatOpenAI } from '@langchain/openai';
import { InvalidInputError, ServiceError } from '../errors';
import { isTransientHttpError, withRetry } from '../util/retry';
import { chatError } from './errors';

export interface ChatMessage {
	role: 'system' | 'user' | 'assistant';
	content: string;
}

export interface CompletionOptions {
	temperature?: number;
	/** Upper bound of the answer's tokens. */
	maxTokens?: number;
	signal?: AbortSignal;
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

/** Anything that completes a chat conversation. */
export interface ChatModel {
	/** Provider and model, e.g. `openai:gpt-4o-mini`. */
	readonly modelId: string;
	/** One completion of `messages`. */
	complete(messages: ChatMessage[], options?: CompletionOptions): Promise<Completion>;
}

export interface OpenAIChatModelOptions {
	model: string;
	apiKey?: string;
	/** Base URL of an OpenAI-compatible API (OpenAI, vLLM, Ollama, the HF router). Default: OpenAI. */
	baseURL?: string;
	/** Request timeout in ms. Default 120000. */
	timeoutMs?: number;
}

/** Chat completions from an OpenAI-compatible API through LangChain, without LangChain's retries. */
export class OpenAIChatModel implements ChatModel {
	readonly modelId: string;

	constructor(private readonly options: OpenAIChatModelOptions) {
		this.modelId = `openai:${options.model}`;
	}

	/** One request; failures become RepoMind errors without the API key. */
	async complete(messages: ChatMessage[], options: CompletionOptions = {}): Promise<Completion> {
		const apiKey = this.options.apiKey || 'none';
		const client = new ChatOpenAI({
			model: this.options.model,
			apiKey,
			temperature: options.temperature,
			maxTokens: options.maxTokens,
			maxRetries: 0,
			timeout: this.options.timeoutMs ?? 120_000,
			configuration: { baseURL: this.options.baseURL, maxRetries: 0 },
		});
		try {
			const reply = await client.invoke(messages.map(toLangChain), { signal: options.signal });
			const usage = reply.usage_metadata;
			return {
				text: textOf(reply.content),
				usage: { promptTokens: usage?.input_tokens ?? 0, completionTokens: usage?.output_tokens ?? 0 },
				model: String(reply.response_metadata?.model_name ?? this.options.model),
			};
		} catch (error) {
			const target = this.options.baseURL ?? 'https://api.openai.com/v1';
			throw chatError(error, { modelId: this.modelId, target, secrets: [this.options.apiKey] });
		}
	}
}

export interface HuggingFaceChatModelOptions {
	/** Model name; with `endpointUrl` it is sent as is (TGI and vLLM accept or ignore it). */
	model: string;
	/** Base URL of a TGI / vLLM / Inference Endpoint server; requests go to `<base>/v1/chat/completions`. */
	endpointUrl?: string;
	token?: string;
	/** Inference provider for `model` without an endpoint. Default: the library's choice (`auto`). */
	provider?: string;
}

/** Chat completions through @huggingface/inference: an endpoint, or a model on the HF router. */
export class HuggingFaceChatModel implements ChatModel {
	readonly modelId: string;
	private readonly client: InferenceClient;

	constructor(private readonly options: HuggingFaceChatModelOptions) {
		if (!options.model) throw new InvalidInputError('Name the Hugging Face chat model');
		this.client = new InferenceClient(options.token);
		this.modelId = `hf:${options.model}`;
	}

	/** One request; failures become RepoMind errors without the token. */
	async complete(messages: ChatMessage[], options: CompletionOptions = {}): Promise<Completion> {
		let failedHeaders: Headers | undefined;
		const recordingFetch: typeof fetch = async (input, init) => {
			const response = await fetch(input, { ...init, signal: options.signal });
			if (!response.ok) failedHeaders = response.headers;
			return response;
		};
		const endpoint = this.options.endpointUrl?.replace(/\/+$/, '').replace(/\/v1$/, '');
		const target = endpoint ? { endpointUrl: `${endpoint}/v1` } : this.options.provider ? { provider: this.options.provider as 'auto' } : {};
		try {
			const reply = await this.client.chatCompletion(
				{ ...target, model: this.options.model, messages: messages.map(({ role, content }) => ({ role, content })), temperature: options.temperature, max_tokens: options.maxTokens },
				{ retry_on_error: false, fetch: recordingFetch },
			);
			const choice = reply.choices?.[0];
			if (!choice) throw new ServiceError(`Chat completion with ${this.modelId} failed: the answer has no choices`);
			return {
				text: textOf(choice.message?.content ?? ''),
				usage: { promptTokens: reply.usage?.prompt_tokens ?? 0, completionTokens: reply.usage?.completion_tokens ?? 0 },
				model: reply.model || this.options.model,
			};
		} catch (error) {
			const response = (error as { httpResponse?: Record<string, unknown> } | null)?.httpResponse;
			if (failedHeaders && response && typeof response === 'object' && !response.headers) {
				response.headers = Object.fromEntries(failedHeaders.entries());
			}
			const where = endpoint ?? 'the Hugging Face router';
			throw chatError(error, { modelId: this.modelId, target: where, secrets: [this.options.token] });
		}
	}
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

	constructor(
		readonly inner: ChatModel,
		private readonly options: RetryingOptions = {},
	) {
		this.modelId = inner.modelId;
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
			if (attempts > 1 && error instanceof Error) error.message = `${error.message} (gave up after ${attempts} attempts)`;
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
	const inner = config.provider === 'openai' ? new OpenAIChatModel(config) : new HuggingFaceChatModel(config);
	return new RetryingChatModel(inner, config);
}

function toLangChain(message: ChatMessage): BaseMessage {
	if (message.role === 'system') return new SystemMessage(message.content);
	if (message.role === 'assistant') return new AIMessage(message.content);
	return new HumanMessage(message.content);
}

function textOf(content: unknown): string {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) {
		return content.map((part) => (typeof part === 'string' ? part : typeof part?.text === 'string' ? part.text : '')).join('');
	}
	return '';
}
