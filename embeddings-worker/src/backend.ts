/** What the HTTP layer needs from a model backend. */

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

/** A model that embeds texts and, optionally, scores (query, text) pairs. */
export interface EmbeddingBackend {
	/** Load the model(s) and probe the dimension; called once before serving. */
	load(): Promise<BackendInfo>;
	/** Token count of each text (an estimate where no tokenizer is at hand). */
	countTokens(text: string): number;
	/** Raw (unnormalised) pooled vectors, one per text, inputs truncated to maxInputTokens. */
	embed(texts: string[]): Promise<number[][]>;
	/** Raw relevance logits of (query, text) pairs, or undefined when there is no cross-encoder. */
	readonly scorePairs?: (pairs: Array<[string, string]>) => Promise<number[]>;
	/** Release the model sessions. */
	close(): Promise<void>;
	/** Why the backend can no longer serve (e.g. its model thread died); undefined while it can. */
	readonly failure?: Error;
}

/** l2-normalised copy of a vector (a zero vector stays zero). */
export function l2Normalize(vector: number[]): number[] {
	const norm = Math.hypot(...vector);
	return norm === 0 ? vector.slice() : vector.map((value) => value / norm);
}

/** The logistic function, as text-embeddings-inference applies it to cross-encoder logits. */
export function sigmoid(logit: number): number {
	return 1 / (1 + Math.exp(-logit));
}
