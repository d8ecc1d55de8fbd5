import type { RepoMindError } from '../errors';
import { apiError } from '../util/api-error';

export interface ChatErrorContext {
	/** The chat model's id, named in the message. */
	modelId: string;
	/** Where requests go (URL or service name), named in connection failures. */
	target: string;
	/** Strings that must never appear in a message (API keys, tokens). */
	secrets?: Array<string | undefined>;
}

/** A chat provider's failure as a RepoMind error (see apiError). */
export function chatError(error: unknown, context: ChatErrorContext): RepoMindError {
	return apiError(error, {
		action: `Chat completion with ${context.modelId}`,
		target: context.target,
		secrets: context.secrets,
		hints: {
			auth: 'Check the API key or token of the chat-model credential, and that it may use this model.',
			rateLimit: 'The model provider is rate limiting: wait, or lower how often the workflow runs.',
			refused: 'Check the model name, max tokens and context window against what the provider supports.',
			unreachable: 'Check the base URL or endpoint of the chat-model credential and that the server is running.',
		},
	});
}
