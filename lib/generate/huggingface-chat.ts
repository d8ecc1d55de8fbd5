import { InferenceClient } from '@huggingface/inference';
import { InvalidInputError, ServiceError } from '../errors';
import { endpointOf } from '../cache/key';
import type { ChatMessage, ChatModel, ChatModelIdentity, Completion, CompletionOptions } from './chat';
import { chatError } from './errors';
import { textOf } from './openai-chat';

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
	readonly identity: ChatModelIdentity;
	private readonly client: InferenceClient;

	constructor(private readonly options: HuggingFaceChatModelOptions) {
		if (!options.model) throw new InvalidInputError('Name the Hugging Face chat model');
		this.client = new InferenceClient(options.token);
		this.modelId = `hf:${options.model}`;
		this.identity = { endpoint: options.endpointUrl ? endpointOf(options.endpointUrl) : `router:${options.provider ?? 'auto'}` };
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
		const target = endpoint
			? { endpointUrl: `${endpoint}/v1` }
			: this.options.provider
				? { provider: this.options.provider as 'auto' }
				: {};
		try {
			const reply = await this.client.chatCompletion(
				{
					...target,
					model: this.options.model,
					messages: messages.map(({ role, content }) => ({ role, content })),
					temperature: options.temperature,
					max_tokens: options.maxTokens,
				},
				{ retry_on_error: false, fetch: recordingFetch },
			);
			const choice = reply.choices?.[0];
			if (!choice)
				throw new ServiceError(
					`Chat completion with ${this.modelId} failed: the answer has no choices`,
				);
			const text = textOf(choice.message?.content ?? '');
			// Not streamed here: the whole answer is one piece.
			if (text) options.onToken?.(text);
			return {
				text,
				usage: {
					promptTokens: reply.usage?.prompt_tokens ?? 0,
					completionTokens: reply.usage?.completion_tokens ?? 0,
				},
				model: reply.model || this.options.model,
			};
		} catch (error) {
			const response = (error as { httpResponse?: Record<string, unknown> } | null)?.httpResponse;
			if (failedHeaders && response && typeof response === 'object' && !response.headers) {
				response.headers = Object.fromEntries(failedHeaders.entries());
			}
			const where = endpoint ?? 'the Hugging Face router';
			throw chatError(error, {
				modelId: this.modelId,
				target: where,
				secrets: [this.options.token],
			});
		}
	}
}
