import {
	AuthError,
	InvalidInputError,
	RateLimitError,
	RepoMindError,
	ServiceError,
} from '../errors';
import { httpStatusOf, isConnectionError } from '../util/retry';

export interface EmbeddingErrorContext {
	/** The embedder's model id, named in the message. */
	modelId: string;
	/** Where requests go (host or URL), named in connection failures. */
	target: string;
	/** Strings that must never appear in a message (API keys, tokens). */
	secrets?: Array<string | undefined>;
}

/** Remove every secret (and anything shaped like a bearer token) from a message. */
export function redact(message: string, secrets: Array<string | undefined> = []): string {
	let text = message;
	for (const secret of secrets) {
		if (secret && secret.length >= 4) text = text.split(secret).join('[redacted]');
	}
	return text.replace(/Bearer\s+[^\s"']+/gi, 'Bearer [redacted]');
}

function detailOf(error: unknown, secrets: Array<string | undefined> | undefined): string {
	const message = error instanceof Error ? error.message : String(error);
	const text = redact(message, secrets).replace(/\s+/g, ' ').trim();
	return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/**
 * Turn a provider's failure into a RepoMind error whose message names the model and HTTP status and
 * never contains a secret. The original stays as `cause`, so `httpStatusOf` / `retryAfterOf` still
 * read it for retries.
 */
export function embeddingError(error: unknown, context: EmbeddingErrorContext): RepoMindError {
	if (error instanceof RepoMindError) return error;
	const status = httpStatusOf(error);
	const detail = detailOf(error, context.secrets);
	const prefix = `Embedding with ${context.modelId} failed`;
	const options = { cause: error };
	if (status === 401 || status === 403) {
		return new AuthError(
			`${prefix}: the service rejected the credentials (HTTP ${status})`,
			'Check the API key or token, and that it may use this model.',
			options,
		);
	}
	if (status === 429) {
		return new RateLimitError(
			`${prefix}: rate limited (HTTP 429): ${detail}`,
			'Lower the concurrency or batch size, or wait before running again.',
			options,
		);
	}
	if (status !== undefined && status < 500) {
		const message = `${prefix}: request refused (HTTP ${status}): ${detail}`;
		return new InvalidInputError(message, undefined, options);
	}
	if (status !== undefined) {
		const message = `${prefix}: server error (HTTP ${status}): ${detail}`;
		return new ServiceError(message, undefined, options);
	}
	if (isConnectionError(error)) {
		return new ServiceError(
			`${prefix}: could not reach ${context.target}: ${detail}`,
			'Check the base URL or endpoint and that the server is running.',
			options,
		);
	}
	if (error instanceof SyntaxError || error instanceof TypeError) {
		return new ServiceError(`${prefix}: the answer was malformed: ${detail}`, undefined, options);
	}
	return new ServiceError(`${prefix}: ${detail}`, undefined, options);
}
