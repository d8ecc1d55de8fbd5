import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EmbeddingsWorker } from '../../embeddings-worker/src';
import { cosine } from '../../lib/retrieve/mmr';
import { writeRandomBertModel } from '../support/random-bert-model';
import { callWorker, WORKER_KEY } from '../support/worker-server';

const TEXTS = ['parse file path', 'commit tree blob hash', 'vector index query search', 'retry request response'];

describe('embeddings worker: --dtype picks the ONNX file (fp32 model.onnx, q8 model_quantized.onnx)', () => {
	let folder: string;
	const vectors: Record<string, number[][]> = {};

	before(async () => {
		folder = mkdtempSync(join(tmpdir(), 'repomind-worker-dtype-'));
		writeRandomBertModel(folder, { layers: 2, hidden: 64, heads: 4, intermediate: 128, maxPositions: 64 }, {}, ['fp32', 'q8']);
		for (const dtype of ['fp32', 'q8']) {
			const worker = await EmbeddingsWorker.start({ model: folder, dtype, port: 0, apiKey: WORKER_KEY }, { processMetrics: false });
			try {
				const info = await callWorker(worker.url, '/info');
				assert.equal((info.body as { dtype: string }).dtype, dtype);
				const answer = await callWorker(worker.url, '/embed', { body: { inputs: TEXTS } });
				assert.equal(answer.status, 200);
				vectors[dtype] = answer.body as number[][];
			} finally {
				await worker.close();
			}
		}
	});
	after(() => rmSync(folder, { recursive: true, force: true }));

	test('q8 vectors are the int8-quantized model: not the fp32 vectors, but within quantization error of them', () => {
		TEXTS.forEach((_, i) => {
			assert.notDeepEqual(vectors.q8[i], vectors.fp32[i], `text ${i}: q8 ran another file`);
			assert.ok(cosine(vectors.q8[i], vectors.fp32[i]) > 0.999, `text ${i}: cosine ${cosine(vectors.q8[i], vectors.fp32[i])}`);
		});
	});

	test('texts stay apart under both dtypes (the model is not constant)', () => {
		for (const dtype of ['fp32', 'q8']) assert.ok(cosine(vectors[dtype][0], vectors[dtype][1]) < 0.9, dtype);
	});
});
