import type { Embedder } from '../types';
import { BatchingEmbedder, type BatchingOptions } from './batching';
import { HashEmbedder, type HashEmbedderOptions } from './hash';
import { HuggingFaceEmbedder, type HuggingFaceEmbedderOptions } from './huggingface';
import { OnnxEmbedder, type OnnxEmbedderOptions } from './onnx';
import { OpenAIEmbedder, type OpenAIEmbedderOptions } from './openai';
import { StaticEmbedder, type StaticEmbedderOptions } from './static';

export { BatchingEmbedder, HashEmbedder, HuggingFaceEmbedder, OnnxEmbedder, OpenAIEmbedder, StaticEmbedder };
export type { BatchingOptions, HashEmbedderOptions, HuggingFaceEmbedderOptions };
export type { OnnxEmbedderOptions, OpenAIEmbedderOptions, StaticEmbedderOptions };
export { STATIC_MODEL, STATIC_MODEL_ID } from './static';
export { embeddingError } from './errors';
export { codeTokens, hashEmbedding } from './hash';

/** How to embed: a provider with its options, plus batching, concurrency and retries. */
export type EmbedderConfig = (
	| ({ provider: 'openai' } & OpenAIEmbedderOptions)
	| ({ provider: 'huggingface' } & HuggingFaceEmbedderOptions)
	| ({ provider: 'onnx' } & OnnxEmbedderOptions)
	| ({ provider: 'hash' } & HashEmbedderOptions)
	| ({ provider: 'static' } & StaticEmbedderOptions)
) &
	BatchingOptions;

/** Default batching per provider: local models run one batch at a time. */
const DEFAULTS: Record<EmbedderConfig['provider'], BatchingOptions> = {
	openai: { batchSize: 128, concurrency: 2 },
	huggingface: { batchSize: 32, concurrency: 2 },
	onnx: { batchSize: 32, concurrency: 1, retries: 0 },
	hash: { batchSize: 1024, concurrency: 1, retries: 0 },
	static: { batchSize: 1024, concurrency: 1, retries: 0 },
};

/** The provider's embedder wrapped in a BatchingEmbedder. */
export function createEmbedder(config: EmbedderConfig): BatchingEmbedder {
	const { batchSize, maxBatchTokens, concurrency, retries, baseDelayMs, maxDelayMs } = config;
	const batching: BatchingOptions = { ...DEFAULTS[config.provider] };
	const given = { batchSize, maxBatchTokens, concurrency, retries, baseDelayMs, maxDelayMs };
	for (const [key, value] of Object.entries(given)) {
		if (value !== undefined) Object.assign(batching, { [key]: value });
	}
	batching.countTokens = config.countTokens;
	batching.onRetry = config.onRetry;
	return new BatchingEmbedder(providerEmbedder(config), batching);
}

function providerEmbedder(config: EmbedderConfig): Embedder {
	switch (config.provider) {
		case 'openai':
			return new OpenAIEmbedder(config);
		case 'huggingface':
			return new HuggingFaceEmbedder(config);
		case 'onnx':
			return new OnnxEmbedder(config);
		case 'hash':
			return new HashEmbedder(config);
		case 'static':
			return new StaticEmbedder(config);
	}
}
