import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { HashEmbedder, STATIC_MODEL_ID } from '../../lib/embed';
import { HuggingFaceEmbedder } from '../../lib/embed/huggingface';
import { indexedModelOf, modelChoices } from '../../lib/embed/indexed-model';
import { langChainModelId } from '../../lib/embed/langchain';
import { OnnxEmbedder } from '../../lib/embed/onnx';
import { OpenAIEmbedder } from '../../lib/embed/openai';

const openAi = (model: string, baseURL?: string, dimensions?: number) => new OpenAIEmbedder({ model, apiKey: 'sk-test', baseURL, dimensions }).modelId;

describe('indexedModelOf: an index\'s embedding model id read back into provider and Model field', () => {
	const root = mkdtempSync(join(tmpdir(), 'repomind-indexed-model-'));
	after(() => rmSync(root, { recursive: true, force: true }));

	it('OpenAI-compatible ids give the model name back, with dimensions and base URL apart (round trip through the embedder)', () => {
		for (const [model, baseURL, dimensions] of [
			['text-embedding-3-small', undefined, undefined],
			['text-embedding-3-large', 'https://api.openai.com/v1', 256],
			['nomic-embed-text:latest', 'http://127.0.0.1:11434/v1', undefined],
			['qwen3-embedding:0.6b', 'http://gpu-box:8080/v1', 512],
			['BAAI/bge-small-en-v1.5', 'http://user:pw@vllm.internal/v1/', undefined],
		] as Array<[string, string | undefined, number | undefined]>) {
			const read = indexedModelOf(openAi(model, baseURL, dimensions));
			assert.equal(read.provider, 'openai', model);
			assert.equal(read.modelField, model, model);
			assert.equal(read.dimensions, dimensions, model);
			assert.equal(read.unmapped, undefined);
			assert.equal(openAi(read.modelField as string, baseURL, read.dimensions), read.modelId, 'the field value gives the same id again');
		}
		assert.equal(indexedModelOf('openai:nomic-embed-text@127.0.0.1:11434/v1').endpoint, '127.0.0.1:11434/v1');
	});

	it('Hugging Face: a hub model maps back; an endpoint id does not name its model and says so', () => {
		const hub = indexedModelOf(new HuggingFaceEmbedder({ model: 'sentence-transformers/all-MiniLM-L6-v2' }).modelId);
		assert.deepEqual([hub.provider, hub.modelField], ['huggingface', 'sentence-transformers/all-MiniLM-L6-v2']);
		assert.equal(indexedModelOf('hf:bert-base-uncased').modelField, 'bert-base-uncased');
		for (const endpointUrl of ['http://127.0.0.1:8080/embed', 'https://tei.example.com/embed', 'http://localhost/embed']) {
			const endpoint = indexedModelOf(new HuggingFaceEmbedder({ endpointUrl }).modelId);
			assert.equal(endpoint.provider, 'huggingface');
			assert.equal(endpoint.modelField, undefined, endpointUrl);
			assert.match(String(endpoint.unmapped), /Endpoint URL/);
		}
	});

	it('ONNX: a hub name maps back; a local folder (only its name is kept), another dtype or unnormalised vectors do not', () => {
		const hub = indexedModelOf(new OnnxEmbedder({ model: 'Xenova/all-MiniLM-L6-v2' }).modelId);
		assert.deepEqual([hub.provider, hub.modelField, hub.unmapped], ['onnx', 'Xenova/all-MiniLM-L6-v2', undefined]);
		const path = join(root, 'minilm');
		mkdirSync(join(path, 'onnx'), { recursive: true });
		writeFileSync(join(path, 'onnx', 'model.onnx'), 'weights');
		const folder = indexedModelOf(new OnnxEmbedder({ model: path }).modelId);
		assert.equal(folder.model, 'minilm');
		assert.equal(folder.modelField, undefined);
		assert.match(String(folder.unmapped), /local model folder named minilm.*path By Name/);
		for (const options of [{ dtype: 'q8' }, { normalize: false }, { device: 'cpu' }]) {
			const read = indexedModelOf(new OnnxEmbedder({ model: 'Xenova/all-MiniLM-L6-v2', ...options }).modelId);
			assert.equal(read.modelField, undefined, JSON.stringify(options));
			assert.match(String(read.unmapped), /fp32/);
		}
	});

	it('providers without a Model field and n8n sub-nodes are told apart and never mapped to a model name', () => {
		assert.deepEqual(indexedModelOf(new HashEmbedder({ dimensions: 384 }).modelId), { modelId: 'hash:384', provider: 'hash', dimensions: 384 });
		assert.equal(indexedModelOf(STATIC_MODEL_ID).provider, 'static');
		assert.deepEqual([indexedModelOf('worker:BAAI/bge-small-en-v1.5:q8:cls').provider, indexedModelOf('worker:BAAI/bge-small-en-v1.5:q8:cls').model], ['worker', 'BAAI/bge-small-en-v1.5']);
		const ollama = indexedModelOf(langChainModelId({ provider: 'ollama', model: 'nomic-embed-text', endpoint: '127.0.0.1:11434', dimensions: 768, stripsNewLines: false }));
		assert.deepEqual([ollama.provider, ollama.model, ollama.dimensions, ollama.endpoint, ollama.modelField], ['subNode', 'nomic-embed-text', 768, '127.0.0.1:11434', undefined]);
		const stripping = indexedModelOf(langChainModelId({ provider: 'openai', model: 'text-embedding-3-small', endpoint: 'api.openai.com/v1', stripsNewLines: true }));
		assert.equal(stripping.provider, 'subNode');
		assert.match(String(stripping.unmapped), /strips new lines/);
		assert.equal(indexedModelOf('hash-384').provider, 'unknown');
	});
});

describe('modelChoices: what the Model picker lists for one provider', () => {
	const ids = ['hash:384', 'openai:text-embedding-3-small', 'openai:text-embedding-3-large:256@gpu-box:8080/v1', 'onnx:minilm@0123456789ab'];

	it('only models of the chosen provider, named as the Model field takes them, with dimensions and server in the description', () => {
		const choices = modelChoices('openai', ids, 'github:o/r at main');
		assert.deepEqual(choices.map((choice) => [choice.name, choice.value]), [['text-embedding-3-small', 'text-embedding-3-small'], ['text-embedding-3-large (Dimensions 256)', 'text-embedding-3-large']]);
		assert.match(choices[1].description, /set Dimensions to 256.*gpu-box:8080\/v1.*index id openai:text-embedding-3-large:256@gpu-box:8080\/v1/);
		assert.deepEqual(modelChoices('openai', ids, 'x', 'LARGE').map((choice) => choice.value), ['text-embedding-3-large']);
	});

	it('an id that does not map back is listed as such, with nothing to pick', () => {
		const [folder] = modelChoices('onnx', ids, 'github:o/r at main');
		assert.deepEqual([folder.name, folder.value], ['minilm (cannot be picked: a local folder, type its path By Name)', '']);
		assert.match(folder.description, /path By Name.*onnx:minilm@0123456789ab/);
	});

	it('no index, or none with this provider: one entry that says what to do', () => {
		const [none] = modelChoices('openai', [], 'github:o/r at dev');
		assert.deepEqual([none.name, none.value], ['No index of github:o/r at dev yet: index it first', '']);
		assert.match(none.description, /Sync Repository/);
		const [other] = modelChoices('huggingface', ['hash:384'], 'github:o/r at main');
		assert.equal(other.name, 'No index of github:o/r at main uses Hugging Face; it is indexed with hash:384 (Feature Hashing)');
		assert.match(other.description, /choose that Embedding Provider/i);
	});
});
