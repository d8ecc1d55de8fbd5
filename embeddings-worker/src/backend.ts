/** What the HTTP layer needs from a model backend. */
import type { InputTokenizer, TruncationDirection } from './tokenizer';

export interface BackendInfo {
	/** The embedding model, e.g. `Xenova/all-MiniLM-L6-v2` or a local folder's name. */
	modelId: string;
	/** The cross-encoder used by /rerank, or null when rerank is not available. */
	rerankModelId: string | null;
	/** Vector dimension. */
	dimension: number;
	/** Longest input in tokens (special tokens included); longer inputs are truncated or refused. */
	maxInputTokens: number;
	/** `cpu`, `cuda`, … or `remote` for a proxy. */
	device: string;
	/** Weight precision, e.g. `fp32`, or `remote`. */
	dtype: string;
	/** How token vectors become one vector: `mean`, `cls`, or `remote`. */
	pooling: string;
	backend: 'onnx' | 'huggingface';
}

/** A (query, text) pair for the cross-encoder, and the end a too-long pair is cut at (default Right). */
export type RerankPair = [query: string, text: string, direction?: TruncationDirection];

/** A text (a remote backend tokenizes it) or the token ids a local model runs. */
export type ModelInput = string | Int32Array;

/** A model that embeds inputs and, optionally, scores (query, text) pairs. */
export interface EmbeddingBackend {
	/** Load the model(s) and probe the dimension; called once before serving. */
	load(): Promise<BackendInfo>;
	/** The tokenizer inputs are turned into ids with on the calling thread; absent for a remote backend. */
	readonly tokenizer?: InputTokenizer;
	/** Token count of each text (an estimate where no tokenizer is at hand). */
	countTokens(text: string): number;
	/** Token count of a (query, text) pair as the cross-encoder sees it, where its tokenizer is at hand. */
	countPairTokens?(query: string, text: string): number;
	/** Raw (unnormalised) pooled vectors, one per input; texts are truncated to maxInputTokens. */
	embed(inputs: ModelInput[]): Promise<Float32Array[]>;
	/** Raw relevance logits of (query, text) pairs, or undefined when there is no cross-encoder. */
	readonly scorePairs?: (pairs: RerankPair[]) => Promise<number[]>;
	/** How many runs the backend does at once (model copies); default 1. */
	readonly concurrency?: number;
	/** Release the model sessions. */
	close(): Promise<void>;
	/** Why the backend can no longer serve (e.g. its model thread died); undefined while it can. */
	readonly failure?: Error;
}

/**
 * The first `dimensions` components (Matryoshka), l2-normalised when asked (a zero vector stays zero),
 * as float32 values, as text-embeddings-inference answers them.
 */
export function finishVector(vector: Float32Array, normalize: boolean, dimensions = vector.length): Float32Array {
	const out = vector.slice(0, dimensions);
	let sum = 0;
	for (let i = 0; i < dimensions; i++) sum += out[i] * out[i];
	const norm = Math.sqrt(sum);
	if (normalize && norm > 0) for (let i = 0; i < dimensions; i++) out[i] /= norm;
	return out;
}

/** The logistic function, as text-embeddings-inference applies it to cross-encoder logits. */
export function sigmoid(logit: number): number {
	return 1 / (1 + Math.exp(-logit));
}
