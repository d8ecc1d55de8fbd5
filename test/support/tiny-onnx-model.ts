import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';

/** A tiny BERT-shaped bag-of-words model: the output of token t is row t of `table`. */
export interface TinyOnnxModel {
	folder: string;
	dimensions: number;
	vocab: Record<string, number>;
	/** Embedding table, vocab size x dimensions, row-major (special tokens are zero rows). */
	table: Float32Array;
}

export interface TinyOnnxModelOptions {
	/** Vector dimension. Default 64. */
	dimensions?: number;
	/** Whole words of the vocabulary (lower case); other words fall back to single letters. */
	words?: string[];
}

const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const LETTERS = 'abcdefghijklmnopqrstuvwxyz0123456789'.split('');
const DEFAULT_WORDS = (
	'function class return const let import export async await parse file path read write ' +
	'chunk embed vector index query search repo commit tree blob hash token model error retry ' +
	'request response server client config test value string number array map list node user'
).split(' ');

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function mulberry32(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state + 0x6d2b79f5) | 0;
		let t = Math.imul(state ^ (state >>> 15), 1 | state);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function valueInfo(name: string, elemType: number, dims: Array<string | number>) {
	const dim = dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d }));
	return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

/** Write model.onnx, config and WordPiece tokenizer files into `folder`, offline, deterministic. */
export function writeTinyOnnxModel(
	folder: string,
	options: TinyOnnxModelOptions = {},
): TinyOnnxModel {
	const dimensions = options.dimensions ?? 64;
	const words = [...new Set(options.words ?? DEFAULT_WORDS)].filter((w) => !LETTERS.includes(w));
	const vocabList = [...SPECIALS, ...LETTERS, ...LETTERS.map((l) => `##${l}`), ...words];
	const vocab = Object.fromEntries(vocabList.map((token, i) => [token, i]));
	const size = vocabList.length;
	const random = mulberry32(12345);
	const table = new Float32Array(size * dimensions);
	for (let i = SPECIALS.length * dimensions; i < table.length; i++) table[i] = random() * 2 - 1;

	const { FLOAT } = onnx.TensorProto.DataType;
	const INT64 = onnx.TensorProto.DataType.INT64;
	const model = onnx.ModelProto.fromObject({
		irVersion: 8,
		opsetImport: [{ domain: '', version: 17 }],
		producerName: 'repomind-tests',
		graph: {
			name: 'bag-of-words',
			initializer: [
				{
					name: 'word_embeddings',
					dims: [size, dimensions],
					dataType: FLOAT,
					rawData: new Uint8Array(table.buffer),
				},
			],
			input: ['input_ids', 'attention_mask', 'token_type_ids'].map((name) =>
				valueInfo(name, INT64, ['batch', 'seq']),
			),
			node: [
				{
					opType: 'Gather',
					input: ['word_embeddings', 'input_ids'],
					output: ['last_hidden_state'],
					attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }],
				},
			],
			output: [valueInfo('last_hidden_state', FLOAT, ['batch', 'seq', dimensions])],
		},
	});
	mkdirSync(join(folder, 'onnx'), { recursive: true });
	writeFileSync(join(folder, 'onnx', 'model.onnx'), onnx.ModelProto.encode(model).finish());
	writeJson(folder, 'config.json', {
		model_type: 'bert',
		architectures: ['BertModel'],
		hidden_size: dimensions,
		vocab_size: size,
		num_hidden_layers: 0,
		num_attention_heads: 1,
		max_position_embeddings: 512,
		type_vocab_size: 2,
		pad_token_id: 0,
	});
	writeJson(folder, 'tokenizer_config.json', {
		tokenizer_class: 'BertTokenizer',
		do_lower_case: true,
		model_max_length: 512,
		cls_token: '[CLS]',
		sep_token: '[SEP]',
		pad_token: '[PAD]',
		unk_token: '[UNK]',
		mask_token: '[MASK]',
	});
	writeJson(folder, 'tokenizer.json', tokenizerJson(vocab));
	return { folder, dimensions, vocab, table };
}

function writeJson(folder: string, name: string, value: unknown): void {
	writeFileSync(join(folder, name), JSON.stringify(value));
}

function tokenizerJson(vocab: Record<string, number>) {
	const special = (id: string, typeId = 0) => ({ SpecialToken: { id, type_id: typeId } });
	return {
		version: '1.0',
		truncation: null,
		padding: null,
		added_tokens: SPECIALS.map((content, id) => ({
			id,
			content,
			single_word: false,
			lstrip: false,
			rstrip: false,
			normalized: false,
			special: true,
		})),
		normalizer: {
			type: 'BertNormalizer',
			clean_text: true,
			handle_chinese_chars: true,
			strip_accents: null,
			lowercase: true,
		},
		pre_tokenizer: { type: 'BertPreTokenizer' },
		post_processor: {
			type: 'TemplateProcessing',
			single: [special('[CLS]'), { Sequence: { id: 'A', type_id: 0 } }, special('[SEP]')],
			pair: [
				special('[CLS]'),
				{ Sequence: { id: 'A', type_id: 0 } },
				special('[SEP]'),
				{ Sequence: { id: 'B', type_id: 1 } },
				special('[SEP]', 1),
			],
			special_tokens: {
				'[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] },
				'[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] },
			},
		},
		decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
		model: {
			type: 'WordPiece',
			unk_token: '[UNK]',
			continuing_subword_prefix: '##',
			max_input_chars_per_word: 100,
			vocab,
		},
	};
}

/** What the model gives for whole vocabulary words: the l2-normalised sum of their rows. */
export function expectedTinyVector(model: TinyOnnxModel, words: string[]): number[] {
	const sum = new Array<number>(model.dimensions).fill(0);
	for (const word of words) {
		const id = model.vocab[word];
		if (id === undefined) throw new Error(`Not a vocabulary word: ${word}`);
		for (let j = 0; j < model.dimensions; j++) sum[j] += model.table[id * model.dimensions + j];
	}
	const norm = Math.hypot(...sum);
	return sum.map((value) => value / norm);
}
