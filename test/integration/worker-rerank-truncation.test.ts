import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { OnnxBackend } from '../../embeddings-worker/src';
import type { RerankPair } from '../../embeddings-worker/src/backend';
import { InputTokenizer } from '../../embeddings-worker/src/tokenizer';
import { expectedCrossEncoderLogit } from '../support/worker-models';
import { writeTinyModels, type TinyModels } from '../support/worker-server';

/** The tensors' shapes and values, comparable with deepEqual. */
const plain = (tensors: Record<string, { dims: number[]; data: unknown }>) =>
	Object.fromEntries(Object.entries(tensors).map(([name, tensor]) => [name, { dims: tensor.dims, data: Array.from(tensor.data as BigInt64Array, Number) }]));

describe('embeddings worker: cross-encoder pairs cut at either end as TEI cuts them (truncation_direction)', () => {
	let models: TinyModels;
	let tokenizer: InputTokenizer;
	let backend: OnnxBackend;
	before(async () => {
		models = writeTinyModels();
		tokenizer = await InputTokenizer.load(await import('@huggingface/transformers'), models.rerank.folder, { maxInputTokens: 6 });
		backend = new OnnxBackend({ model: models.embed.folder, rerankModel: models.rerank.folder, maxInputTokens: 6 });
		await backend.load();
	});
	after(async () => {
		await backend.close();
		models.remove();
	});

	test("pairs that fit get exactly the tensors of transformers.js's pair call (frame, type ids, padding)", async () => {
		const pairs: Array<[string, string]> = [['parse', 'file'], ['parse file', 'path'], ['Pa', 'x'], ['', 'read']];
		const transformers = await import('@huggingface/transformers');
		const hf = await transformers.AutoTokenizer.from_pretrained(models.rerank.folder, { local_files_only: true });
		const own = hf(pairs.map(([query]) => query), { text_pair: pairs.map(([, text]) => text), padding: true, truncation: true, max_length: 6 });
		assert.deepEqual(plain(tokenizer.encodePairs(pairs, 'Left')), plain(own));
		assert.deepEqual(plain(tokenizer.encodePairs(pairs, 'Right')), plain(own));
	});

	test('a too-long pair keeps the ends of its sequences and all its special tokens', () => {
		const { vocab } = models.rerank;
		const { input_ids: ids, token_type_ids: types } = plain(tokenizer.encodePairs([['parse', 'file path read write'], ['parse file', 'path read write chunk']], 'Left'));
		assert.deepEqual(ids.dims, [2, 6]);
		assert.deepEqual(ids.data, [2, vocab.parse, 3, vocab.read, vocab.write, 3, 2, vocab.file, 3, vocab.write, vocab.chunk, 3]);
		assert.deepEqual(types.data, [0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1]);
	});

	test("a pair's tokens are counted as the cross-encoder frames them ([CLS] query [SEP] text [SEP])", () => {
		assert.equal(backend.countPairTokens('parse', 'file path read'), 7);
		assert.equal(tokenizer.countPairTokens('parse file', ''), 5);
	});

	test('a batch mixing Left and Right pairs scores each as it scores alone', async () => {
		const score = backend.scorePairs as (pairs: RerankPair[]) => Promise<number[]>;
		const pairs: RerankPair[] = [['parse', 'file path read write', 'Left'], ['parse', 'file path read write', 'Right'], ['parse', 'commit tree'], ['parse file', 'path read write chunk', 'Left']];
		const mixed = await score(pairs);
		const alone = await Promise.all(pairs.map(async (pair) => (await score([pair]))[0]));
		assert.deepEqual(mixed, alone);
		const logit = (query: string, text: string) => expectedCrossEncoderLogit(models.rerank, query.split(' '), text.split(' '));
		const want = [logit('parse', 'read write'), logit('parse', 'file path'), logit('parse', 'commit tree'), logit('file', 'write chunk')];
		mixed.forEach((value, i) => assert.ok(Math.abs(value - want[i]) < 1e-6, `pair ${i}: ${value} vs ${want[i]}`));
	});
});
