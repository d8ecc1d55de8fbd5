import { AIMessage, AIMessageChunk, HumanMessage, SystemMessage, type BaseMessage } from '@langchain/core/messages';
import { ChatOpenAI } from '@langchain/openai';
import { endpointOf } from '../cache/key';
import type { ChatMessage, ChatModel, ChatModelIdentity, Completion, CompletionOptions } from './chat';
import { chatError } from './errors';

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
	readonly identity: ChatModelIdentity;

	constructor(private readonly options: OpenAIChatModelOptions) {
		this.modelId = `openai:${options.model}`;
		this.identity = { endpoint: endpointOf(options.baseURL || 'https://api.openai.com/v1') };
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
			const reply = options.onToken
				? await streamed(client, messages.map(toLangChain), options.signal, options.onToken)
				: await client.invoke(messages.map(toLangChain), { signal: options.signal });
			const usage = reply.usage_metadata;
			return {
				text: textOf(reply.content),
				usage: {
					promptTokens: usage?.input_tokens ?? 0,
					completionTokens: usage?.output_tokens ?? 0,
				},
				model: String(reply.response_metadata?.model_name ?? this.options.model),
			};
		} catch (error) {
			const target = this.options.baseURL ?? 'https://api.openai.com/v1';
			throw chatError(error, { modelId: this.modelId, target, secrets: [this.options.apiKey] });
		}
	}
}

/** A streamed completion: every text piece goes to onToken; the pieces joined are the reply (usage on the last). */
async function streamed(client: ChatOpenAI, messages: BaseMessage[], signal: AbortSignal | undefined, onToken: (text: string) => void): Promise<AIMessageChunk> {
	let reply: AIMessageChunk | undefined;
	for await (const chunk of await client.stream(messages, { signal })) {
		const text = textOf(chunk.content);
		if (text) onToken(text);
		reply = reply ? reply.concat(chunk) : chunk;
	}
	return reply ?? new AIMessageChunk('');
}

function toLangChain(message: ChatMessage): BaseMessage {
	if (message.role === 'system') return new SystemMessage(message.content);
	if (message.role === 'assistant') return new AIMessage(message.content);
	return new HumanMessage(message.content);
}

/** The text of a reply's content: a string, or the text parts of a list. */
export function textOf(content: unknown): string {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) {
		return content
			.map((part) =>
				typeof part === 'string' ? part : typeof part?.text === 'string' ? part.text : '',
			)
			.join('');
	}
	return '';
}
