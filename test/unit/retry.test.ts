import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InferenceClientProviderApiError } from '@huggingface/inference';
import {
	httpStatusOf,
	isConnectionError,
	isTransientHttpError,
	parseRetryAfter,
	retryAfterOf,
	withRetry,
} from '../../lib/util/retry';
import { AuthError } from '../../lib/errors';
import { LangChainChatModel } from '../../lib/generate';

/** The `ollama` client's ResponseError (ollama 0.6): the server's `error` text and `status_code`. */
class OllamaResponseError extends Error {
	constructor(
		readonly error: string,
		readonly status_code: number,
	) {
		super(error);
		this.name = 'ResponseError';
	}
}

const fast = { baseDelayMs: 1, maxDelayMs: 5_000, isRetryable: isTransientHttpError };

/** An error shaped like the OpenAI SDK's APIError. */
function apiError(status: number, headers: Record<string, string> = {}) {
	return Object.assign(new Error(`${status} failed`), { status, headers: new Headers(headers) });
}

describe('withRetry', () => {
	it('retries transient failures and returns the first success', async () => {
		const attempts: number[] = [];
		const result = await withRetry(async (attempt) => {
			attempts.push(attempt);
			if (attempt < 2) throw apiError(503);
			return 'ok';
		}, { ...fast, retries: 3 });
		assert.equal(result, 'ok');
		assert.deepEqual(attempts, [0, 1, 2]);
	});

	it('gives up after the given retries and rethrows the last error', async () => {
		let calls = 0;
		const errors = [apiError(500), apiError(502), apiError(429)];
		await assert.rejects(
			withRetry(async () => {
				throw errors[calls++];
			}, { ...fast, retries: 2 }),
			(error) => error === errors[2],
		);
		assert.equal(calls, 3);
	});

	it('never retries a 400', async () => {
		let calls = 0;
		await assert.rejects(
			withRetry(async () => {
				calls++;
				throw apiError(400);
			}, { ...fast, retries: 5 }),
			/400 failed/,
		);
		assert.equal(calls, 1);
	});

	it('waits as long as Retry-After says (seconds)', async () => {
		const delays: number[] = [];
		const started = Date.now();
		let calls = 0;
		await withRetry(async () => {
			if (calls++ === 0) throw apiError(429, { 'retry-after': '1' });
		}, { ...fast, retries: 1, onRetry: (_error, _attempt, delay) => delays.push(delay) });
		assert.deepEqual(delays, [1000]);
		assert.ok(Date.now() - started >= 990, `waited ${Date.now() - started} ms`);
	});

	it('caps Retry-After at maxDelayMs', async () => {
		const delays: number[] = [];
		let calls = 0;
		await withRetry(async () => {
			if (calls++ === 0) throw apiError(429, { 'retry-after': '3600' });
		}, { ...fast, maxDelayMs: 20, retries: 1, onRetry: (_e, _a, delay) => delays.push(delay) });
		assert.deepEqual(delays, [20]);
	});

	it('backs off exponentially with jitter inside [ceiling/2, ceiling]', async () => {
		const delays: number[] = [];
		await assert.rejects(
			withRetry(async () => {
				throw apiError(503);
			}, { ...fast, baseDelayMs: 4, maxDelayMs: 20, retries: 4, onRetry: (_e, _a, d) => delays.push(d) }),
		);
		const ceilings = [4, 8, 16, 20];
		assert.equal(delays.length, 4);
		delays.forEach((delay, i) => {
			assert.ok(delay >= ceilings[i] / 2 && delay <= ceilings[i], `delay ${i} = ${delay}`);
		});
	});

	it('stops waiting when the signal aborts', async () => {
		const controller = new AbortController();
		setTimeout(() => controller.abort(new Error('stopped')), 20);
		const started = Date.now();
		await assert.rejects(
			withRetry(async () => {
				throw apiError(503);
			}, { ...fast, baseDelayMs: 10_000, maxDelayMs: 10_000, retries: 3, signal: controller.signal }),
			/stopped/,
		);
		assert.ok(Date.now() - started < 1000);
	});
});

describe('httpStatusOf and retryAfterOf', () => {
	it('read the OpenAI SDK shape, including retry-after-ms', () => {
		const error = apiError(429, { 'retry-after-ms': '250', 'retry-after': '9' });
		assert.equal(httpStatusOf(error), 429);
		assert.equal(retryAfterOf(error), 250);
	});

	it('read @huggingface/inference errors (status; headers when added)', () => {
		const error = new InferenceClientProviderApiError(
			'Failed to perform inference: busy',
			{ url: 'http://x/embed', method: 'POST' },
			{ requestId: '', status: 503, body: '' },
		);
		assert.equal(httpStatusOf(error), 503);
		assert.equal(retryAfterOf(error), undefined);
		Object.assign(error.httpResponse, { headers: { 'Retry-After': '7' } });
		assert.equal(retryAfterOf(error), 7000);
	});

	it('read a fetch Response, thrown or as error.response, and through cause', () => {
		const response = new Response('', { status: 503, headers: { 'retry-after': '3' } });
		assert.equal(httpStatusOf(response), 503);
		assert.equal(retryAfterOf(response), 3000);
		const wrapped = new Error('outer', { cause: Object.assign(new Error('inner'), { response }) });
		assert.equal(httpStatusOf(wrapped), 503);
		assert.equal(retryAfterOf(wrapped), 3000);
	});

	it("read the Ollama client's ResponseError (status_code), which n8n's Ollama Chat Model throws", async () => {
		const unauthorized = new OllamaResponseError('unauthorized', 401);
		assert.equal(httpStatusOf(unauthorized), 401);
		assert.equal(isTransientHttpError(new OllamaResponseError('model is loading', 503)), true);
		assert.equal(isTransientHttpError(new OllamaResponseError('model "x" not found, try pulling it first', 404)), false);
		const connected = new LangChainChatModel({ invoke: async () => Promise.reject(unauthorized), _llmType: () => 'ollama', model: 'llama3.2:1b' });
		const error = await connected.complete([{ role: 'user', content: 'q' }]).catch((caught: unknown) => caught);
		assert.ok(error instanceof AuthError, String(error));
		assert.equal(error.message, 'Chat completion with ollama:llama3.2:1b failed: the service rejected the credentials (HTTP 401)');
	});

	it('parse Retry-After as an HTTP date', () => {
		const now = Date.parse('Sat, 21 Nov 2026 10:00:00 GMT');
		assert.equal(parseRetryAfter('Sat, 21 Nov 2026 10:00:05 GMT', now), 5000);
		assert.equal(parseRetryAfter('Sat, 21 Nov 2026 09:00:00 GMT', now), 0);
		assert.equal(parseRetryAfter('soon', now), undefined);
	});

	it('classify connection errors as transient and other 4xx as final', () => {
		const refused = new TypeError('fetch failed', {
			cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
		});
		assert.equal(isConnectionError(refused), true);
		assert.equal(isTransientHttpError(refused), true);
		assert.equal(isTransientHttpError(apiError(404)), false);
		assert.equal(isTransientHttpError(apiError(401)), false);
		assert.equal(isTransientHttpError(apiError(500)), true);
		assert.equal(isTransientHttpError(new Error('plain')), false);
		assert.equal(httpStatusOf(new Error('plain')), undefined);
	});
});
