import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ServiceError } from '../../lib/errors';
import { createEmbedder } from '../../lib/embed/index';
import { OnnxEmbedder } from '../../lib/embed/onnx';
import { expectedTinyVector, writeTinyOnnxModel, type TinyOnnxModel } from '../support/tiny-onnx-model';

function assertClose(actual: number[], expected: number[], tolerance = 1e-6) {
	assert.equal(actual.length, expected.length);
	actual.forEach((value, j) => assert.ok(Math.abs(value - expected[j]) < tolerance, `[${j}] ${value}`));
}

describe('ONNX embedder on a tiny local model (offline)', () => {
	let root: string;
	let model: TinyOnnxModel;
	before(() => {
		root = mkdtempSync(join(tmpdir(), 'repomind-onnx-'));
		model = writeTinyOnnxModel(join(root, 'tiny-bow'), { dimensions: 48 });
	});
	after(() => rmSync(root, { recursive: true, force: true }));

	it('loads the folder and gives the model’s normalised mean-pooled vectors', async () => {
		const embedder = new OnnxEmbedder({ model: model.folder });
		assert.match(embedder.modelId, /^onnx:tiny-bow@[0-9a-f]{12}$/);
		const vectors = await embedder.embed(['parse file', 'Return the VALUE', 'parse file']);
		assert.equal(vectors.length, 3);
		assertClose(vectors[0], expectedTinyVector(model, ['parse', 'file']));
		assert.deepEqual(vectors[2], vectors[0]);
		for (const vector of vectors) {
			assert.equal(vector.length, 48);
			assert.ok(Math.abs(Math.hypot(...vector) - 1) < 1e-6);
		}
	});

	it('is deterministic across embedder instances and batch compositions', async () => {
		const one = await new OnnxEmbedder({ model: model.folder }).embed(['query index']);
		const batched = createEmbedder({ provider: 'onnx', model: model.folder, batchSize: 2 });
		const many = await batched.embed(['a b c d e f', 'query index', 'token']);
		assertClose(many[1], one[0]);
		assertClose(one[0], expectedTinyVector(model, ['query', 'index']));
	});

	it('fails clearly on a folder without a model, never downloading', async () => {
		const embedder = new OnnxEmbedder({ model: join(root, 'missing-model') });
		await assert.rejects(embedder.embed(['a']), (error) => {
			assert.ok(error instanceof ServiceError);
			assert.match(error.message, /^Could not load the ONNX folder .*missing-model: /);
			assert.equal(error.hint, 'The folder needs config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx.');
			return true;
		});
	});

	it('embeds code chunks at a measurable rate', async (t) => {
		const embedder = createEmbedder({ provider: 'onnx', model: model.folder, batchSize: 32 });
		await embedder.embed(['warm up']);
		const text = 'export async function readBlob(repo, path) { return client.request(path); }\n'.repeat(6);
		const texts = Array.from({ length: 256 }, (_, i) => `${text}// chunk ${i}`);
		const started = performance.now();
		const vectors = await embedder.embed(texts);
		const seconds = (performance.now() - started) / 1000;
		assert.equal(vectors.length, 256);
		const rate = Math.round(texts.length / seconds);
		t.diagnostic(`onnx tiny-bow (48-d) embedded ${texts.length} texts of ${text.length} chars: ${rate} texts/s`);
		assert.ok(rate > 10, `${rate} texts/s`);
	});
});
