import { existsSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';
import type { BackendInfo, EmbeddingBackend } from './backend';

type Transformers = typeof import('@huggingface/transformers');
type Tokenizer = Awaited<ReturnType<Transformers['AutoTokenizer']['from_pretrained']>>;
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
	tokenizer: Tokenizer;
	model: Model;
}

/** Local ONNX models through @huggingface/transformers: embeddings and an optional cross-encoder. */
export class OnnxBackend implements EmbeddingBackend {
	readonly scorePairs?: (pairs: Array<[string, string]>) => Promise<number[]>;
	private transformers?: Transformers;
	private embedder?: Loaded;
	private reranker?: Loaded;
	private maxInputTokens = 512;

	constructor(private readonly options: OnnxBackendOptions) {
		if (options.rerankModel) this.scorePairs = (pairs) => this.score(pairs);
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
		const tokenizerMax = Number(this.embedder.tokenizer.model_max_length) || 512;
		this.maxInputTokens = this.options.maxInputTokens ?? Math.min(512, tokenizerMax);
		const [probe] = await this.embed(['dimension probe']);
		return {
			modelId: modelName(this.options.model),
			rerankModelId: this.options.rerankModel ? modelName(this.options.rerankModel) : null,
			dimension: probe.length,
			maxInputTokens: this.maxInputTokens,
			device: this.options.device ?? 'cpu',
			dtype: this.options.dtype ?? 'fp32',
			pooling: this.options.pooling ?? 'mean',
			backend: 'onnx',
		};
	}

	/** Tokens of the text with special tokens, as the model sees it before truncation. */
	countTokens(text: string): number {
		return this.loaded(this.embedder).tokenizer.encode(text).length;
	}

	/** Mean- or CLS-pooled last hidden states, truncated to maxInputTokens. */
	async embed(texts: string[]): Promise<number[][]> {
		const { tokenizer, model } = this.loaded(this.embedder);
		const inputs = tokenizer(texts, { padding: true, truncation: true, max_length: this.maxInputTokens });
		const output = await model(inputs);
		const hidden = (output.last_hidden_state ?? output.token_embeddings) as Tensor | undefined;
		if (!hidden) throw new Error(`The model has no last_hidden_state output (${Object.keys(output)})`);
		if (this.options.pooling === 'cls') return clsPool(hidden);
		const transformers = this.transformers as Transformers;
		return transformers.mean_pooling(hidden, inputs.attention_mask).tolist() as number[][];
	}

	/** Release both sessions. */
	async close(): Promise<void> {
		await Promise.all([this.embedder?.model.dispose(), this.reranker?.model.dispose()]);
	}

	private async score(pairs: Array<[string, string]>): Promise<number[]> {
		const { tokenizer, model } = this.loaded(this.reranker);
		const inputs = tokenizer(
			pairs.map(([query]) => query),
			{ text_pair: pairs.map(([, text]) => text), padding: true, truncation: true, max_length: this.maxInputTokens },
		);
		const { logits } = (await model(inputs)) as { logits: Tensor };
		const [rows, labels] = logits.dims;
		const data = logits.data as Float32Array;
		return Array.from({ length: rows }, (_, row) => data[row * labels + labels - 1]);
	}

	private async loadPair(name: string, modelClass: { from_pretrained: Transformers['AutoModel']['from_pretrained'] }): Promise<Loaded> {
		const transformers = this.transformers as Transformers;
		const path = modelPath(name);
		const shared = hubOptions(this.options);
		const tokenizer = await loadTokenizer(transformers, name, this.options);
		const sessionOptions = this.options.threads ? { intraOpNumThreads: this.options.threads, interOpNumThreads: 1 } : undefined;
		const model = await modelClass.from_pretrained(path, {
			...shared,
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

/** The tokenizer of a model folder or hub name, with the backend's download and cache settings. */
export async function loadTokenizer(transformers: Transformers, name: string, options: Pick<OnnxBackendOptions, 'allowRemote' | 'cacheDir'>): Promise<Tokenizer> {
	transformers.env.allowRemoteModels = options.allowRemote ?? false;
	transformers.env.allowLocalModels = true;
	if (options.cacheDir) transformers.env.cacheDir = options.cacheDir;
	return transformers.AutoTokenizer.from_pretrained(modelPath(name), hubOptions(options));
}

/** Where transformers may look for a model's files: the local cache, and the hub only when allowed. */
function hubOptions(options: Pick<OnnxBackendOptions, 'allowRemote' | 'cacheDir'>): { local_files_only: boolean; cache_dir?: string } {
	return { local_files_only: !(options.allowRemote ?? false), cache_dir: options.cacheDir };
}

function isFolder(name: string): boolean {
	return isAbsolute(name) || name.startsWith('.') || existsSync(name);
}

function modelPath(name: string): string {
	return isFolder(name) ? resolve(name) : name;
}

/** A folder's name or the hub name: how /info and clients name the model. */
export function modelName(name: string): string {
	return isFolder(name) ? basename(resolve(name)) : name;
}

function clsPool(hidden: Tensor): number[][] {
	const [batch, seq, dim] = hidden.dims;
	const data = hidden.data as Float32Array;
	return Array.from({ length: batch }, (_, b) => Array.from(data.subarray(b * seq * dim, b * seq * dim + dim)));
}
