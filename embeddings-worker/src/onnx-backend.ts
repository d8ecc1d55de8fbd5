import type { BackendInfo, EmbeddingBackend, ModelInput, RerankPair } from './backend';
import { hubOptions, modelName, modelPath } from './model-files';
import { InputTokenizer, type Transformers } from './tokenizer';

type Model = Awaited<ReturnType<Transformers['AutoModel']['from_pretrained']>>;
type Tensor = InstanceType<Transformers['Tensor']>;

export interface OnnxBackendOptions {
	/** A local model folder (config, tokenizer, `onnx/model.onnx`) or a hub name. */
	model: string;
	/** A cross-encoder for /rerank (folder or hub name), loaded as sequence classification. */
	rerankModel?: string;
	/** `cpu` (default) or `cuda` where onnxruntime-node finds CUDA. */
	device?: string;
	/** `fp32` (default), `fp16`, `q8`, … : which `onnx/model*.onnx` file is loaded. */
	dtype?: string;
	/** `mean` (default) or `cls` pooling of the last hidden state. */
	pooling?: 'mean' | 'cls';
	/** Cap of input tokens; default the tokenizer's model_max_length (at most 512). */
	maxInputTokens?: number;
	/** onnxruntime intra-op threads; default onnxruntime's choice. */
	threads?: number;
	/** Where hub models are cached. */
	cacheDir?: string;
	/** Allow downloading hub models. Default false. */
	allowRemote?: boolean;
}

interface Loaded {
	tokenizer: InputTokenizer;
	model: Model;
}

/** Local ONNX models through @huggingface/transformers: embeddings and an optional cross-encoder. */
export class OnnxBackend implements EmbeddingBackend {
	readonly scorePairs?: (pairs: RerankPair[]) => Promise<number[]>;
	private transformers?: Transformers;
	private embedder?: Loaded;
	private reranker?: Loaded;

	constructor(private readonly options: OnnxBackendOptions) {
		if (options.rerankModel) this.scorePairs = (pairs) => this.score(pairs);
	}

	/** The embedding model's tokenizer (after load). */
	get tokenizer(): InputTokenizer {
		return this.loaded(this.embedder).tokenizer;
	}

	/** Load tokenizer and model (and the cross-encoder), then probe the dimension. */
	async load(): Promise<BackendInfo> {
		const transformers = await import('@huggingface/transformers');
		this.transformers = transformers;
		this.embedder = await this.loadPair(this.options.model, transformers.AutoModel);
		if (this.options.rerankModel) {
			const classifier = transformers.AutoModelForSequenceClassification;
			this.reranker = await this.loadPair(this.options.rerankModel, classifier);
		}
		const [probe] = await this.embed(['dimension probe']);
		return {
			modelId: modelName(this.options.model),
			rerankModelId: this.options.rerankModel ? modelName(this.options.rerankModel) : null,
			dimension: probe.length,
			maxInputTokens: this.embedder.tokenizer.maxInputTokens,
			device: this.options.device ?? 'cpu',
			dtype: this.options.dtype ?? 'fp32',
			pooling: this.options.pooling ?? 'mean',
			backend: 'onnx',
		};
	}

	/** Tokens of the text with special tokens, as the model sees it before truncation. */
	countTokens(text: string): number {
		return this.tokenizer.countTokens(text);
	}

	/** Tokens of a (query, text) pair as the cross-encoder sees it (its own tokenizer), before truncation. */
	countPairTokens(query: string, text: string): number {
		return this.loaded(this.reranker).tokenizer.countPairTokens(query, text);
	}

	/** Pooled vectors of texts (truncated on the right) or token ids (as given). */
	async embed(inputs: ModelInput[]): Promise<Float32Array[]> {
		const { tokenizer } = this.loaded(this.embedder);
		const ids = inputs.map((input) => (typeof input === 'string' ? tokenizer.encode(input, { truncate: true }).ids : input));
		const { data, dimension } = await this.embedIds(ids);
		return ids.map((_, row) => data.subarray(row * dimension, (row + 1) * dimension));
	}

	/**
	 * Pooled vectors of token-id sequences, row after row in one array: the padded batch is built
	 * straight into int64 tensors and pooled over the attention mask, without per-token objects.
	 */
	async embedIds(sequences: Int32Array[]): Promise<{ data: Float32Array; dimension: number }> {
		const { model } = this.loaded(this.embedder);
		const transformers = this.transformers as Transformers;
		const batch = sequences.length;
		const width = Math.max(1, ...sequences.map((ids) => ids.length));
		const inputIds = new BigInt64Array(batch * width);
		const mask = new BigInt64Array(batch * width);
		sequences.forEach((ids, row) => {
			for (let i = 0; i < ids.length; i++) {
				inputIds[row * width + i] = BigInt(ids[i]);
				mask[row * width + i] = 1n;
			}
		});
		const dims = [batch, width];
		const output = await model({
			input_ids: new transformers.Tensor('int64', inputIds, dims),
			attention_mask: new transformers.Tensor('int64', mask, dims),
		});
		const hidden = (output.last_hidden_state ?? output.token_embeddings) as Tensor | undefined;
		if (!hidden) throw new Error(`The model has no last_hidden_state output (${Object.keys(output)})`);
		const dimension = hidden.dims[2];
		return { data: pool(hidden.data as Float32Array, sequences, width, dimension, this.options.pooling ?? 'mean'), dimension };
	}

	/** Release both sessions. */
	async close(): Promise<void> {
		await Promise.all([this.embedder?.model.dispose(), this.reranker?.model.dispose()]);
	}

	/** Logits of the pairs: one run for those cut on the right, one for those cut on the left. */
	private async score(pairs: RerankPair[]): Promise<number[]> {
		const { tokenizer, model } = this.loaded(this.reranker);
		const scores = new Array<number>(pairs.length);
		for (const direction of ['Right', 'Left'] as const) {
			const rows = pairs.flatMap((pair, row) => ((pair[2] ?? 'Right') === direction ? [row] : []));
			if (rows.length === 0) continue;
			const inputs = tokenizer.encodePairs(rows.map((row) => [pairs[row][0], pairs[row][1]]), direction);
			const { logits } = (await model(inputs)) as { logits: Tensor };
			const labels = logits.dims[1];
			const data = logits.data as Float32Array;
			rows.forEach((row, i) => (scores[row] = data[i * labels + labels - 1]));
		}
		return scores;
	}

	private async loadPair(name: string, modelClass: { from_pretrained: Transformers['AutoModel']['from_pretrained'] }): Promise<Loaded> {
		const transformers = this.transformers as Transformers;
		const tokenizer = await InputTokenizer.load(transformers, name, this.options);
		const sessionOptions = this.options.threads ? { intraOpNumThreads: this.options.threads, interOpNumThreads: 1 } : undefined;
		const model = await modelClass.from_pretrained(modelPath(name), {
			...hubOptions(this.options),
			dtype: (this.options.dtype ?? 'fp32') as 'fp32',
			device: (this.options.device ?? 'cpu') as 'cpu',
			session_options: sessionOptions,
		});
		return { tokenizer, model };
	}

	private loaded(pair: Loaded | undefined): Loaded {
		if (!pair) throw new Error('The model is not loaded');
		return pair;
	}
}

/** Mean over the unpadded tokens, or the first token (CLS), of each row of `[batch, width, dim]` (summed in double precision). */
function pool(hidden: Float32Array, sequences: Int32Array[], width: number, dim: number, pooling: 'mean' | 'cls'): Float32Array {
	const out = new Float32Array(sequences.length * dim);
	const sum = new Float64Array(dim);
	sequences.forEach((ids, row) => {
		const base = row * width * dim;
		const count = pooling === 'cls' ? 1 : Math.max(1, ids.length);
		sum.fill(0);
		for (let t = 0; t < count; t++) {
			const offset = base + t * dim;
			for (let j = 0; j < dim; j++) sum[j] += hidden[offset + j];
		}
		for (let j = 0; j < dim; j++) out[row * dim + j] = sum[j] / count;
	});
	return out;
}
