import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';
import { writeTinyOnnxModel, type TinyOnnxModelOptions } from './tiny-onnx-model';

/** Shape of a BERT encoder; the defaults are all-MiniLM-L6-v2's (6 layers, 384 wide, 12 heads). */
export interface BertShape {
	layers?: number;
	hidden?: number;
	heads?: number;
	intermediate?: number;
	maxPositions?: number;
}

const { FLOAT, INT64, INT8 } = onnx.TensorProto.DataType;
const INT = onnx.AttributeProto.AttributeType.INT;
const FLOAT_ATTR = onnx.AttributeProto.AttributeType.FLOAT;
const INTS = onnx.AttributeProto.AttributeType.INTS;

/** Deterministic weights, uniform in [-range, range] (mulberry32). */
function randomWeights(count: number, range: number, seed: number): Float32Array {
	let state = seed;
	const values = new Float32Array(count);
	for (let i = 0; i < count; i++) {
		state = (state + 0x6d2b79f5) | 0;
		let t = Math.imul(state ^ (state >>> 15), 1 | state);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		values[i] = ((((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1) * range;
	}
	return values;
}

/**
 * `fp32` is `onnx/model.onnx`; `q8` is `onnx/model_quantized.onnx` (transformers' `q8`), the same weights
 * with every linear layer quantized as onnxruntime's `quantize_dynamic` does (int8 weights, per-tensor
 * scale; activations quantized at run time: DynamicQuantizeLinear, MatMulInteger, Cast, Mul).
 */
export type BertDtype = 'fp32' | 'q8';

/**
 * A BERT encoder with random weights (embeddings, then per layer multi-head self-attention with
 * the padding mask and a GELU feed-forward block, each with residual and LayerNorm): the compute of a
 * real sentence-embedding model of that shape, for throughput figures only. Tokenizer as the tiny model's.
 * One model file per dtype, all from the same weights.
 */
export function writeRandomBertModel(folder: string, shape: BertShape = {}, vocab: TinyOnnxModelOptions = {}, dtypes: BertDtype[] = ['fp32']): { vocabSize: number; parameters: number } {
	const { layers = 6, hidden = 384, heads = 12, intermediate = 1536, maxPositions = 512 } = shape;
	const tiny = writeTinyOnnxModel(folder, { ...vocab, dimensions: hidden });
	const vocabSize = tiny.table.length / hidden;
	let parameters = 0;
	for (const dtype of dtypes) {
		const model = buildGraph(tiny.table, vocabSize, { layers, hidden, heads, intermediate, maxPositions }, dtype);
		writeFileSync(join(folder, 'onnx', dtype === 'q8' ? 'model_quantized.onnx' : 'model.onnx'), onnx.ModelProto.encode(model.proto).finish());
		parameters = model.parameters + tiny.table.length;
	}
	const config = { model_type: 'bert', architectures: ['BertModel'], hidden_size: hidden, num_hidden_layers: layers, num_attention_heads: heads, intermediate_size: intermediate, vocab_size: vocabSize, max_position_embeddings: maxPositions, type_vocab_size: 2, pad_token_id: 0 };
	writeFileSync(join(folder, 'config.json'), JSON.stringify(config));
	return { vocabSize, parameters };
}

function buildGraph(table: Float32Array, vocabSize: number, shape: Required<BertShape>, dtype: BertDtype): { proto: onnx.ModelProto; parameters: number } {
	const { layers, hidden, heads, intermediate, maxPositions } = shape;
	const initializer: object[] = [];
	const nodes: object[] = [];
	let seed = 1;
	let parameters = 0;
	const weight = (name: string, dims: number[], range = 0.05) => {
		const data = randomWeights(dims.reduce((a, b) => a * b, 1), range, seed++);
		parameters += data.length;
		initializer.push({ name, dims, dataType: FLOAT, rawData: new Uint8Array(data.buffer) });
		return name;
	};
	const constant = (name: string, dims: number[], values: number[], dataType = FLOAT) => {
		initializer.push(dataType === FLOAT ? { name, dims, dataType, floatData: values } : { name, dims, dataType, int64Data: values });
		return name;
	};
	let counter = 0;
	const op = (opType: string, input: string[], attribute: object[] = []) => {
		const output = `${opType.toLowerCase()}_${counter++}`;
		nodes.push({ opType, input, output: [output], attribute });
		return output;
	};
	const ones = (name: string) => constant(name, [hidden], new Array(hidden).fill(1));
	const zeros = (name: string) => constant(name, [hidden], new Array(hidden).fill(0));
	const layerNorm = (x: string, name: string) =>
		op('LayerNormalization', [x, ones(`${name}.gamma`), zeros(`${name}.beta`)], [{ name: 'axis', type: INT, i: -1 }, { name: 'epsilon', type: FLOAT_ATTR, f: 1e-12 }]);
	const quantizedWeight = (name: string, dims: number[]) => {
		const data = randomWeights(dims[0] * dims[1], 0.05, seed++);
		parameters += data.length;
		const scale = data.reduce((max, value) => Math.max(max, Math.abs(value)), 0) / 127;
		const quantized = Int8Array.from(data, (value) => Math.round(value / scale));
		initializer.push({ name: `${name}_quantized`, dims, dataType: INT8, rawData: new Uint8Array(quantized.buffer) });
		initializer.push({ name: `${name}_scale`, dims: [], dataType: FLOAT, floatData: [scale] });
		initializer.push({ name: `${name}_zero_point`, dims: [], dataType: INT8, int32Data: [0] });
		return name;
	};
	const matMul = (x: string, name: string, dims: number[]) => {
		if (dtype === 'fp32') return op('MatMul', [x, weight(name, dims)]);
		const w = quantizedWeight(name, dims);
		const output = `${x}_quantized`;
		if (!nodes.some((node) => (node as { output: string[] }).output[0] === output)) {
			nodes.push({ opType: 'DynamicQuantizeLinear', input: [x], output: [output, `${x}_scale`, `${x}_zero_point`] });
		}
		const product = op('MatMulInteger', [output, `${w}_quantized`, `${x}_zero_point`, `${w}_zero_point`]);
		const scale = op('Mul', [`${x}_scale`, `${w}_scale`]);
		return op('Mul', [op('Cast', [product], [{ name: 'to', type: INT, i: FLOAT }]), scale]);
	};
	const linear = (x: string, name: string, inputs: number, outputs: number) =>
		op('Add', [matMul(x, `${name}.weight`, [inputs, outputs]), weight(`${name}.bias`, [outputs], 0.01)]);
	const transpose = (x: string, perm: number[]) => op('Transpose', [x], [{ name: 'perm', type: INTS, ints: perm }]);

	const headDim = hidden / heads;
	constant('heads_shape', [4], [0, 0, heads, headDim], INT64);
	constant('hidden_shape', [3], [0, 0, hidden], INT64);
	constant('zero', [], [0], INT64);
	constant('one', [], [1], INT64);
	constant('axes_1_2', [2], [1, 2], INT64);
	constant('scale', [], [1 / Math.sqrt(headDim)]);
	constant('mask_fill', [], [-10000]);
	constant('float_one', [], [1]);
	initializer.push({ name: 'word_embeddings', dims: [vocabSize, hidden], dataType: FLOAT, rawData: new Uint8Array(table.buffer) });
	const words = op('Gather', ['word_embeddings', 'input_ids']);
	const length = op('Gather', [op('Shape', ['input_ids']), 'one']);
	const positions = op('Gather', [weight('position_embeddings', [maxPositions, hidden]), op('Range', ['zero', length, 'one'])]);
	const types = op('Gather', [weight('token_type_embeddings', [2, hidden]), 'token_type_ids']);
	let x = layerNorm(op('Add', [op('Add', [words, positions]), types]), 'embeddings.norm');
	const mask = op('Cast', ['attention_mask'], [{ name: 'to', type: INT, i: FLOAT }]);
	const bias = op('Unsqueeze', [op('Mul', [op('Sub', ['float_one', mask]), 'mask_fill']), 'axes_1_2']);
	for (let l = 0; l < layers; l++) {
		const split = (name: string, perm: number[]) => transpose(op('Reshape', [linear(x, `layer${l}.${name}`, hidden, hidden), 'heads_shape']), perm);
		const scores = op('Add', [op('Mul', [op('MatMul', [split('query', [0, 2, 1, 3]), split('key', [0, 2, 3, 1])]), 'scale']), bias]);
		const probs = op('Softmax', [scores], [{ name: 'axis', type: INT, i: -1 }]);
		const context = op('Reshape', [transpose(op('MatMul', [probs, split('value', [0, 2, 1, 3])]), [0, 2, 1, 3]), 'hidden_shape']);
		x = layerNorm(op('Add', [x, linear(context, `layer${l}.output`, hidden, hidden)]), `layer${l}.attention_norm`);
		const up = linear(x, `layer${l}.intermediate`, hidden, intermediate);
		constant(`layer${l}.sqrt2`, [], [Math.SQRT2]);
		constant(`layer${l}.half`, [], [0.5]);
		const gelu = op('Mul', [op('Mul', [up, `layer${l}.half`]), op('Add', [op('Erf', [op('Div', [up, `layer${l}.sqrt2`])]), 'float_one'])]);
		x = layerNorm(op('Add', [x, linear(gelu, `layer${l}.ffn_output`, intermediate, hidden)]), `layer${l}.output_norm`);
	}
	nodes.push({ opType: 'Identity', input: [x], output: ['last_hidden_state'] });
	const io = (name: string, elemType: number, dims: Array<string | number>) => ({
		name,
		type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
	});
	const graph = {
		name: 'random-bert',
		initializer,
		node: nodes,
		input: ['input_ids', 'attention_mask', 'token_type_ids'].map((name) => io(name, INT64, ['batch', 'seq'])),
		output: [io('last_hidden_state', FLOAT, ['batch', 'seq', hidden])],
	};
	const proto = onnx.ModelProto.fromObject({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }], producerName: 'repomind-test', graph });
	return { proto, parameters };
}
