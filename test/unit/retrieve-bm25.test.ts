import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bm25Score } from '../../lib/retrieve/bm25';
import { lexicalDocument } from '../../lib/retrieve/lexical-text';
import type { TermStatistics } from '../../lib/retrieve/term-statistics';

const statistics: TermStatistics = { total: 100, sampled: 100, sampleFrequency: new Map([['pool', 10], ['queue', 50], ['idle', 2]]), averageLength: 20 };
const doc = (path: string, symbol: string | null, content: string) => ({ id: path, path, symbol, searchText: lexicalDocument(path, symbol, content) });

describe('bm25Score', () => {
	it('rewards rare words more than common ones and ignores words the text lacks', () => {
		const rare = bm25Score(doc('a.js', null, 'idle'), ['idle'], statistics);
		const common = bm25Score(doc('a.js', null, 'queue'), ['queue'], statistics);
		assert.ok(rare > common, `${rare} vs ${common}`);
		assert.equal(bm25Score(doc('a.js', null, 'nothing here'), ['idle'], statistics), 0);
	});

	it('saturates term frequency and prefers the shorter text for the same matches', () => {
		const once = bm25Score(doc('a.js', null, 'pool'), ['pool'], statistics);
		const many = bm25Score(doc('a.js', null, 'pool pool pool pool'), ['pool'], statistics);
		assert.ok(many > once && many < 4 * once);
		const long = bm25Score(doc('a.js', null, `pool ${'word '.repeat(60)}`), ['pool'], statistics);
		assert.ok(long < once);
	});

	it('matches exactly as the binary-collation index does, and weights path and symbol words when asked', () => {
		assert.equal(bm25Score(doc('a.js', null, 'new PoolCluster()'), ['PoolCluster'], statistics) > 0, true);
		assert.equal(bm25Score(doc('a.js', null, 'new PoolCluster()'), ['poolcluster'], statistics), 0);
		const plain = bm25Score(doc('lib/pool.js', 'getConnection', 'idle'), ['pool'], statistics);
		const weighted = bm25Score(doc('lib/pool.js', 'getConnection', 'idle'), ['pool'], statistics, { path: 3, symbol: 1 });
		assert.ok(weighted > plain);
	});
});
