import { HuggingFaceEmbedder } from '../../lib/embed/huggingface';
import type { BackendInfo, EmbeddingBackend, ModelInput } from './backend';

export interface HuggingFaceBackendOptions {
	/** A model on the Hugging Face Inference API, e.g. `sentence-transformers/all-MiniLM-L6-v2`. */
	model?: string;
	/** Instead of a model: an endpoint URL (a text-embeddings-inference server's `<base>/embed`). */
	endpointUrl?: string;
	/** Hugging Face token (or the endpoint's key). */
	token?: string;
	/** Inference provider for `model`. Default `hf-inference`. */
	provider?: string;
	/** Nominal input cap reported in /info; the remote side truncates. Default 512. */
	maxInputTokens?: number;
}

/** A proxy to the Hugging Face Inference API (or any TEI endpoint) for machines without a model. */
export class HuggingFaceBackend implements EmbeddingBackend {
	private readonly embedder: HuggingFaceEmbedder;

	constructor(private readonly options: HuggingFaceBackendOptions) {
		this.embedder = new HuggingFaceEmbedder({
			model: options.model,
			endpointUrl: options.endpointUrl,
			token: options.token,
			provider: options.provider,
			truncate: true,
		});
	}

	/** Probe the dimension (and the token) with one request. */
	async load(): Promise<BackendInfo> {
		const [probe] = await this.embed(['dimension probe']);
		return {
			modelId: this.embedder.modelId.replace(/^hf:/, ''),
			rerankModelId: null,
			dimension: probe.length,
			maxInputTokens: this.options.maxInputTokens ?? 512,
			device: 'remote',
			dtype: 'remote',
			pooling: 'remote',
			backend: 'huggingface',
		};
	}

	/** An estimate (characters / 4): the tokenizer lives on the remote side. */
	countTokens(text: string): number {
		return Math.ceil(text.length / 4) + 2;
	}

	/** Vectors from the remote model (texts only: the service refuses token ids for this backend). */
	async embed(inputs: ModelInput[]): Promise<Float32Array[]> {
		const texts = inputs.map((input) => {
			if (typeof input !== 'string') throw new Error('The huggingface backend takes texts only');
			return input;
		});
		return (await this.embedder.embed(texts)).map((vector) => Float32Array.from(vector));
	}

	/** Nothing to release. */
	async close(): Promise<void> {}
}
