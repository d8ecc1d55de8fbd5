import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { DISCARD_CAP_BYTES, HttpError, readJson } from '../../embeddings-worker/src/http';

/** What readJson made of each request: the value, or the error's status (or message). */
let outcomes: Array<Promise<unknown>> = [];
let server: Server;
let port: number;

/** POST these chunks, one write each (a short pause between them); answers the status. */
function post(chunks: Array<string | Buffer>, headers: Record<string, string> = { 'Content-Type': 'application/json' }): Promise<number> {
	return new Promise((resolve, reject) => {
		const request = httpRequest({ port, method: 'POST', headers }, (response) => {
			response.resume();
			resolve(response.statusCode ?? 0);
		});
		request.on('error', reject);
		void (async () => {
			for (const chunk of chunks) {
				request.write(chunk);
				await new Promise((wait) => setTimeout(wait, 5));
			}
			request.end();
		})();
	});
}

describe('readJson', () => {
	before(async () => {
		server = createServer((request: IncomingMessage, response) => {
			const outcome = readJson(request, 64).then(
				(value) => (response.end('ok'), value),
				(error: unknown) => {
					if (error instanceof HttpError) {
						response.writeHead(error.status, { Connection: 'close' }).end();
						return error.status;
					}
					return (error as Error).message;
				},
			);
			outcomes.push(outcome);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		port = (server.address() as AddressInfo).port;
	});
	after(() => server.close());

	test('a body in several chunks, multi-byte characters split between them', async () => {
		outcomes = [];
		const text = Buffer.from(JSON.stringify({ inputs: ['é日本'] }));
		assert.equal(await post([text.subarray(0, 14), text.subarray(14, 15), text.subarray(15)]), 200);
		assert.deepEqual(await outcomes[0], { inputs: ['é日本'] });
	});

	test('415 without a JSON type, 413 over the limit (the client still gets the answer), 400 for bad UTF-8 or JSON', async () => {
		outcomes = [];
		assert.equal(await post(['{}'], { 'Content-Type': 'text/plain' }), 415);
		assert.equal(await post(['{"inputs":"', 'x'.repeat(100), '"}']), 413);
		assert.equal(await post([Buffer.from([0x7b, 0xff, 0x7d])]), 400);
		assert.equal(await post(['{"inputs":']), 400);
		assert.deepEqual(await Promise.all(outcomes), [415, 413, 400, 400]);
	});

	test('a body past the discard cap: the connection is dropped', async () => {
		outcomes = [];
		const megabyte = Buffer.alloc(1024 * 1024, 0x20);
		const status = await post(Array.from({ length: DISCARD_CAP_BYTES / megabyte.length + 2 }, () => megabyte)).catch((error: Error) => error.message);
		assert.notEqual(status, 200);
		assert.equal(await outcomes[0], 413);
	});

	test('a client that goes away mid-body: readJson fails', async () => {
		outcomes = [];
		const request = httpRequest({ port, method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': '50' } });
		request.on('error', () => undefined);
		request.write('{"inputs":');
		while (outcomes.length === 0) await new Promise((wait) => setTimeout(wait, 5));
		request.destroy();
		assert.equal(await outcomes[0], 'aborted');
	});
});
