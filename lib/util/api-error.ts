import { AuthError, InvalidInputError, RateLimitError, RepoMindError, ServiceError } from '../errors';
import { httpStatusOf, isConnectionError } from './retry';

/** What a model API call was doing, for the message, and what to tell the user per kind of failure. */
export interface ApiErrorContext {
	/** e.g. `Embedding with openai:text-embedding-3-small`. */
	action: string;
	/** Where requests go (host or URL), named in connection failures. */
	target: string;
	/** Strings that must never appear in a message (API keys, tokens). */
	secrets?: Array<string | undefined>;
	hints: { auth: string; rateLimit: string; refused?: string; unreachable: string };
}

/** `scheme://user:password@` (or `scheme://token@`) in a URL. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'`<>]+@/gi;

/** Replace the user and password of every URL in a text with `[redacted]`. */
export function redactUrlCredentials(text: string): string {
	return text.replace(URL_USERINFO, '$1[redacted]@');
}

/** Remove every secret (URL credentials, anything shaped like a bearer token) from a message. */
export function redact(message: string, secrets: Array<string | undefined> = []): string {
	let text = message;
	for (const secret of secrets) {
		if (secret && secret.length >= 4) text = text.split(secret).join('[redacted]');
	}
	return redactUrlCredentials(text).replace(/Bearer\s+[^\s"']+/gi, 'Bearer [redacted]');
}

function detailOf(error: unknown, secrets: Array<string | undefined> | undefined): string {
	const message = error instanceof Error ? error.message : String(error);
	const text = redact(message, secrets).replace(/\s+/g, ' ').trim();
	return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/**
 * The one mapping from a model API failure to a RepoMind error: names the action and HTTP status,
 * never contains a secret, keeps the original as `cause` so retries still read status and Retry-After.
 */
export function apiError(error: unknown, context: ApiErrorContext): RepoMindError {
	if (error instanceof RepoMindError) return error;
	const status = httpStatusOf(error);
	const detail = detailOf(error, context.secrets);
	const prefix = `${context.action} failed`;
	const options = { cause: error };
	if (status === 401 || status === 403) {
		return new AuthError(`${prefix}: the service rejected the credentials (HTTP ${status})`, context.hints.auth, options);
	}
	if (status === 429) {
		return new RateLimitError(`${prefix}: rate limited (HTTP 429): ${detail}`, context.hints.rateLimit, options);
	}
	if (status !== undefined && status < 500) {
		return new InvalidInputError(`${prefix}: request refused (HTTP ${status}): ${detail}`, context.hints.refused, options);
	}
	if (status !== undefined) {
		return new ServiceError(`${prefix}: server error (HTTP ${status}): ${detail}`, undefined, options);
	}
	if (isConnectionError(error)) {
		return new ServiceError(`${prefix}: could not reach ${redactUrlCredentials(context.target)}: ${detail}`, context.hints.unreachable, options);
	}
	if (error instanceof SyntaxError || error instanceof TypeError) {
		return new ServiceError(`${prefix}: the answer was malformed: ${detail}`, undefined, options);
	}
	return new ServiceError(`${prefix}: ${detail}`, undefined, options);
}
