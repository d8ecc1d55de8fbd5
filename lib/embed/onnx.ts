import { existsSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';
import { ServiceError } from '../errors';
import type { Embedder } from '../types';
import { folderFingerprint } from './model-id';

type FeatureExtractor = (
	texts: string[],
	options: { pooling: 'mean'; normalize: boolean },
) => Promise<{ tolist(): unknown[] }>;

/** The part of @huggingface/transformers used here (typed here: the package is optional). */
export interface TransformersModule {
	env: { allowRemoteModels: boolean; allowLocalModels: boolean };
	pipeline(task: string, model: string, options: Record<string, unknown>): Promise<unknown>;
}

export interface OnnxEmbedderOptions {
	/** A local model folder (with `onnx/model.onnx`) or a hub name, e.g. `Xenova/bge-small-en`. */
	model: string;
	/** Where a hub model is downloaded to once and read from afterwards. */
	cacheDir?: string;
	/** Allow downloading a hub model. Default false: only local folders and the cache are read. */
	allowRemote?: boolean;
	/** l2-normalise vectors. Default true. */
	normalize?: boolean;
	/** Weight precision passed to transformers, e.g. `fp32`, `q8`. Default fp32 on the CPU. */
	dtype?: string;
	/** Execution device passed to transformers, e.g. `cpu`. */
	device?: string;
	/** Loads @huggingface/transformers; replaceable in tests. */
	loadTransformers?: () => Promise<TransformersModule>;
}

const PACKAGE = '@huggingface/transformers';

/** Local embeddings with an ONNX model through @huggingface/transformers (optional dependency). */
export class OnnxEmbedder implements Embedder {
	/**
	 * `onnx:<hub name>` or `onnx:<folder name>@<fingerprint of the folder's files>`, plus `:<dtype>`
	 * when not fp32 and `:unnormalized` when vectors are not normalised: one id per embedding space.
	 */
	readonly modelId: string;
	/** The id before it named the whole embedding space (indexes made under it are adopted). */
	readonly legacyModelIds: string[] = [];
	private readonly modelPath: string;
	private readonly isFolder: boolean;
	private extractor?: Promise<FeatureExtractor>;

	constructor(private readonly options: OnnxEmbedderOptions) {
		const model = options.model;
		this.isFolder = isAbsolute(model) || model.startsWith('.') || existsSync(model);
		this.modelPath = this.isFolder ? resolve(model) : model;
		const legacy = `onnx:${this.isFolder ? basename(this.modelPath) : model}`;
		const dtype = options.dtype ?? (options.device ? `auto-${options.device}` : 'fp32');
		const space = `${dtype === 'fp32' ? '' : `:${dtype}`}${options.normalize === false ? ':unnormalized' : ''}`;
		this.modelId = `${legacy}${this.isFolder && existsSync(this.modelPath) ? `@${folderFingerprint(this.modelPath)}` : ''}${space}`;
		if (this.modelId !== legacy) this.legacyModelIds.push(legacy);
	}

	/** Embed texts with mean pooling (and normalisation unless disabled). */
	async embed(texts: string[]): Promise<number[][]> {
		if (texts.length === 0) return [];
		const extract = await this.load();
		const output = await extract(texts, {
			pooling: 'mean',
			normalize: this.options.normalize ?? true,
		});
		return output.tolist() as number[][];
	}

	/** Create the feature-extraction pipeline once; a failed load is retried on the next call. */
	private load(): Promise<FeatureExtractor> {
		this.extractor ??= this.createPipeline().catch((error: unknown) => {
			this.extractor = undefined;
			throw error;
		});
		return this.extractor;
	}

	private async createPipeline(): Promise<FeatureExtractor> {
		const transformers = await this.importTransformers();
		const allowRemote = this.options.allowRemote ?? false;
		transformers.env.allowRemoteModels = allowRemote;
		transformers.env.allowLocalModels = true;
		const pipelineOptions: Record<string, unknown> = { local_files_only: !allowRemote };
		if (this.options.cacheDir) pipelineOptions.cache_dir = this.options.cacheDir;
		pipelineOptions.dtype = this.options.dtype ?? (this.options.device ? undefined : 'fp32');
		if (this.options.device) pipelineOptions.device = this.options.device;
		try {
			const task = 'feature-extraction';
			const extractor = await transformers.pipeline(task, this.modelPath, pipelineOptions);
			return extractor as FeatureExtractor;
		} catch (error) {
			const where = this.isFolder ? `folder ${this.modelPath}` : `model ${this.modelPath}`;
			const hint = this.isFolder
				? 'The folder needs config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx.'
				: 'Set allowRemote to download it once into cacheDir, or give a local model folder.';
			throw new ServiceError(`Could not load the ONNX ${where}: ${messageOf(error)}`, hint, {
				cause: error,
			});
		}
	}

	private async importTransformers(): Promise<TransformersModule> {
		try {
			const importPackage = () => import(PACKAGE) as Promise<TransformersModule>;
			const load = this.options.loadTransformers ?? importPackage;
			return await load();
		} catch (error) {
			const code = (error as { code?: string } | null)?.code;
			if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
				throw new ServiceError(
					`The ONNX embedder needs the optional package ${PACKAGE}, which is not installed`,
					`Install it next to this package: npm install ${PACKAGE}`,
					{ cause: error },
				);
			}
			throw error;
		}
	}
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
