import { endpointOf } from '../cache/key';
import type { ChatMessage, ChatModel, ChatModelIdentity, Completion, CompletionOptions } from './chat';
import { chatError, type ChatErrorContext } from './errors';
import { textOf } from './openai-chat';

/** What RepoMind uses of a LangChain chat model (any copy of @langchain/core: n8n's sub-nodes bring their own). */
export interface LangChainChatLike {
	invoke(messages: Array<{ role: string; content: string }>, options?: { signal?: AbortSignal }): Promise<LangChainReply>;
	stream?(messages: Array<{ role: string; content: string }>, options?: { signal?: AbortSignal }): Promise<AsyncIterable<LangChainReply>>;
	_llmType?(): string;
	model?: string;
	modelName?: string;
}

interface LangChainReply {
	content: unknown;
	usage_metadata?: { input_tokens?: number; output_tokens?: number };
	response_metadata?: Record<string, unknown>;
}

/** Whether a value looks like a LangChain chat model (what an n8n Chat Model sub-node supplies). */
export function isLangChainChatModel(value: unknown): value is LangChainChatLike {
	return typeof value === 'object' && value !== null && typeof (value as LangChainChatLike).invoke === 'function' && typeof (value as LangChainChatLike)._llmType === 'function';
}

/**
 * A LangChain chat model (e.g. from an n8n Chat Model sub-node) as a RepoMind ChatModel. Messages go
 * in as plain `{ role, content }` objects so the model's own LangChain copy builds its message classes.
 */
export class LangChainChatModel implements ChatModel {
	readonly modelId: string;
	readonly identity: ChatModelIdentity;
	private readonly name: string;
	private readonly errors: Omit<ChatErrorContext, 'modelId'>;

	constructor(
		private readonly model: LangChainChatLike,
		identity: { modelId?: string } & Partial<Omit<ChatErrorContext, 'modelId'>> = {},
	) {
		this.name = String(model.model ?? model.modelName ?? 'unknown');
		this.modelId = identity.modelId ?? `${model._llmType?.() ?? 'langchain'}:${this.name}`;
		this.errors = { target: identity.target ?? 'the connected chat model', secrets: identity.secrets };
		this.identity = identityOf(model);
	}

	/** One completion, streamed to `options.onToken` when given; temperature and max tokens are the sub-node's own settings. */
	async complete(messages: ChatMessage[], options: CompletionOptions = {}): Promise<Completion> {
		try {
			if (!options.onToken || !this.model.stream) return this.completion(await this.model.invoke(messages, { signal: options.signal }));
			let text = '';
			let last: LangChainReply | undefined;
			let usage: LangChainReply['usage_metadata'];
			for await (const chunk of await this.model.stream(messages, { signal: options.signal })) {
				const piece = textOf(chunk.content);
				if (piece) {
					text += piece;
					options.onToken(piece);
				}
				usage = chunk.usage_metadata ?? usage;
				last = chunk;
			}
			return this.completion({ content: text, usage_metadata: usage, response_metadata: last?.response_metadata });
		} catch (error) {
			throw chatError(error, { modelId: this.modelId, ...this.errors });
		}
	}

	private completion(reply: LangChainReply): Completion {
		return {
			text: textOf(reply.content),
			usage: { promptTokens: reply.usage_metadata?.input_tokens ?? 0, completionTokens: reply.usage_metadata?.output_tokens ?? 0 },
			model: String(reply.response_metadata?.model_name ?? reply.response_metadata?.model ?? this.name),
		};
	}
}

const ENDPOINT_FIELDS = ['baseURL', 'baseUrl', 'apiUrl', 'endpoint', 'azureOpenAIEndpoint', 'azureOpenAIBasePath'];
const SAMPLING_FIELDS = ['temperature', 'topP', 'topK', 'maxTokens', 'numPredict', 'frequencyPenalty', 'presencePenalty', 'seed'];

/** Class, endpoint (host and path only) and sampling settings of a LangChain chat model; no key or token is read. */
function identityOf(model: LangChainChatLike): ChatModelIdentity {
	const fields = model as unknown as Record<string, unknown>;
	const client = (fields.clientConfig ?? {}) as Record<string, unknown>;
	const url = [client.baseURL, ...ENDPOINT_FIELDS.map((name) => fields[name])].find((value) => typeof value === 'string' && value);
	const sampling = Object.fromEntries(SAMPLING_FIELDS.filter((name) => typeof fields[name] === 'number' && Number.isFinite(fields[name])).map((name) => [name, fields[name] as number]));
	return { className: (model as object).constructor?.name, endpoint: endpointOf(url as string | undefined), sampling };
}
