import type { RepoMindError } from '../errors';
import { apiError } from '../util/api-error';

export { redact } from '../util/api-error';

export interface EmbeddingErrorContext {
	/** The embedder's model id, named in the message. */
	modelId: string;
	/** Where requests go (host or URL), named in connection failures. */
	target: string;
	/** Strings that must never appear in a message (API keys, tokens). */
	secrets?: Array<string | undefined>;
}

/** An embedding provider's failure as a RepoMind error (see apiError). */
export function embeddingError(error: unknown, context: EmbeddingErrorContext): RepoMindError {
	return apiError(error, {
		action: `Embedding with ${context.modelId}`,
		target: context.target,
		secrets: context.secrets,
		hints: {
			auth: 'Check the API key or token, and that it may use this model.',
			rateLimit: 'Lower the concurrency or batch size, or wait before running again.',
			unreachable: 'Check the base URL or endpoint and that the server is running.',
		},
	});
}
