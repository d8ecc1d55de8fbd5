import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServiceError } from '../../lib/errors';
import { OnnxEmbedder } from '../../lib/embed/onnx';

describe('OnnxEmbedder without a model runtime', () => {
	it('names the missing optional package in a clear error', async () => {
		const missing = Object.assign(new Error("Cannot find package '@huggingface/transformers'"), {
			code: 'ERR_MODULE_NOT_FOUND',
		});
		const embedder = new OnnxEmbedder({
			model: 'Xenova/all-MiniLM-L6-v2',
			loadTransformers: () => Promise.reject(missing),
		});
		await assert.rejects(embedder.embed(['x']), (error) => {
			assert.ok(error instanceof ServiceError);
			assert.equal(
				error.message,
				'The ONNX embedder needs the optional package @huggingface/transformers, which is not installed',
			);
			assert.equal(error.hint, 'Install it next to this package: npm install @huggingface/transformers');
			return true;
		});
	});

	it('derives the model id from a hub name or a folder basename', () => {
		assert.equal(new OnnxEmbedder({ model: 'Xenova/all-MiniLM-L6-v2' }).modelId, 'onnx:Xenova/all-MiniLM-L6-v2');
		assert.equal(new OnnxEmbedder({ model: '/srv/models/minilm/' }).modelId, 'onnx:minilm');
		assert.equal(new OnnxEmbedder({ model: './models/bge-small' }).modelId, 'onnx:bge-small');
	});

	it('loads the pipeline once, with remote downloads off by default', async () => {
		const calls: Array<[string, string, Record<string, unknown>]> = [];
		const env = { allowRemoteModels: true, allowLocalModels: false };
		const extractor = async (texts: string[], options: unknown) => ({
			tolist: () => texts.map((text) => [text.length, JSON.stringify(options).length]),
		});
		const embedder = new OnnxEmbedder({
			model: 'org/model',
			cacheDir: '/tmp/models',
			loadTransformers: async () => ({
				env,
				pipeline: async (task, model, options) => {
					calls.push([task, model, options]);
					return extractor;
				},
			}),
		});
		assert.deepEqual(await embedder.embed(['ab']), [[2, 35]]);
		assert.deepEqual(await embedder.embed(['abc']), [[3, 35]]);
		assert.deepEqual(calls, [
			['feature-extraction', 'org/model', { local_files_only: true, cache_dir: '/tmp/models', dtype: 'fp32' }],
		]);
		assert.deepEqual(env, { allowRemoteModels: false, allowLocalModels: true });
	});
});
