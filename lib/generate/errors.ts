import {
	AuthError,
	InvalidInputError,
	RateLimitError,
	RepoMindError,
	ServiceError,
} from '../errors';
import { redact } from '../embed/errors';
import { httpStatusOf, isConnectionError } from '../util/retry';

export interface ChatErrorContext {
	/** The chat model's id, named in the message. */
	modelId: string;
	/** Where requests go (URL or service name), named in connection failures. */
	target: string;
	/** Strings that must never appear in a message (API keys, tokens). */
	secrets?: Array<string | undefined>;
}

function detailOf(error: unknown, secrets: Array<string | undefined> | undefined): string {
	const message = error instanceof Error ? error.message : String(error);
	const text = redact(message, secrets).replace(/\s+/g, ' ').trim();
	return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/**
 * Turn a chat provider's failure into a RepoMind error that names the model and HTTP status and never
 * contains a secret. The original stays as `cause`, so retries still read its status and Retry-After.
 */
export function chatError(error: unknown, context: ChatErrorContext): RepoMindError {
	if (error instanceof RepoMindError) return error;
	const status = httpStatusOf(error);
	const detail = detailOf(error, context.secrets);
	const prefix = `Chat completion with ${context.modelId} failed`;
	const options = { cause: error };
	if (status === 401 || status === 403) {
		const hint =
			'Check the API key or token of the chat-model credential, and that it may use this model.';
		return new AuthError(
			`${prefix}: the service rejected the credentials (HTTP ${status})`,
			hint,
			options,
		);
	}
	if (status === 429) {
		const hint = 'The model provider is rate limiting: wait, or lower how often the workflow runs.';
		return new RateLimitError(`${prefix}: rate limited (HTTP 429): ${detail}`, hint, options);
	}
	if (status !== undefined && status < 500) {
		const hint =
			'Check the model name, max tokens and context window against what the provider supports.';
		return new InvalidInputError(
			`${prefix}: request refused (HTTP ${status}): ${detail}`,
			hint,
			options,
		);
	}
	if (status !== undefined) {
		return new ServiceError(
			`${prefix}: server error (HTTP ${status}): ${detail}`,
			undefined,
			options,
		);
	}
	if (isConnectionError(error)) {
		const hint =
			'Check the base URL or endpoint of the chat-model credential and that the server is running.';
		return new ServiceError(
			`${prefix}: could not reach ${context.target}: ${detail}`,
			hint,
			options,
		);
	}
	return new ServiceError(`${prefix}: ${detail}`, undefined, options);
}
