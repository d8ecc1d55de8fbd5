import { ChatOpenAI } from '@langchain/openai';
import type { ChatMessage, ChatModel, Completion, CompletionOptions } from './chat';
import { LangChainChatModel, type LangChainChatLike } from './langchain-chat';

export { textOf } from './langchain-chat';

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
	complete(messages: ChatMessage[], options: CompletionOptions = {}): Promise<Completion> {
		return this.client(options).complete(messages, options);
	}

	/** One streamed request: `onText` gets each piece of the answer as it arrives. */
	completeStreaming(messages: ChatMessage[], onText: (text: string) => void | Promise<void>, options: CompletionOptions = {}): Promise<Completion> {
		return this.client(options).completeStreaming(messages, onText, options);
	}

	private client(options: CompletionOptions): LangChainChatModel {
		const client = new ChatOpenAI({
			model: this.options.model,
			apiKey: this.options.apiKey || 'none',
			temperature: options.temperature,
			maxTokens: options.maxTokens,
			maxRetries: 0,
			timeout: this.options.timeoutMs ?? 120_000,
			streamUsage: true,
			configuration: { baseURL: this.options.baseURL, maxRetries: 0 },
		});
		const target = this.options.baseURL ?? 'https://api.openai.com/v1';
		return new LangChainChatModel(client as unknown as LangChainChatLike, { modelId: this.modelId, target, secrets: [this.options.apiKey] });
	}
}
