import { z } from 'zod';
import type { WorkerConfig } from './config';
import { HttpError, validate } from './http';
import type { EmbeddingService } from './service';

/** A JSON route: `handle` gets the parsed body (POST) and returns what is sent with status 200. */
export interface Route {
	method: 'GET' | 'POST';
	path: string;
	/** Error bodies in text-embeddings-inference's or OpenAI's shape. */
	flavour: 'tei' | 'openai';
	/** Whether the API key is required (when one is set). */
	auth: boolean;
	handle(body: unknown): Promise<unknown>;
}

const text = z.string().min(1, 'must not be empty');
const TEXTS_MESSAGE = 'must be a non-empty string or an array of non-empty strings';
const texts = (suffix = '') =>
	z.union([text, z.array(text).min(1, 'must hold at least one text')], {
		errorMap: (_, context) => ({ message: context.data === undefined ? 'Required' : `${TEXTS_MESSAGE}${suffix}` }),
	});

const embedSchema = z.object({ inputs: texts(), normalize: z.boolean().default(true), truncate: z.boolean().optional() });

const rerankSchema = z.object({
	query: text,
	texts: z.array(text).min(1, 'must hold at least one text'),
	raw_scores: z.boolean().default(false),
	return_text: z.boolean().default(false),
	truncate: z.boolean().optional(),
});

const openAiSchema = z.object({
	input: texts(' (token arrays are not supported)'),
	model: z.string().optional(),
	encoding_format: z.enum(['float', 'base64']).default('float'),
	dimensions: z.number().int().positive().optional(),
	user: z.string().optional(),
});

type Limits = Pick<WorkerConfig, 'maxClientBatchSize' | 'autoTruncate'>;

/** The HTTP API: TEI's /embed, /rerank and /info, and OpenAI's /v1/embeddings. */
export function apiRoutes(service: EmbeddingService, limits: Limits): Route[] {
	const checkCount = (count: number) => {
		if (count > limits.maxClientBatchSize) {
			throw new HttpError(413, `batch size ${count} > maximum allowed batch size ${limits.maxClientBatchSize}`, 'Validation');
		}
	};
	const list = (input: string | string[]) => (typeof input === 'string' ? [input] : input);
	return [
		{ method: 'GET', path: '/info', flavour: 'tei', auth: true, handle: async () => info(service, limits) },
		{
			method: 'POST', path: '/embed', flavour: 'tei', auth: true,
			async handle(body) {
				const request = validate(embedSchema, body);
				const inputs = list(request.inputs);
				checkCount(inputs.length);
				const truncate = request.truncate ?? limits.autoTruncate;
				return (await service.embed(inputs, { normalize: request.normalize, truncate })).vectors;
			},
		},
		{
			method: 'POST', path: '/rerank', flavour: 'tei', auth: true,
			async handle(body) {
				const request = validate(rerankSchema, body);
				checkCount(request.texts.length);
				const truncate = request.truncate ?? limits.autoTruncate;
				const scores = await service.rerank(request.query, request.texts, { rawScores: request.raw_scores, truncate });
				const ranked = scores.map((score, index) => ({ index, score, ...(request.return_text ? { text: request.texts[index] } : {}) }));
				return ranked.sort((a, b) => b.score - a.score || a.index - b.index);
			},
		},
		{
			method: 'POST', path: '/v1/embeddings', flavour: 'openai', auth: true,
			async handle(body) {
				const request = validate(openAiSchema, body);
				const inputs = list(request.input);
				checkCount(inputs.length);
				const { modelId, dimension } = service.info;
				if (request.dimensions !== undefined && request.dimensions !== dimension) {
					throw new HttpError(400, `This model answers ${dimension}-d vectors; dimensions ${request.dimensions} is not supported`, 'Validation');
				}
				const { vectors, tokens } = await service.embed(inputs, { normalize: true, truncate: limits.autoTruncate });
				const encode = request.encoding_format === 'base64' ? toBase64 : (vector: number[]) => vector;
				return {
					object: 'list',
					data: vectors.map((vector, index) => ({ object: 'embedding', index, embedding: encode(vector) })),
					model: modelId,
					usage: { prompt_tokens: tokens, total_tokens: tokens },
				};
			},
		},
	];
}

function info(service: EmbeddingService, limits: Limits) {
	const { modelId, rerankModelId, dimension, maxInputTokens, device, dtype, pooling, backend } = service.info;
	const config = service.batching;
	return {
		model_id: modelId,
		rerank_model_id: rerankModelId,
		model_type: rerankModelId ? 'embedding+reranker' : 'embedding',
		dimension,
		max_input_length: maxInputTokens,
		max_batch_size: config.maxBatchSize,
		max_batch_tokens: config.maxBatchTokens,
		max_wait_ms: config.maxWaitMs,
		max_queue: config.maxQueue,
		max_client_batch_size: limits.maxClientBatchSize,
		auto_truncate: limits.autoTruncate,
		device,
		dtype,
		pooling,
		backend,
	};
}

/** OpenAI's base64 encoding: little-endian float32 bytes. */
export function toBase64(vector: number[]): string {
	return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}
