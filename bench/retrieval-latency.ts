import { lexicalWords } from '../lib/retrieve/lexical-text';
import type { Chunk, Embedder } from '../lib/types';

/** An embedder that answers from vectors computed beforehand, so timings exclude query embedding. */
export class PrecomputedEmbedder implements Embedder {
	private readonly vectors = new Map<string, number[]>();
	constructor(readonly inner: Embedder) {}
	get modelId(): string {
		return this.inner.modelId;
	}
	/** Embeds the texts now, with the inner embedder, and keeps their vectors. */
	async prepare(texts: string[]): Promise<void> {
		const vectors = await this.inner.embed(texts);
		texts.forEach((text, i) => this.vectors.set(text, vectors[i]));
	}
	/** Vectors of prepared texts; anything else goes to the inner embedder. */
	async embed(texts: string[]): Promise<number[][]> {
		const missing = texts.filter((text) => !this.vectors.has(text));
		if (missing.length > 0) await this.prepare(missing);
		return texts.map((text) => this.vectors.get(text)!);
	}
}

/**
 * Queries drawn from the corpus itself, deterministically: from every n-th chunk its longest
 * multi-part identifier, alternately as written (`getOwnPropertyNames`) and as words (`get own property names`).
 */
export function corpusQueries(chunks: Chunk[], count: number): string[] {
	const queries: string[] = [];
	const step = Math.max(1, Math.floor(chunks.length / (count * 2)));
	for (let i = 0; i < chunks.length && queries.length < count; i += step) {
		const identifiers = (chunks[i].content.match(/[A-Za-z_$][A-Za-z0-9_$]*/g) ?? []).filter((word) => lexicalWords(word).length > 2);
		if (identifiers.length === 0) continue;
		const longest = identifiers.reduce((best, word) => (word.length > best.length ? word : best));
		queries.push(queries.length % 2 === 0 ? longest : lexicalWords(longest).slice(1).join(' '));
	}
	return queries;
}

/** The p-th percentile (nearest rank) of sorted values. */
export function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
