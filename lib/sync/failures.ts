import { AuthError, RateLimitError, RefNotFoundError, RepoNotFoundError } from '../errors';
import { EmbeddingSpaceError } from '../store/embedding-cache';
import type { FailureStep, FileFailure } from '../store/failure-ledger';
import { redact } from '../util/api-error';
import { httpStatusOf, isConnectionError } from '../util/retry';

/** MySQL errors caused by one file's data (value too long, out of range, bad string, duplicate, null). */
const MYSQL_DATA_ERRNOS = new Set([1048, 1062, 1264, 1366, 1406]);
/** HTTP statuses that mean the service, a gateway or the credentials are wrong, not the item (an outage is never a file's fault). */
const SERVICE_STATUSES = new Set([401, 403, 404, 407, 429, 502, 503, 504]);

/**
 * Whether an error at `step` belongs to the one file being processed (it goes to the failure ledger
 * and the run goes on) rather than to a service, the credentials or the run (the run fails).
 */
export function isFileFailure(error: unknown, step: FailureStep): boolean {
	if (error instanceof AuthError || error instanceof RateLimitError || error instanceof RepoNotFoundError || error instanceof RefNotFoundError) return false;
	if ((error as { name?: string } | null)?.name === 'AbortError' || error instanceof EmbeddingSpaceError) return false;
	if (step === 'store') return MYSQL_DATA_ERRNOS.has((error as { errno?: number } | null)?.errno ?? -1);
	if (isConnectionError(error)) return false;
	const status = httpStatusOf(error);
	return status === undefined || !SERVICE_STATUSES.has(status);
}

/** The ledger record of a file that failed at a step (a one-line message, no stack, no bearer token). */
export function fileFailure(file: { path: string; blobSha: string }, step: FailureStep, error: unknown): FileFailure {
	const message = error instanceof Error ? error.message : String(error);
	return { path: file.path, blobSha: file.blobSha, step, error: redact(message).replace(/\s+/g, ' ').trim() };
}
