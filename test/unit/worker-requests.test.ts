import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { embedSchema, openAiSchema, plainEmbedRequest, plainOpenAiRequest } from '../../embeddings-worker/src/requests';

/** Every body with one value of each list per field (`undefined` = the field left out). */
function bodies(fields: Record<string, unknown[]>): unknown[] {
	let out: Array<Record<string, unknown>> = [{}];
	for (const [name, values] of Object.entries(fields)) {
		out = out.flatMap((body) => values.map((value) => (value === undefined ? body : { ...body, [name]: value })));
	}
	return [null, 'text', 3, [], ['text'], ...out];
}

/** zod sets a field to undefined where the body had null; absent and undefined are the same to the routes. */
const defined = (value: unknown) => (value ? Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) : value);

const INPUTS = [undefined, null, 'a', '', ['a', 'b'], ['a'], [], [1, 2], [[1]], ['a', 1], [null], [['a']], 5, {}, true];

describe('plain request readers', () => {
	test('an /embed body read without zod is what embedSchema makes of it; the common bodies are read so', () => {
		let plain = 0;
		for (const body of bodies({
			inputs: INPUTS,
			normalize: [undefined, true, false, null, 'true', 1],
			truncate: [undefined, null, true, false, 'x', 0],
			truncation_direction: [undefined, null, 'Left', 'left', 'Right', 'right', 'LEFT', 1],
			prompt_name: [undefined, null, 'query', '', 3],
			dimensions: [undefined, null, 0, 1, 384, -1, 1.5, '3'],
			model: [undefined, 'extra field'],
		})) {
			const read = plainEmbedRequest(body);
			if (read === undefined) continue;
			plain += 1;
			const parsed = embedSchema.safeParse(body);
			assert.ok(parsed.success, `zod refuses ${JSON.stringify(body)}`);
			assert.deepEqual(defined(read), defined(parsed.data), JSON.stringify(body));
		}
		assert.ok(plain > 5_000, `${plain} bodies read without zod`);
		for (const body of [{ inputs: 'a' }, { inputs: ['a', 'b'] }, { inputs: ['a'], normalize: false, truncate: true, truncation_direction: 'left' }]) {
			assert.notEqual(plainEmbedRequest(body), undefined, JSON.stringify(body));
		}
	});

	test('a /v1/embeddings body read without zod is what openAiSchema makes of it; the common bodies are read so', () => {
		let plain = 0;
		for (const body of bodies({
			input: INPUTS,
			model: [undefined, null, 'm', 3],
			encoding_format: [undefined, null, 'float', 'base64', 'FLOAT', 1],
			dimensions: [undefined, null, 0, 1, 384, -1, 1.5, '3'],
			user: [undefined, null, 'u', 1],
			extra: [undefined, 'field'],
		})) {
			const read = plainOpenAiRequest(body);
			if (read === undefined) continue;
			plain += 1;
			const parsed = openAiSchema.safeParse(body);
			assert.ok(parsed.success, `zod refuses ${JSON.stringify(body)}`);
			assert.deepEqual(defined(read), defined(parsed.data), JSON.stringify(body));
		}
		assert.ok(plain > 1_000, `${plain} bodies read without zod`);
		for (const body of [{ input: 'a', model: 'm' }, { input: ['a', 'b'], encoding_format: 'base64' }]) {
			assert.notEqual(plainOpenAiRequest(body), undefined, JSON.stringify(body));
		}
	});
});
