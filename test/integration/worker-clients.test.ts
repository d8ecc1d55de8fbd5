import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { InferenceClient } from '@huggingface/inference';
import { OpenAIEmbeddings } from '@langchain/openai';
import OpenAI from 'openai';
import type { EmbeddingsWorker } from '../../embeddings-worker/src';
import { expectedTinyVector } from '../support/tiny-onnx-model';
import { openAiProblems, teiProblems } from '../support/worker-specs';
import { closeTo, startTinyWorker, WORKER_KEY, writeTinyModels, type TinyModels } from '../support/worker-server';

const WORDS = 'function class return const import export async await parse file path read write chunk embed vector'.split(' ');
/** Distinct texts of vocabulary words. */
const texts = (count: number) => Array.from({ length: count }, (_, i) => [WORDS[i % 16], WORDS[Math.floor(i / 16) % 16], WORDS[Math.floor(i / 256) % 16]].join(' '));
const normalise = (vector: number[]) => vector.map((value) => value / Math.hypot(...vector));

/**
 * A fetch for the clients that validates each answer of the worker against TEI's and OpenAI's
 * documents before the client sees it, and counts the requests.
 */
function validatingFetch(log: string[]): typeof fetch {
	return async (input, init) => {
		const response = await fetch(input, init);
		const path = new URL(typeof input === 'string' || input instanceof URL ? input : input.url).pathname;
		const body = (await response.clone().json()) as unknown;
		log.push(`${path} ${response.status}`);
		const encoding = JSON.parse(String(init?.body ?? '{}')).encoding_format as string | undefined;
		assert.equal(teiProblems(path, 'post', response.status, body), '', `${path} ${response.status} against TEI`);
		if (path.endsWith('/embeddings') && !(encoding === 'base64' && response.ok)) assert.equal(openAiProblems(response.status, body), '', `${path} ${response.status} against OpenAI`);
		return response;
	};
}

describe('embeddings worker: the official openai client, @huggingface/inference and LangChain against the tiny models', () => {
	let models: TinyModels;
	let worker: EmbeddingsWorker;
	const requests: string[] = [];
	const expected = (text: string) => expectedTinyVector(models.embed, text.split(' '));
	const long = `${'parse '.repeat(300)}${'file '.repeat(300)}`.trim();

	before(async () => {
		models = writeTinyModels();
		worker = await startTinyWorker(models, { matryoshka: true });
	});
	after(async () => {
		await worker.close();
		models.remove();
	});

	test('openai: default (base64) and float, batches of 1, 512 and 2048, token inputs, dimensions, errors', async () => {
		const openai = new OpenAI({ apiKey: WORKER_KEY, baseURL: `${worker.url}/v1`, fetch: validatingFetch(requests), maxRetries: 0 });
		const [one] = (await openai.embeddings.create({ model: 'tiny-embed', input: 'parse file' })).data;
		assert.ok(closeTo(one.embedding, expected('parse file'), 1e-6), 'default: the client asks for base64 and decodes it');
		for (const size of [1, 512, 2048]) {
			const input = texts(size);
			const answer = await openai.embeddings.create({ model: 'tiny-embed', input, encoding_format: 'float' });
			assert.equal(answer.data.length, size);
			for (const i of [0, size - 1]) assert.ok(closeTo(answer.data[i].embedding, expected(input[i])), `batch ${size}, input ${i}`);
		}
		const ids = [2, models.embed.vocab.parse, models.embed.vocab.file, 3];
		const tokens = await openai.embeddings.create({ model: 'tiny-embed', input: [ids, ids.slice(0, 2).concat(3)] });
		assert.ok(closeTo(tokens.data[0].embedding, expected('parse file')));
		assert.ok(closeTo(tokens.data[1].embedding, expected('parse')));
		const short = await openai.embeddings.create({ model: 'tiny-embed', input: 'parse file', dimensions: 16, encoding_format: 'float' });
		assert.ok(closeTo(short.data[0].embedding, normalise(expected('parse file').slice(0, 16))));
		const truncated = await openai.embeddings.create({ model: 'tiny-embed', input: long, encoding_format: 'float' });
		assert.ok(closeTo(truncated.data[0].embedding, expectedTinyVector(models.embed, long.split(' ').slice(0, 510))), 'cut on the right');

		const anonymous = new OpenAI({ apiKey: 'sk-wrong-key-12345', baseURL: `${worker.url}/v1`, fetch: validatingFetch(requests), maxRetries: 0 });
		await assert.rejects(anonymous.embeddings.create({ model: 'x', input: 'parse' }), (error: InstanceType<typeof OpenAI.APIError>) => {
			assert.equal(error.status, 401);
			assert.equal(error.code, 'invalid_api_key');
			return true;
		});
		await assert.rejects(openai.embeddings.create({ model: 'x', input: 'parse '.repeat(900_000) }), (error: InstanceType<typeof OpenAI.APIError>) => {
			assert.equal(error.status, 413, 'a 5 MB body: the client gets the 413, not a broken pipe');
			return true;
		});
	});

	test('@huggingface/inference featureExtraction with the worker as endpoint (POST /): truncation both ways, prompts, normalize', async () => {
		const client = new InferenceClient(WORKER_KEY).endpoint(worker.url);
		const options = { fetch: validatingFetch(requests), retry_on_error: false };
		const vectors = (await client.featureExtraction({ inputs: ['parse file', 'commit tree'] }, options)) as number[][];
		assert.ok(closeTo(vectors[0], expected('parse file')));
		assert.ok(closeTo(vectors[1], expected('commit tree')));
		const words = long.split(' ');
		const right = (await client.featureExtraction({ inputs: [long], truncate: true, truncation_direction: 'right' }, options)) as number[][];
		const left = (await client.featureExtraction({ inputs: [long], truncate: true, truncation_direction: 'left' }, options)) as number[][];
		assert.ok(closeTo(right[0], expectedTinyVector(models.embed, words.slice(0, 510))));
		assert.ok(closeTo(left[0], expectedTinyVector(models.embed, words.slice(-510))));
		const raw = (await client.featureExtraction({ inputs: ['parse'], normalize: false }, options)) as number[][];
		assert.ok(closeTo(normalise(raw[0]), expected('parse')));
		await assert.rejects(client.featureExtraction({ inputs: ['parse'], prompt_name: 'query' }, options), /prompt_name "query" is not one of the model's prompts \(it has none\)/);
	});

	test("LangChain: OpenAIEmbeddings with its default batch of 512 (600 texts), a query, dimensions; HuggingFaceInferenceEmbeddings' call", async () => {
		const log: string[] = [];
		const embeddings = new OpenAIEmbeddings({ apiKey: WORKER_KEY, model: 'tiny-embed', configuration: { baseURL: `${worker.url}/v1`, fetch: validatingFetch(log) }, maxRetries: 0 });
		const documents = texts(600);
		const vectors = await embeddings.embedDocuments(documents);
		assert.equal(vectors.length, 600);
		assert.deepEqual(log, ['/v1/embeddings 200', '/v1/embeddings 200'], 'two requests: 512 and 88 texts');
		for (const i of [0, 511, 512, 599]) assert.ok(closeTo(vectors[i], expected(documents[i])), `document ${i}`);
		assert.ok(closeTo(await embeddings.embedQuery('vector index'), expected('vector index')));
		const short = new OpenAIEmbeddings({ apiKey: WORKER_KEY, model: 'tiny-embed', dimensions: 16, configuration: { baseURL: `${worker.url}/v1` } });
		assert.ok(closeTo(await short.embedQuery('parse file'), normalise(expected('parse file').slice(0, 16))));

		// what @langchain/community's HuggingFaceInferenceEmbeddings sends with an endpointUrl (that package's
		// peer dependencies do not resolve in this project, so its one call is made here as it makes it)
		const hf = new InferenceClient(WORKER_KEY);
		const batch = documents.slice(0, 512);
		const viaLangChain = (await hf.endpoint(worker.url).featureExtraction({ inputs: batch, model: 'BAAI/bge-base-en-v1.5' }, { fetch: validatingFetch(log) })) as number[][];
		assert.equal(viaLangChain.length, 512);
		for (const i of [0, 511]) assert.ok(closeTo(viaLangChain[i], vectors[i]), `the same vector through both clients, ${i}`);
	});
});
