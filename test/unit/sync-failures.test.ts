import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isFileFailure } from '../../lib/sync/failures';

function httpError(status: number): Error {
	return Object.assign(new Error(`HTTP ${status}`), { status });
}

describe('isFileFailure', () => {
	it('takes an outage (502, 503, 504) or a rate limit as the service failing, so the run fails and is retried whole', () => {
		for (const status of [401, 403, 429, 502, 503, 504]) assert.equal(isFileFailure(httpError(status), 'embed'), false, String(status));
	});

	it('takes a refusal of one input (400, 413, 422) or a broken answer as that file failing', () => {
		for (const status of [400, 413, 422]) assert.equal(isFileFailure(httpError(status), 'embed'), true, String(status));
		assert.equal(isFileFailure(new SyntaxError('Unexpected end of JSON input'), 'embed'), true);
	});
});
