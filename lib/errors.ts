/** Base class of errors the core raises on purpose; `hint` tells a user what to fix. */
export class RepoMindError extends Error {
	constructor(
		message: string,
		readonly hint?: string,
		options?: { cause?: unknown },
	) {
		super(message, options);
		this.name = new.target.name;
	}
}

/** The repository does not exist or the credentials cannot see it. */
export class RepoNotFoundError extends RepoMindError {}
/** The branch, tag or commit does not exist in the repository. */
export class RefNotFoundError extends RepoMindError {}
/** The credentials were rejected (HTTP 401) or lack a permission (HTTP 403). */
export class AuthError extends RepoMindError {}
/** A rate limit was exhausted and retrying did not help. */
export class RateLimitError extends RepoMindError {}
/** A service (Chroma, MySQL, an embedding API) could not be reached or answered with a failure. */
export class ServiceError extends RepoMindError {}
/** Input that cannot be used as given. */
export class InvalidInputError extends RepoMindError {}
