import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { WorkerConfig } from './config';
import { HttpError, validate } from './http';
import { decodeSchema, embedSchema, openAiSchema, plainEmbedRequest, plainOpenAiRequest, rerankSchema, similaritySchema, tokenizeSchema } from './requests';
import type { EmbedInput, EmbeddingService } from './service';
import { JsonText, vectorJson } from './vector-json';

/** A JSON route: `handle` gets the parsed body (POST) and returns what is sent with status 200. */
export interface Route {
	method: 'GET' | 'POST';
	path: string;
	/** Error bodies in text-embeddings-inference's or OpenAI's shape. */
	flavour: 'tei' | 'openai';
	/** Whether the route runs the model (TEI's `te_request_*` metrics count it). */
	inference?: boolean;
	handle(body: unknown): Promise<unknown>;
}

type Limits = Pick<WorkerConfig, 'maxClientBatchSize' | 'autoTruncate'>;

/** TEI's `Input` (and OpenAI's `input`): a single ids array is one input, like a single string. */
function list(value: string | number[] | Array<string | number[]>): EmbedInput[] {
	if (typeof value === 'string') return [value];
	if (value.length > 0 && value.every((item) => typeof item === 'number')) return [value as number[]];
	return value as EmbedInput[];
}

/** The HTTP API: TEI's routes (those an embedding model and a cross-encoder serve) and OpenAI's embeddings. */
export function apiRoutes(service: EmbeddingService, limits: Limits): Route[] {
	const checkCount = (count: number, what = 'Batch') => {
		if (count === 0) throw new HttpError(400, `${what} is empty`, 'Empty');
		if (count > limits.maxClientBatchSize) {
			throw new HttpError(413, `batch size ${count} > maximum allowed batch size ${limits.maxClientBatchSize}`, 'Validation');
		}
	};
	const embed = async (body: unknown) => {
		const request = plainEmbedRequest(body) ?? validate(embedSchema, body);
		const items = list(request.inputs);
		checkCount(items.length);
		const truncate = request.truncate ?? limits.autoTruncate;
		const options = { normalize: request.normalize, truncate, direction: request.truncation_direction, promptName: request.prompt_name, dimensions: request.dimensions };
		return new JsonText(`[${(await service.embed(items, options)).vectors.map(vectorJson).join(',')}]`);
	};
	const openAi = async (body: unknown) => {
		const request = plainOpenAiRequest(body) ?? validate(openAiSchema, body);
		const items = list(request.input);
		checkCount(items.length);
		const { modelId } = service.info;
		const { vectors, tokens } = await service.embed(items, { normalize: true, truncate: limits.autoTruncate, dimensions: request.dimensions });
		const encode = request.encoding_format === 'base64' ? (vector: Float32Array) => JSON.stringify(toBase64(vector)) : vectorJson;
		const data = vectors.map((vector, index) => `{"object":"embedding","index":${index},"embedding":${encode(vector)}}`);
		const usage = JSON.stringify({ prompt_tokens: tokens, total_tokens: tokens });
		return new JsonText(`{"object":"list","data":[${data.join(',')}],"model":${JSON.stringify(modelId)},"usage":${usage}}`);
	};
	const unsupported = (path: string, message: string): Route => ({
		method: 'POST', path, flavour: 'tei', inference: true,
		async handle() {
			throw new HttpError(424, message, 'Backend');
		},
	});
	const tei = (path: string, handle: Route['handle']): Route => ({ method: 'POST', path, flavour: 'tei', inference: true, handle });
	return [
		{ method: 'GET', path: '/info', flavour: 'tei', handle: async () => info(service, limits) },
		tei('/embed', embed),
		tei('/', embed),
		tei('/invocations', embed),
		tei('/rerank', async (body) => {
			const request = validate(rerankSchema, body);
			checkCount(request.texts.length, '`texts`');
			const truncate = request.truncate ?? limits.autoTruncate;
			const scores = await service.rerank(request.query, request.texts, { rawScores: request.raw_scores, truncate, direction: request.truncation_direction });
			const ranked = scores.map((score, index) => ({ index, score, ...(request.return_text ? { text: request.texts[index] } : {}) }));
			return ranked.sort((a, b) => b.score - a.score || a.index - b.index);
		}),
		tei('/similarity', async (body) => {
			const request = validate(similaritySchema, body);
			const { source_sentence: source, sentences } = request.inputs;
			if (sentences.length === 0) throw new HttpError(400, '`inputs.sentences` cannot be empty', 'Empty');
			checkCount(sentences.length + 1);
			const parameters = request.parameters;
			const options = { normalize: true, truncate: parameters?.truncate ?? limits.autoTruncate, direction: parameters?.truncation_direction, promptName: parameters?.prompt_name };
			const [first, ...rest] = (await service.embed([source, ...sentences], options)).vectors;
			return rest.map((vector) => vector.reduce((sum, value, i) => sum + value * first[i], 0));
		}),
		{
			method: 'POST', path: '/tokenize', flavour: 'tei',
			async handle(body) {
				const request = validate(tokenizeSchema, body);
				const texts = typeof request.inputs === 'string' ? [request.inputs] : request.inputs;
				checkCount(texts.length);
				const tokenizer = service.tokenizer;
				const prompt = request.prompt_name === undefined ? '' : service.promptText(request.prompt_name);
				return texts.map((text) => tokenizer.tokenize(`${prompt}${text}`, request.add_special_tokens));
			},
		},
		{
			method: 'POST', path: '/decode', flavour: 'tei',
			async handle(body) {
				const request = validate(decodeSchema, body);
				const sequences = request.ids.length > 0 && request.ids.every((id) => typeof id === 'number') ? [request.ids as number[]] : (request.ids as number[][]);
				checkCount(sequences.length);
				return sequences.map((sequence) => service.tokenizer.decode(sequence, request.skip_special_tokens));
			},
		},
		unsupported('/embed_all', 'This worker answers pooled embeddings only: /embed_all is not served'),
		unsupported('/embed_sparse', '`embed_sparse` is only available for SPLADE models'),
		unsupported('/predict', 'Model is not a classifier'),
		{ method: 'POST', path: '/v1/embeddings', flavour: 'openai', inference: true, handle: openAi },
		{ method: 'POST', path: '/embeddings', flavour: 'openai', inference: true, handle: openAi },
	];
}

/** TEI's `Info`, plus the worker's own fields. */
function info(service: EmbeddingService, limits: Limits) {
	const { modelId, rerankModelId, dimension, maxInputTokens, device, dtype, pooling, backend } = service.info;
	const config = service.batching;
	return {
		model_id: modelId,
		model_sha: null,
		model_dtype: { fp32: 'float32', fp16: 'float16' }[dtype] ?? dtype,
		served_model_name: modelId,
		model_type: { embedding: { pooling } },
		max_concurrent_requests: config.maxQueue,
		max_input_length: maxInputTokens,
		max_batch_tokens: config.maxBatchTokens,
		max_batch_requests: config.maxBatchSize,
		max_client_batch_size: limits.maxClientBatchSize,
		auto_truncate: limits.autoTruncate,
		tokenization_workers: 1,
		version: packageVersion(),
		sha: null,
		docker_label: null,
		rerank_model_id: rerankModelId,
		dimension,
		max_batch_size: config.maxBatchSize,
		max_wait_ms: config.maxWaitMs,
		max_queue: config.maxQueue,
		device,
		dtype,
		pooling,
		backend,
	};
}

let version: string | undefined;
/** This package's version (the nearest package.json above this file). */
function packageVersion(): string {
	if (version) return version;
	for (let folder = __dirname; folder !== dirname(folder); folder = dirname(folder)) {
		const file = join(folder, 'package.json');
		if (existsSync(file)) return (version = String((JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? '0.0.0'));
	}
	return (version = '0.0.0');
}

/** OpenAI's base64 encoding: little-endian float32 bytes. */
export function toBase64(vector: Float32Array): string {
	return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64');
}
