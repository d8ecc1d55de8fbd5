import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { OnnxEmbedder } from '../../lib/embed/onnx';
import { OpenAIEmbedder } from '../../lib/embed/openai';
import { WorkerEmbedder } from '../../lib/embed/worker';
import { ChromaVectorStore } from '../../lib/vector/chroma';

const openAi = (baseURL?: string, dimensions?: number) => new OpenAIEmbedder({ model: 'text-embedding-3-small', apiKey: 'sk-test', baseURL, dimensions });

describe('model ids name the whole embedding space', () => {
	const root = mkdtempSync(join(tmpdir(), 'repomind-model-id-'));
	after(() => rmSync(root, { recursive: true, force: true }));

	/** A model folder named `name` under `parent` whose weights file holds `weights`. */
	const folder = (parent: string, name: string, weights: string) => {
		const path = join(root, parent, name);
		mkdirSync(join(path, 'onnx'), { recursive: true });
		writeFileSync(join(path, 'config.json'), '{"model_type":"bert"}');
		writeFileSync(join(path, 'onnx', 'model.onnx'), weights);
		return path;
	};

	it('OpenAI-compatible: the base URL is part of the id (without credentials), OpenAI itself keeps the short id', () => {
		assert.equal(openAi().modelId, 'openai:text-embedding-3-small');
		assert.equal(openAi('https://api.openai.com/v1/').modelId, 'openai:text-embedding-3-small');
		const local = openAi('http://user:pw@gpu-box:8080/v1', 256);
		assert.equal(local.modelId, 'openai:text-embedding-3-small:256@gpu-box:8080/v1');
		assert.deepEqual(local.legacyModelIds, ['openai:text-embedding-3-small:256']);
		const other = openAi('http://other-box:8080/v1', 256);
		assert.notEqual(ChromaVectorStore.collectionName('github:o/r', local.modelId), ChromaVectorStore.collectionName('github:o/r', other.modelId), 'two servers, two collections');
	});

	it('ONNX: two folders of the same name with different weights get different ids; dtype and normalisation count', () => {
		const a = new OnnxEmbedder({ model: folder('a', 'minilm', 'weights A') });
		const b = new OnnxEmbedder({ model: folder('b', 'minilm', 'weights B') });
		const copy = new OnnxEmbedder({ model: folder('c', 'minilm', 'weights A') });
		assert.match(a.modelId, /^onnx:minilm@[0-9a-f]{12}$/);
		assert.notEqual(a.modelId, b.modelId);
		assert.equal(copy.modelId, a.modelId, 'the same files are the same model wherever they are');
		assert.deepEqual(a.legacyModelIds, ['onnx:minilm']);
		const path = join(root, 'a', 'minilm');
		assert.equal(new OnnxEmbedder({ model: path, dtype: 'q8' }).modelId, `${a.modelId}:q8`);
		assert.equal(new OnnxEmbedder({ model: path, normalize: false }).modelId, `${a.modelId}:unnormalized`);
		assert.equal(new OnnxEmbedder({ model: 'Xenova/all-MiniLM-L6-v2', dtype: 'q8' }).modelId, 'onnx:Xenova/all-MiniLM-L6-v2:q8');
	});

	it('worker: dtype and pooling are part of the id', () => {
		const info = { model_id: 'minilm', dimension: 384, max_batch_size: 32, max_client_batch_size: 128, device: 'cpu' };
		const connection = { url: 'http://127.0.0.1:9' };
		assert.equal(new WorkerEmbedder(connection, { ...info, dtype: 'q8', pooling: 'cls' }).modelId, 'worker:minilm:q8:cls');
		const older = new WorkerEmbedder(connection, info);
		assert.equal(older.modelId, 'worker:minilm:fp32:mean');
		assert.deepEqual(older.legacyModelIds, ['worker:minilm']);
	});
});
