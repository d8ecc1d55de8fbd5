import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpError } from './http';
import { hubOptions, modelPath } from './model-files';

export type Transformers = typeof import('@huggingface/transformers');
type Tokenizer = Awaited<ReturnType<Transformers['AutoTokenizer']['from_pretrained']>>;
type Tensor = InstanceType<Transformers['Tensor']>;

/** What of a transformers.js tokenizer frames an already cut pair, as its own pair call frames one. */
interface PairFraming {
	tokenize(text: string): string[];
	post_processor: ((first: string[], second: string[], options: { add_special_tokens: boolean }) => { tokens: string[]; token_type_ids?: number[] }) | null;
	model: { convert_tokens_to_ids(tokens: string[]): number[] };
	return_token_type_ids: boolean;
	pad_token_id?: number;
	padding_side: string;
}

/** Which end of a too-long input TEI's `truncation_direction` cuts. */
export type TruncationDirection = 'Left' | 'Right';

export interface EncodeOptions {
	/** Cut inputs longer than maxInputTokens (else 422). */
	truncate: boolean;
	/** Which end to cut. Default Right. */
	direction?: TruncationDirection;
	/** Text put before the input (a sentence-transformers prompt). */
	prompt?: string;
}

export interface TokenizerOptions {
	allowRemote?: boolean;
	cacheDir?: string;
	/** Cap of input tokens; default the tokenizer's model_max_length (at most 512). */
	maxInputTokens?: number;
}

/** One token as TEI's /tokenize lists it. */
export interface SimpleToken {
	id: number;
	text: string;
	special: boolean;
	start: number | null;
	stop: number | null;
}

/**
 * A model's tokenizer on the HTTP thread: inputs become token ids once, here (truncated at either
 * end with the special tokens kept, prompts put in front), and the model thread only runs them.
 */
export class InputTokenizer {
	private constructor(
		private readonly tokenizer: Tokenizer,
		/** Longest input in tokens, special tokens included. */
		readonly maxInputTokens: number,
		/** sentence-transformers prompts by name (`config_sentence_transformers.json`). */
		readonly prompts: Record<string, string>,
		private readonly prefix: number[],
		private readonly suffix: number[],
		private readonly specialIds: Set<number>,
		/** Token ids run from 0 to vocabSize - 1. */
		readonly vocabSize: number,
		private readonly tensor: Transformers['Tensor'],
	) {}

	/** The tokenizer of a model folder or hub name, with its prompts and special-token frame. */
	static async load(transformers: Transformers, name: string, options: TokenizerOptions): Promise<InputTokenizer> {
		transformers.env.allowRemoteModels = options.allowRemote ?? false;
		transformers.env.allowLocalModels = true;
		if (options.cacheDir) transformers.env.cacheDir = options.cacheDir;
		const path = modelPath(name);
		const tokenizer = await transformers.AutoTokenizer.from_pretrained(path, hubOptions(options));
		const tokenizerMax = Number(tokenizer.model_max_length) || 512;
		const probe = 'a';
		const framed = tokenizer.encode(probe);
		const bare = tokenizer.encode(probe, { add_special_tokens: false });
		const at = framed.findIndex((_, i) => bare.every((id, j) => framed[i + j] === id));
		const prefix = framed.slice(0, Math.max(0, at));
		const suffix = framed.slice(Math.max(0, at) + bare.length);
		const model = (tokenizer as unknown as { model: { vocab: unknown[] | Map<string, number> } }).model;
		const vocabSize = Array.isArray(model.vocab) ? model.vocab.length : model.vocab.size;
		const specials = (tokenizer as unknown as { all_special_ids: number[] }).all_special_ids;
		return new InputTokenizer(tokenizer, options.maxInputTokens ?? Math.min(512, tokenizerMax), readPrompts(path, options.cacheDir), prefix, suffix, new Set(specials), vocabSize, transformers.Tensor);
	}

	/** Tokens of the text with special tokens, before truncation. */
	countTokens(text: string): number {
		return this.tokenizer.encode(text).length;
	}

	/** Tokens of a (query, text) pair framed for a cross-encoder ([CLS] query [SEP] text [SEP] for BERT), before truncation. */
	countPairTokens(query: string, text: string): number {
		const framing = this.tokenizer as unknown as PairFraming;
		return framing.tokenize(query).length + framing.tokenize(text).length + this.framePair([], []).tokens.length;
	}

	/**
	 * Token ids the model runs for a text (special tokens added) or for ids (used as given; with a
	 * prompt they are decoded and encoded again behind it, as TEI does). `index` names the input in errors.
	 */
	encode(input: string | number[], options: EncodeOptions, index = 0): { ids: Int32Array; tokens: number } {
		let ids: number[];
		if (typeof input === 'string' || options.prompt !== undefined) {
			const text = typeof input === 'string' ? input : this.tokenizer.decode(this.checkIds(input, index), { skip_special_tokens: true });
			const content = this.tokenizer.encode(`${options.prompt ?? ''}${text}`, { add_special_tokens: false });
			const room = this.maxInputTokens - this.prefix.length - this.suffix.length;
			const total = content.length + this.prefix.length + this.suffix.length;
			if (total > this.maxInputTokens) this.refuseLong(total, options, index);
			ids = [...this.prefix, ...cut(content, room, options.direction), ...this.suffix];
		} else {
			const given = this.checkIds(input, index);
			if (given.length > this.maxInputTokens) this.refuseLong(given.length, options, index);
			ids = cut(given, this.maxInputTokens, options.direction);
		}
		return { ids: Int32Array.from(ids), tokens: ids.length };
	}

	/**
	 * Cross-encoder input tensors for (query, text) pairs longer than maxInputTokens, cut as TEI cuts
	 * them: each sequence loses tokens at the end (Right) or the start (Left), as many as HF
	 * tokenizers' LongestFirst strategy decides (keptLengths), and the special tokens stay.
	 * (transformers.js's own pair call would cut the framed pair at its end, dropping the last
	 * special token.) Pairs that fit give exactly transformers.js's tensors.
	 */
	encodePairs(pairs: Array<[string, string]>, direction: TruncationDirection = 'Right'): Record<string, Tensor> {
		const framing = this.tokenizer as unknown as PairFraming;
		// transformers.js caps its pair call at model_max_length; so do both directions here
		const maxLength = Math.min(this.maxInputTokens, Number(this.tokenizer.model_max_length) || Infinity);
		const room = Math.max(0, maxLength - this.framePair([], []).tokens.length);
		const rows = pairs.map(([query, text]) => {
			const first = framing.tokenize(query);
			const second = framing.tokenize(text);
			const [keepFirst, keepSecond] = keptLengths(first.length, second.length, room);
			const framed = direction === 'Left' ? this.framePair(first.slice(first.length - keepFirst), second.slice(second.length - keepSecond)) : this.framePair(first.slice(0, keepFirst), second.slice(0, keepSecond));
			return { ids: framing.model.convert_tokens_to_ids(framed.tokens), typeIds: framing.return_token_type_ids ? framed.token_type_ids : undefined };
		});
		return this.paddedTensors(rows, framing);
	}

	/** TEI's /tokenize: each token with its id and text (character offsets are not known: null). */
	tokenize(text: string, addSpecialTokens: boolean): SimpleToken[] {
		const ids = this.tokenizer.encode(text, { add_special_tokens: addSpecialTokens });
		const model = (this.tokenizer as unknown as { model: { convert_ids_to_tokens(ids: number[]): string[] } }).model;
		const pieces = model.convert_ids_to_tokens(ids);
		return ids.map((id, i) => ({ id, text: pieces[i], special: this.specialIds.has(id), start: null, stop: null }));
	}

	/** TEI's /decode: the text of token ids. */
	decode(ids: number[], skipSpecialTokens: boolean): string {
		return this.tokenizer.decode(this.checkIds(ids, 0), { skip_special_tokens: skipSpecialTokens });
	}

	/** A pair's tokens with the special tokens the model frames pairs with ([CLS] a [SEP] b [SEP] for BERT), and their type ids. */
	private framePair(first: string[], second: string[]): { tokens: string[]; token_type_ids?: number[] } {
		const framing = this.tokenizer as unknown as PairFraming;
		return framing.post_processor?.(first, second, { add_special_tokens: true }) ?? { tokens: [...first, ...second] };
	}

	/** int64 input tensors of id rows, padded as transformers.js pads (pad id, mask 0, type 0). */
	private paddedTensors(rows: Array<{ ids: number[]; typeIds?: number[] }>, framing: PairFraming): Record<string, Tensor> {
		const width = Math.max(1, ...rows.map((row) => row.ids.length));
		const size = rows.length * width;
		const ids = new BigInt64Array(size).fill(BigInt(framing.pad_token_id ?? 0));
		const mask = new BigInt64Array(size);
		const types = rows.every((row) => row.typeIds) ? new BigInt64Array(size) : undefined;
		rows.forEach((row, r) => {
			const start = r * width + (framing.padding_side === 'left' ? width - row.ids.length : 0);
			row.ids.forEach((id, i) => {
				ids[start + i] = BigInt(id);
				mask[start + i] = 1n;
				if (types) types[start + i] = BigInt(row.typeIds?.[i] ?? 0);
			});
		});
		const dims = [rows.length, width];
		const tensors: Record<string, Tensor> = { input_ids: new this.tensor('int64', ids, dims), attention_mask: new this.tensor('int64', mask, dims) };
		if (types) tensors.token_type_ids = new this.tensor('int64', types, dims);
		return tensors;
	}

	private checkIds(ids: number[], index: number): number[] {
		const bad = ids.find((id) => !Number.isInteger(id) || id < 0 || id >= this.vocabSize);
		if (bad !== undefined) throw new HttpError(422, `Input ${index}: token id ${bad} is not in the vocabulary (0 to ${this.vocabSize - 1})`, 'Validation');
		return ids;
	}

	private refuseLong(tokens: number, options: EncodeOptions, index: number): void {
		if (options.truncate) return;
		const message = `Input ${index} has ${tokens} tokens; the model takes at most ${this.maxInputTokens} (send truncate: true to cut it)`;
		throw new HttpError(422, message, 'Validation');
	}
}

/**
 * How many tokens the first and second sequence of a pair keep when together they are longer than
 * `room`, as HF tokenizers' LongestFirst strategy decides. TEI 1.9.3 encodes a /rerank pair with
 * `TruncationParams { max_length: max_input_length, strategy: LongestFirst, direction }`
 * (core/src/tokenization.rs, `encode_input`); tokenizers takes the pair's special tokens off
 * max_length (`TokenizerImpl::post_process`, tokenizers/src/tokenizer/mod.rs), shares the rest in
 * `truncate_encodings` (https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/utils/truncation.rs)
 * and `Encoding::truncate` then drops each sequence's start (Left) or end (Right). The shorter
 * sequence stays whole when the longer then keeps at least as many tokens; else the shorter keeps
 * half the room, rounded down, and the longer the rest. Equal lengths count the first as the shorter.
 */
export function keptLengths(first: number, second: number, room: number): [number, number] {
	if (first + second <= room) return [first, second];
	const shorter = Math.min(first, second);
	let keepShorter = shorter;
	let keepLonger = room - shorter;
	if (keepLonger < shorter) {
		keepShorter = Math.floor(room / 2);
		keepLonger = room - keepShorter;
	}
	return first <= second ? [keepShorter, keepLonger] : [keepLonger, keepShorter];
}

/** The first (Right) or last (Left) `room` ids. */
function cut(ids: number[], room: number, direction: TruncationDirection = 'Right'): number[] {
	if (ids.length <= room) return ids;
	return direction === 'Left' ? ids.slice(ids.length - room) : ids.slice(0, room);
}

/** sentence-transformers prompts of a local folder or of a cached hub model; none when absent. */
function readPrompts(path: string, cacheDir?: string): Record<string, string> {
	const candidates = [join(path, 'config_sentence_transformers.json'), ...(cacheDir ? [join(cacheDir, path, 'config_sentence_transformers.json')] : [])];
	const file = candidates.find((candidate) => existsSync(candidate));
	if (!file) return {};
	const config = JSON.parse(readFileSync(file, 'utf8')) as { prompts?: Record<string, string> };
	return config.prompts ?? {};
}
