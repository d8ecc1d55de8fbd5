/** The project's one retry helper: exponential backoff with jitter that honours Retry-After. */

export interface RetryOptions {
	/** Retries after the first attempt (0 = try once). */
	retries: number;
	/** Delay before the first retry; doubles on each further retry. */
	baseDelayMs: number;
	/** Upper bound of one delay, also of a server's Retry-After. */
	maxDelayMs: number;
	/** Whether a failure is worth another attempt. */
	isRetryable(error: unknown): boolean;
	/** The server's requested delay in ms, if the error carries one. Default: `retryAfterOf`. */
	retryAfterMs?(error: unknown): number | undefined;
	/** Aborts waiting between attempts; the abort reason is thrown. */
	signal?: AbortSignal;
	/** Called before each wait, e.g. for logging. */
	onRetry?(error: unknown, attempt: number, delayMs: number): void;
}

/** Run `fn` until it succeeds, fails in a non-retryable way, or runs out of retries (rethrows). */
export async function withRetry<T>(
	fn: (attempt: number) => Promise<T>,
	options: RetryOptions,
): Promise<T> {
	const retryAfter = options.retryAfterMs ?? retryAfterOf;
	for (let attempt = 0; ; attempt++) {
		options.signal?.throwIfAborted();
		try {
			return await fn(attempt);
		} catch (error) {
			if (attempt >= options.retries || !options.isRetryable(error)) throw error;
			const wantedMs = retryAfter(error) ?? backoffMs(attempt, options);
			const delayMs = Math.min(options.maxDelayMs, wantedMs);
			options.onRetry?.(error, attempt, delayMs);
			await sleep(delayMs, options.signal);
		}
	}
}

/** Full-jitter exponential delay: uniform in [base*2^attempt / 2, base*2^attempt], capped. */
function backoffMs(attempt: number, options: RetryOptions): number {
	const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
	return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) return reject(signal.reason);
		const onAbort = () => {
			clearTimeout(timer);
			reject(signal?.reason);
		};
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}

type Shape = Record<string, unknown>;

/** The error and its `cause` chain, as plain objects. */
function* errorChain(error: unknown): Generator<Shape> {
	let current = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		yield current as Shape;
		current = (current as Shape).cause;
	}
}

/** Objects that may carry status and headers: each error, its `response` and `httpResponse`. */
function* responseLikes(error: unknown): Generator<Shape> {
	for (const link of errorChain(error)) {
		yield link;
		for (const key of ['response', 'httpResponse']) {
			const inner = link[key];
			if (inner && typeof inner === 'object') yield inner as Shape;
		}
	}
}

/**
 * HTTP status of a failure: OpenAI SDK `APIError.status`, @huggingface/inference
 * `error.httpResponse.status`, the `ollama` client's `ResponseError.status_code`, a fetch `Response`
 * thrown or kept as `error.response`, or any of these as an error's `cause`. Undefined when the
 * failure had no HTTP answer.
 */
export function httpStatusOf(error: unknown): number | undefined {
	for (const shape of responseLikes(error)) {
		const status = shape.status ?? shape.statusCode ?? shape.status_code;
		if (typeof status === 'number' && status >= 100 && status < 600) return status;
	}
	return undefined;
}

function headerOf(shape: Shape, name: string): string | undefined {
	const headers = shape.headers;
	if (!headers || typeof headers !== 'object') return undefined;
	const get = (headers as Partial<Headers>).get;
	if (typeof get === 'function') return get.call(headers, name) ?? undefined;
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() === name && value != null) return String(value);
	}
	return undefined;
}

/** Milliseconds from a Retry-After value: delay seconds or an HTTP date. */
export function parseRetryAfter(value: string, now = Date.now()): number | undefined {
	const text = value.trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The delay a server asked for (`retry-after-ms` or `Retry-After` header), in ms. */
export function retryAfterOf(error: unknown): number | undefined {
	for (const shape of responseLikes(error)) {
		const ms = headerOf(shape, 'retry-after-ms');
		if (ms && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.round(Number(ms));
		const value = headerOf(shape, 'retry-after');
		if (value) return parseRetryAfter(value);
	}
	return undefined;
}

const CONNECTION_CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ETIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'ENOTFOUND',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'UND_ERR_SOCKET',
	'UND_ERR_CONNECT_TIMEOUT',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
]);

const CONNECTION_ERROR_NAMES = new Set([
	'APIConnectionError',
	'APIConnectionTimeoutError',
	'TimeoutError',
	'ConnectTimeoutError',
	'SocketError',
]);

/** Whether a failure is a network failure without an HTTP answer (refused, reset, timed out). */
export function isConnectionError(error: unknown): boolean {
	for (const link of errorChain(error)) {
		if (typeof link.code === 'string' && CONNECTION_CODES.has(link.code)) return true;
		const names = [String(link.name), String(link.constructor?.name)];
		if (names.some((name) => CONNECTION_ERROR_NAMES.has(name))) return true;
		if (link instanceof TypeError && link.message === 'fetch failed') return true;
	}
	return false;
}

/** True for 429, 5xx and connection errors; false for other 4xx and errors without HTTP. */
export function isTransientHttpError(error: unknown): boolean {
	const status = httpStatusOf(error);
	if (status !== undefined) return status === 429 || status >= 500;
	return isConnectionError(error);
}
