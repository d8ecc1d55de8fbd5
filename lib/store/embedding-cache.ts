import type { Pool, RowDataPacket } from 'mysql2/promise';
import { ServiceError } from '../errors';
import type { Embedder } from '../types';

/** One text to embed, with the key it is cached under (a content or text hash). */
export interface CacheableText {
	key: string;
	text: string;
}

export interface CachedEmbedResult {
	/** One vector per input, in input order (float32 precision, as stored). */
	vectors: number[][];
	/** Texts actually sent to the embedder (distinct keys that were not cached). */
	embedded: number;
	/** Inputs answered from the cache. */
	cacheHits: number;
}

const LOOKUP_BATCH = 500;

/** Vectors in MySQL keyed by (model, text hash), so identical text is never embedded twice. */
export class EmbeddingCache {
	constructor(private readonly pool: Pool) {}

	/** Cached vectors for the keys that have one. */
	async get(model: string, keys: string[]): Promise<Map<string, number[]>> {
		const found = new Map<string, number[]>();
		const distinct = [...new Set(keys)];
		for (let i = 0; i < distinct.length; i += LOOKUP_BATCH) {
			const batch = distinct.slice(i, i + LOOKUP_BATCH);
			const [rows] = await this.pool.query<RowDataPacket[]>(
				'SELECT text_hash, vector FROM repomind_embedding_cache WHERE model = ? AND text_hash IN (?)',
				[model, batch],
			);
			for (const row of rows) found.set(row.text_hash as string, decodeVector(row.vector as Buffer));
		}
		return found;
	}

	/** Stores vectors; existing entries are kept. */
	async put(model: string, entries: Array<[key: string, vector: number[]]>): Promise<void> {
		for (let i = 0; i < entries.length; i += LOOKUP_BATCH) {
			const rows = entries
				.slice(i, i + LOOKUP_BATCH)
				.map(([key, vector]) => [model, key, vector.length, encodeVector(vector)]);
			await this.pool.query(
				'INSERT IGNORE INTO repomind_embedding_cache (model, text_hash, dimensions, vector) VALUES ?',
				[rows],
			);
		}
	}

	/**
	 * Embeds only what the cache lacks (each distinct key once) and returns every input's vector.
	 * Cached vectors must have the dimension the embedder answers: otherwise two models share the id.
	 */
	async embed(embedder: Embedder & { dimensions?: number }, items: CacheableText[]): Promise<CachedEmbedResult> {
		const cached = await this.get(embedder.modelId, items.map((item) => item.key));
		const missing = new Map<string, string>();
		for (const item of items) if (!cached.has(item.key)) missing.set(item.key, item.text);
		let dimensions = embedder.dimensions;
		if (missing.size > 0) {
			const keys = [...missing.keys()];
			const fresh = await embedder.embed([...missing.values()]);
			const entries = keys.map((key, i): [string, number[]] => [key, toFloat32(fresh[i])]);
			dimensions = entries[0][1].length;
			checkDimensions(embedder.modelId, dimensions, cached);
			await this.put(embedder.modelId, entries);
			for (const [key, vector] of entries) cached.set(key, vector);
		} else if (dimensions !== undefined) checkDimensions(embedder.modelId, dimensions, cached);
		return {
			vectors: items.map((item) => cached.get(item.key)!),
			embedded: missing.size,
			cacheHits: items.length - items.filter((item) => missing.has(item.key)).length,
		};
	}
}

/** Vectors of different dimensions under one model id: a setup error, never one file's fault. */
export class EmbeddingSpaceError extends ServiceError {}

function checkDimensions(model: string, dimensions: number, cached: Map<string, number[]>): void {
	for (const vector of cached.values()) {
		if (vector.length !== dimensions) {
			throw new EmbeddingSpaceError(
				`The embedding cache holds ${vector.length}-d vectors for ${model}, but the embedder answers ${dimensions}-d`,
				'Two different models were used under one model id (e.g. a changed model behind the same name). Delete that model\'s rows from repomind_embedding_cache and re-index with one model.',
			);
		}
	}
}

/** Rounds to float32, the precision stored in MySQL and in Chroma, so fresh and cached vectors agree. */
export function toFloat32(vector: number[]): number[] {
	return Array.from(Float32Array.from(vector));
}

function encodeVector(vector: number[]): Buffer {
	return Buffer.from(Float32Array.from(vector).buffer);
}

function decodeVector(buffer: Buffer): number[] {
	const aligned = new Uint8Array(buffer.byteLength);
	aligned.set(buffer);
	return Array.from(new Float32Array(aligned.buffer));
}
