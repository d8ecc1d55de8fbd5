import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { keptLengths } from '../../embeddings-worker/src/tokenizer';

describe('embeddings worker: pair truncation (HF tokenizers LongestFirst, as TEI cuts /rerank pairs)', () => {
	test("keptLengths gives the lengths of tokenizers' own LongestFirst table (room 7, sequences of 0, 2, 4, 8)", () => {
		// truncate_encodings_longest_first in tokenizers/src/utils/truncation.rs: [first, second] -> [kept first, kept second]
		const table: Array<[number, number, number, number]> = [
			[0, 0, 0, 0], [0, 2, 0, 2], [0, 4, 0, 4], [0, 8, 0, 7],
			[2, 0, 2, 0], [2, 2, 2, 2], [2, 4, 2, 4], [2, 8, 2, 5],
			[4, 0, 4, 0], [4, 2, 4, 2], [4, 4, 3, 4], [4, 8, 3, 4],
			[8, 0, 7, 0], [8, 2, 5, 2], [8, 4, 4, 3], [8, 8, 3, 4],
		];
		for (const [first, second, keepFirst, keepSecond] of table) assert.deepEqual(keptLengths(first, second, 7), [keepFirst, keepSecond], `${first}, ${second}`);
	});

	test('a room of 0 keeps nothing; what fits is kept whole', () => {
		assert.deepEqual(keptLengths(3, 5, 0), [0, 0]);
		assert.deepEqual(keptLengths(0, 5, 0), [0, 0]);
		assert.deepEqual(keptLengths(3, 5, 8), [3, 5]);
		assert.deepEqual(keptLengths(1, 4, 3), [1, 2]);
		assert.deepEqual(keptLengths(2, 4, 3), [1, 2]);
	});
});
