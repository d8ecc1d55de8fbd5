import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';
import { writeTinyOnnxModel, type TinyOnnxModel, type TinyOnnxModelOptions } from './tiny-onnx-model';

const { FLOAT, INT64 } = onnx.TensorProto.DataType;
const INT = onnx.AttributeProto.AttributeType.INT;

function valueInfo(name: string, elemType: number, dims: Array<string | number>) {
	const dim = dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d }));
	return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

const node = (opType: string, input: string[], output: string, attribute: object[] = []) => ({ opType, input, output: [output], attribute });
const int64s = (name: string, values: number[]) => ({ name, dims: [values.length], dataType: INT64, int64Data: values });

/**
 * A tiny cross-encoder: the logit of (query, text) is the dot product of the summed word rows of
 * the query (segment A) and of the text (segment B), times `scale`. Tokenizer as the tiny model's.
 */
export function writeTinyCrossEncoder(folder: string, options: TinyOnnxModelOptions & { scale?: number } = {}): TinyOnnxModel & { scale: number } {
	const model = writeTinyOnnxModel(folder, options);
	const scale = options.scale ?? 1 / model.dimensions;
	const size = model.table.length / model.dimensions;
	const graph = {
		name: 'tiny-cross-encoder',
		initializer: [
			{ name: 'word_embeddings', dims: [size, model.dimensions], dataType: FLOAT, rawData: new Uint8Array(model.table.buffer) },
			{ name: 'scale', dims: [], dataType: FLOAT, floatData: [scale] },
			int64s('axis1', [1]),
			int64s('axis2', [2]),
		],
		input: ['input_ids', 'attention_mask', 'token_type_ids'].map((name) => valueInfo(name, INT64, ['batch', 'seq'])),
		node: [
			node('Gather', ['word_embeddings', 'input_ids'], 'rows', [{ name: 'axis', type: INT, i: 0 }]),
			node('Cast', ['attention_mask'], 'mask', [{ name: 'to', type: INT, i: FLOAT }]),
			node('Cast', ['token_type_ids'], 'types', [{ name: 'to', type: INT, i: FLOAT }]),
			node('Mul', ['mask', 'types'], 'mask_b'),
			node('Sub', ['mask', 'mask_b'], 'mask_a'),
			node('Unsqueeze', ['mask_a', 'axis2'], 'mask_a3'),
			node('Unsqueeze', ['mask_b', 'axis2'], 'mask_b3'),
			node('Mul', ['rows', 'mask_a3'], 'rows_a'),
			node('Mul', ['rows', 'mask_b3'], 'rows_b'),
			node('ReduceSum', ['rows_a', 'axis1'], 'sum_a', [{ name: 'keepdims', type: INT, i: 0 }]),
			node('ReduceSum', ['rows_b', 'axis1'], 'sum_b', [{ name: 'keepdims', type: INT, i: 0 }]),
			node('Mul', ['sum_a', 'sum_b'], 'products'),
			node('ReduceSum', ['products', 'axis1'], 'dot', [{ name: 'keepdims', type: INT, i: 1 }]),
			node('Mul', ['dot', 'scale'], 'logits'),
		],
		output: [valueInfo('logits', FLOAT, ['batch', 1])],
	};
	const proto = onnx.ModelProto.fromObject({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }], producerName: 'repomind-tests', graph });
	writeFileSync(join(folder, 'onnx', 'model.onnx'), onnx.ModelProto.encode(proto).finish());
	const config = { model_type: 'bert', architectures: ['BertForSequenceClassification'], hidden_size: model.dimensions, vocab_size: size, num_labels: 1, id2label: { 0: 'LABEL_0' }, label2id: { LABEL_0: 0 }, num_hidden_layers: 0, num_attention_heads: 1, max_position_embeddings: 512, type_vocab_size: 2, pad_token_id: 0 };
	writeFileSync(join(folder, 'config.json'), JSON.stringify(config));
	return { ...model, scale };
}

/** The cross-encoder's logit for vocabulary words of a query and a text. */
export function expectedCrossEncoderLogit(model: TinyOnnxModel & { scale: number }, query: string[], text: string[]): number {
	const sum = (words: string[]) => {
		const total = new Array<number>(model.dimensions).fill(0);
		for (const word of words) {
			const id = model.vocab[word];
			if (id === undefined) throw new Error(`Not a vocabulary word: ${word}`);
			for (let j = 0; j < model.dimensions; j++) total[j] += model.table[id * model.dimensions + j];
		}
		return total;
	};
	const a = sum(query);
	const b = sum(text);
	return a.reduce((dot, value, j) => dot + value * b[j], 0) * model.scale;
}
