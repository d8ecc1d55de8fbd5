import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { EmbeddingsWorker } from '../../embeddings-worker/src';
import { expectedTinyVector } from '../support/tiny-onnx-model';
import { expectedCrossEncoderLogit } from '../support/worker-models';
import { openAiProblems, teiProblems, teiRequestProblems } from '../support/worker-specs';
import { callWorker, closeTo, metricValue, startTinyWorker, WORKER_KEY, writeTinyModels, type TinyModels, type WorkerAnswer } from '../support/worker-server';

const OPENAI_PATHS = ['/v1/embeddings', '/embeddings'];
const normalise = (vector: number[]) => vector.map((value) => value / Math.hypot(...vector));

/** A worker answer, checked against TEI's document (and OpenAI's, on the OpenAI routes). */
async function checked(url: string, path: string, options: Parameters<typeof callWorker>[2] = {}): Promise<WorkerAnswer> {
	const answer = await callWorker(url, path, options);
	const method = (options.method ?? (options.body !== undefined || options.raw !== undefined ? 'POST' : 'GET')).toLowerCase() as 'get' | 'post';
	if (path !== '/metrics') assert.equal(teiProblems(path, method, answer.status, answer.body), '', `${path} ${answer.status} against TEI: ${JSON.stringify(answer.body).slice(0, 300)}`);
	const base64 = (options.body as { encoding_format?: string } | undefined)?.encoding_format === 'base64';
	// OpenAI's document types `embedding` as floats only; base64 answers are checked against TEI's, which allows the string
	if (OPENAI_PATHS.includes(path) && !(base64 && answer.status === 200)) {
		assert.equal(openAiProblems(answer.status, answer.body), '', `${path} ${answer.status} against OpenAI: ${JSON.stringify(answer.body).slice(0, 300)}`);
	}
	return answer;
}

describe('embeddings worker: TEI 1.9.3 and OpenAI 2.3.0 conformance (every answer validated against both documents)', () => {
	let models: TinyModels;
	let worker: EmbeddingsWorker;
	let plain: EmbeddingsWorker;
	const expected = (text: string) => expectedTinyVector(models.embed, text.split(' '));
	const ids = (text: string) => [2, ...text.split(' ').map((word) => models.embed.vocab[word]), 3];

	before(async () => {
		models = writeTinyModels();
		writeFileSync(join(models.embed.folder, 'config_sentence_transformers.json'), JSON.stringify({ prompts: { query: 'search ', passage: '' } }));
		worker = await startTinyWorker(models, { maxInputTokens: 6, matryoshka: true, publicMetrics: true, prometheusPort: 0 });
		plain = await startTinyWorker(models, { rerankModel: undefined, maxClientBatchSize: 4 });
	});
	after(async () => {
		await Promise.all([worker.close(), plain.close()]);
		models.remove();
	});

	test('GET /info is TEI Info; GET /, /ping and /health are health; POST /, /invocations, /embed embed alike', async () => {
		const info = (await checked(worker.url, '/info')).body as Record<string, unknown>;
		assert.deepEqual([info.model_type, info.served_model_name, info.model_dtype, info.max_input_length], [{ embedding: { pooling: 'mean' } }, 'tiny-embed', 'float32', 6]);
		for (const path of ['/', '/ping', '/health']) assert.equal((await checked(worker.url, path, { key: null })).status, 200, path);
		const vectors = await Promise.all(['/', '/invocations', '/embed'].map(async (path) => (await checked(worker.url, path, { body: { inputs: 'parse file' } })).body));
		assert.deepEqual(vectors[0], vectors[2]);
		assert.deepEqual(vectors[1], vectors[2]);
		assert.ok(closeTo((vectors[2] as number[][])[0], expected('parse file')));
		const openAi = await Promise.all(OPENAI_PATHS.map(async (path) => (await checked(worker.url, path, { body: { input: ['parse file'], model: 'tiny-embed' } })).body as { data: Array<{ embedding: number[] }> }));
		assert.deepEqual(openAi[0].data[0].embedding, openAi[1].data[0].embedding);
	});

	test('truncation_direction cuts the left or the right end, special tokens kept; an unknown direction is 422', async () => {
		const text = 'parse file path read write chunk';
		const cut = async (direction: string) => ((await checked(worker.url, '/embed', { body: { inputs: [text], truncate: true, truncation_direction: direction } })).body as number[][])[0];
		assert.ok(closeTo(await cut('Right'), expected('parse file path read')));
		assert.ok(closeTo(await cut('Left'), expected('path read write chunk')));
		assert.deepEqual(await cut('left'), await cut('Left'), 'TEI takes the lower-case names too');
		const sideways = await checked(worker.url, '/embed', { body: { inputs: [text], truncation_direction: 'Sideways' } });
		assert.equal(sideways.status, 422);
		assert.match((sideways.body as { error: string }).error, /truncation_direction: Invalid enum value. Expected 'Left' \| 'Right' \| 'left' \| 'right'/);
		const refused = await checked(worker.url, '/embed', { body: { inputs: [text], truncate: false } });
		assert.deepEqual([refused.status, refused.body], [422, { error: 'Input 0 has 8 tokens; the model takes at most 6 (send truncate: true to cut it)', error_type: 'Validation' }]);
	});

	test('/rerank truncation_direction: a too-long pair is cut as TEI cuts it (LongestFirst from the chosen end, special tokens kept)', async () => {
		const logits = async (query: string, texts: string[], fields: { truncate: boolean; truncation_direction?: string }) => {
			const body = { query, texts, raw_scores: true, ...fields };
			// TEI's document lists Left and Right; TEI takes left and right too
			if (fields.truncation_direction !== 'left') assert.equal(teiRequestProblems('/rerank', body), '');
			const answer = await checked(worker.url, '/rerank', { body });
			assert.equal(answer.status, 200, JSON.stringify(answer.body));
			return (answer.body as Array<{ index: number; score: number }>).sort((a, b) => a.index - b.index).map((item) => item.score);
		};
		const logit = (query: string, text: string) => expectedCrossEncoderLogit(models.rerank, query.split(' '), text.split(' '));
		const near = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 1e-6, `${what}: ${actual} vs ${expected}`);
		// at most 6 tokens: [CLS] query [SEP] text [SEP] leaves 3 for query and text
		const long = 'file path read write';
		const [left] = await logits('parse', [long], { truncate: true, truncation_direction: 'Left' });
		const [handCut] = await logits('parse', ['read write'], { truncate: false });
		near(left, handCut, 'Left equals the text cut at its start by hand');
		near(left, logit('parse', 'read write'), 'Left');
		const [right] = await logits('parse', [long], { truncate: true, truncation_direction: 'Right' });
		near(right, logit('parse', 'file path'), 'Right, as TEI: the text loses its end, the last separator stays');
		assert.deepEqual(await logits('parse', [long], { truncate: true }), [right], 'Right is the default');
		assert.ok(Math.abs(left - right) > 1e-3, `Left ${left} and Right ${right} differ`);
		assert.deepEqual(await logits('parse', [long], { truncate: true, truncation_direction: 'left' }), [left]);
		// both sequences longer than half the room: the query keeps its last token, the text its last two
		const [both] = await logits('parse file', ['path read write chunk'], { truncate: true, truncation_direction: 'Left' });
		near(both, logit('file', 'write chunk'), 'Left, query and text cut');
		for (const direction of ['Left', 'Right']) {
			const refused = await checked(worker.url, '/rerank', { body: { query: 'parse', texts: [long], truncate: false, truncation_direction: direction } });
			assert.deepEqual([refused.status, refused.body], [422, { error: 'Input 0 has 8 tokens; the model takes at most 6 (send truncate: true to cut it)', error_type: 'Validation' }], direction);
		}
		// one token over ([CLS] parse [SEP] file path read [SEP]): refused, not cut silently; one fewer fits
		const oneOver = await checked(worker.url, '/rerank', { body: { query: 'parse', texts: ['file path read'], truncate: false } });
		assert.deepEqual([oneOver.status, oneOver.body], [422, { error: 'Input 0 has 7 tokens; the model takes at most 6 (send truncate: true to cut it)', error_type: 'Validation' }]);
		const [fits] = await logits('parse', ['file path'], { truncate: false });
		near(fits, logit('parse', 'file path'), 'a pair of exactly 6 tokens');
	});

	test('token-id inputs on /embed and /v1/embeddings equal the text; ids outside the vocabulary are 422', async () => {
		const want = expected('parse file');
		for (const inputs of [ids('parse file'), [ids('parse file')]]) {
			const [vector] = (await checked(worker.url, '/embed', { body: { inputs } })).body as number[][];
			assert.ok(closeTo(vector, want), JSON.stringify(inputs));
			const openAi = (await checked(worker.url, '/v1/embeddings', { body: { input: inputs, model: 'tiny-embed' } })).body as { data: Array<{ embedding: number[] }>; usage: { prompt_tokens: number } };
			assert.ok(closeTo(openAi.data[0].embedding, want));
			assert.equal(openAi.usage.prompt_tokens, 4);
		}
		const outside = await checked(worker.url, '/v1/embeddings', { body: { input: [[2, 100000, 3]], model: 'tiny-embed' } });
		assert.equal(outside.status, 422);
		assert.deepEqual((outside.body as { error: object }).error, { message: 'Input 0: token id 100000 is not in the vocabulary (0 to 119)', type: 'invalid_request_error', param: null, code: null });
	});

	test('prompt_name puts the model prompt first; an unknown prompt names the known ones', async () => {
		const [vector] = (await checked(worker.url, '/embed', { body: { inputs: ['parse file'], prompt_name: 'query' } })).body as number[][];
		assert.ok(closeTo(vector, expected('search parse file')));
		const unknown = await checked(worker.url, '/embed', { body: { inputs: ['parse'], prompt_name: 'document' } });
		assert.deepEqual([unknown.status, (unknown.body as { error: string }).error], [422, 'prompt_name "document" is not one of the model\'s prompts (query, passage)']);
	});

	test('Matryoshka dimensions on /embed and /v1/embeddings where declared (--matryoshka); refused clearly where not', async () => {
		const want = normalise(expected('parse file').slice(0, 16));
		const [vector] = (await checked(worker.url, '/embed', { body: { inputs: ['parse file'], dimensions: 16 } })).body as number[][];
		assert.ok(closeTo(vector, want));
		const openAi = (await checked(worker.url, '/v1/embeddings', { body: { input: 'parse file', model: 'x', dimensions: 16 } })).body as { data: Array<{ embedding: number[] }> };
		assert.ok(closeTo(openAi.data[0].embedding, want));
		const tooMany = await checked(worker.url, '/embed', { body: { inputs: ['parse'], dimensions: 65 } });
		assert.deepEqual([tooMany.status, tooMany.body], [422, { error: "`dimensions` should be at most the model's 64", error_type: 'Validation' }]);
		const undeclared = await checked(plain.url, '/v1/embeddings', { body: { input: 'parse', model: 'x', dimensions: 16 } });
		assert.equal(undeclared.status, 422);
		assert.equal((undeclared.body as { message: string }).message, 'This model answers 64-d vectors; dimensions 16 needs a Matryoshka model (start the worker with --matryoshka true if it is one)');
	});

	test('null for every nullable field means "not given"', async () => {
		const embed = await checked(worker.url, '/embed', { body: { inputs: ['parse'], truncate: null, prompt_name: null, dimensions: null } });
		assert.equal(embed.status, 200);
		const openAi = await checked(worker.url, '/v1/embeddings', { body: { input: 'parse', model: null, user: null, dimensions: null, encoding_format: null } });
		assert.equal(openAi.status, 200);
		const rerank = await checked(worker.url, '/rerank', { body: { query: 'parse', texts: ['file'], truncate: null } });
		assert.equal(rerank.status, 200);
	});

	test('/similarity, /tokenize and /decode answer TEI shapes; /embed_all, /embed_sparse, /predict answer TEI 424', async () => {
		const similarity = (await checked(worker.url, '/similarity', { body: { inputs: { source_sentence: 'parse file', sentences: ['parse file', 'commit tree'] } } })).body as number[];
		assert.ok(Math.abs(similarity[0] - 1) < 1e-6);
		const cosine = expected('parse file').reduce((sum, value, i) => sum + value * expected('commit tree')[i], 0);
		assert.ok(Math.abs(similarity[1] - cosine) < 1e-6);
		const tokens = (await checked(worker.url, '/tokenize', { body: { inputs: 'parse file' } })).body as Array<Array<{ id: number; text: string; special: boolean }>>;
		assert.deepEqual(tokens[0].map((token) => [token.id, token.text, token.special]), [[2, '[CLS]', true], [models.embed.vocab.parse, 'parse', false], [models.embed.vocab.file, 'file', false], [3, '[SEP]', true]]);
		assert.deepEqual((await checked(worker.url, '/decode', { body: { ids: ids('parse file') } })).body, ['parse file']);
		for (const path of ['/embed_all', '/embed_sparse', '/predict']) {
			const answer = await checked(worker.url, path, { body: { inputs: 'parse' } });
			assert.deepEqual([answer.status, (answer.body as { error_type: string }).error_type], [424, 'Backend'], path);
		}
		const noReranker = await checked(plain.url, '/rerank', { body: { query: 'parse', texts: ['file'] } });
		assert.deepEqual([noReranker.status, noReranker.body], [424, { error: 'This worker has no rerank model (start it with --rerank-model)', error_type: 'Backend' }]);
	});

	test('error statuses and bodies: 400 Empty, 422 Validation, 413 batch size, 401, 404, 405, 415, 400 for bytes that are not UTF-8', async () => {
		const cases: Array<[string, Parameters<typeof callWorker>[2], number, string]> = [
			['/embed', { body: { inputs: [] } }, 400, 'Empty'],
			['/embed', { body: { inputs: ['parse', ''] } }, 400, 'Empty'],
			['/v1/embeddings', { body: { input: [], model: 'x' } }, 400, 'Empty'],
			['/embed', { body: { inputs: 42 } }, 422, 'Validation'],
			['/embed', { body: { inputs: ['parse'], normalize: 'yes' } }, 422, 'Validation'],
			['/v1/embeddings', { body: { input: 'parse', encoding_format: 'hex' } }, 422, 'Validation'],
			['/embed', { raw: '{"inputs": [' }, 400, 'Validation'],
			['/embed', { body: { inputs: ['a', 'b', 'c', 'd', 'e'] } }, 413, 'Validation'],
			['/embed', { body: { inputs: 'parse' }, key: null }, 401, 'Validation'],
			['/v1/embeddings', { body: { input: 'parse' }, key: 'worker-test-KEY-wrong' }, 401, 'Validation'],
			['/embed', { method: 'GET' }, 405, 'Validation'],
		];
		for (const [path, options, status, errorType] of cases) {
			const answer = await checked(plain.url, path, options);
			assert.equal(answer.status, status, `${path} ${JSON.stringify(options)}: ${JSON.stringify(answer.body)}`);
			assert.equal((answer.body as { error_type: string }).error_type, errorType);
		}
		const field = await checked(plain.url, '/v1/embeddings', { body: { input: 'parse', encoding_format: 'hex' } });
		assert.equal((field.body as { error: { param: string } }).error.param, 'encoding_format');
		assert.equal((await callWorker(plain.url, '/nowhere', { body: {} })).status, 404);

		const raw = (body: Buffer, contentType: string) => fetch(`${plain.url}/embed`, { method: 'POST', headers: { 'Content-Type': contentType, Authorization: `Bearer ${WORKER_KEY}` }, body });
		const wrongType = await raw(Buffer.from('{"inputs":"parse"}'), 'text/plain');
		assert.deepEqual([wrongType.status, await wrongType.json()], [415, { error: 'Send the body as JSON with Content-Type: application/json (got "text/plain")', error_type: 'Validation' }]);
		const latin1 = await raw(Buffer.from([...Buffer.from('{"inputs":"caf'), 0xe9, ...Buffer.from('"}')]), 'application/json; charset=utf-8');
		assert.deepEqual([latin1.status, await latin1.json()], [400, { error: 'The request body is not valid UTF-8', error_type: 'Validation' }]);
	});

	test('a 5 MB body gets the 413 answer (read and dropped), not a broken connection', async () => {
		const body = JSON.stringify({ inputs: ['parse '.repeat(900_000)] });
		const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
			const request = httpRequest(`${plain.url}/embed`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${WORKER_KEY}` } }, (response) => {
				let text = '';
				response.on('data', (chunk: Buffer) => (text += chunk.toString()));
				response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
			});
			request.on('error', reject);
			request.end(body);
		});
		assert.deepEqual([answer.status, JSON.parse(answer.text)], [413, { error: 'The request body exceeds 2097152 bytes', error_type: 'Validation' }]);
		const viaFetch = await fetch(`${plain.url}/v1/embeddings`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${WORKER_KEY}` }, body });
		assert.equal(viaFetch.status, 413);
		assert.equal(openAiProblems(413, await viaFetch.json()), '');
	});

	test('a client that hangs up halfway through its body leaves no request in flight: the worker still closes', async () => {
		const leaving = await startTinyWorker(models, {});
		const { port, hostname } = new URL(leaving.url);
		const socket = connect(Number(port), hostname);
		await new Promise((resolve) => socket.once('connect', resolve));
		socket.write(`POST /embed HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${WORKER_KEY}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"inputs":["par`);
		await new Promise((resolve) => setTimeout(resolve, 100));
		socket.destroy();
		await new Promise((resolve) => setTimeout(resolve, 100));
		const closed = await Promise.race([leaving.close().then(() => 'closed'), new Promise((resolve) => setTimeout(() => resolve('still waiting after 5 s'), 5000))]);
		assert.equal(closed, 'closed');
	});

	test("/metrics has TEI's te_* metrics, served without the key with --public-metrics and on --prometheus-port", async () => {
		await checked(worker.url, '/embed', { body: { inputs: ['parse', 'file'] } });
		await checked(worker.url, '/embed', { body: { inputs: 'parse' } });
		await checked(worker.url, '/embed', { body: { inputs: ['a', 'b'], dimensions: 0 } });
		const text = (await callWorker(worker.url, '/metrics', { key: null })).body as string;
		const names = [...new Set([...text.matchAll(/^# TYPE (te_\w+) /gm)].map((match) => match[1]))].sort();
		assert.deepEqual(names, [
			'te_batch_next_size', 'te_batch_next_tokens', 'te_embed_count', 'te_embed_duration', 'te_embed_inference_duration', 'te_embed_queue_duration', 'te_embed_success',
			'te_embed_tokenization_duration', 'te_predict_count', 'te_predict_duration', 'te_predict_inference_duration', 'te_predict_queue_duration', 'te_predict_success',
			'te_predict_tokenization_duration', 'te_queue_size', 'te_request_count', 'te_request_duration', 'te_request_failure', 'te_request_inference_duration',
			'te_request_input_length', 'te_request_queue_duration', 'te_request_success', 'te_request_tokenization_duration',
		]);
		assert.ok(metricValue(text, 'te_request_count{method="batch"}') >= 2);
		assert.ok(metricValue(text, 'te_request_success{method="single"}') >= 1);
		assert.ok(metricValue(text, 'te_request_failure{err="validation"}') >= 1);
		assert.ok(metricValue(text, 'te_embed_success') >= 3);
		assert.match(text, /^te_request_duration_bucket\{le="0\.0000225\d*"\} /m, "TEI's buckets: 1e-5 s times 1.5, again and again");
		assert.match(text, /^repomind_worker_texts_total\{kind="embed"\} /m);
		const port = await fetch(`${worker.metricsUrl}/metrics`);
		assert.equal(port.status, 200);
		assert.match(await port.text(), /^# TYPE te_request_count counter/m);
		assert.equal((await callWorker(plain.url, '/metrics', { key: null })).status, 401, 'without --public-metrics the key is needed');
	});
});
