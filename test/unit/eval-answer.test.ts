import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { citationMetrics, editSimilarity, exactMatch, levenshtein, normalizeAnswer, tokenF1 } from '../../lib/evaluate';
import type { EvalCitation } from '../../lib/evaluate';

const cite = (path: string, startLine: number | null, endLine: number | null, chunkId: string | null = null): EvalCitation => ({ path, startLine, endLine, chunkId });

describe('citation precision and recall', () => {
	const spans = [
		{ path: 'a.ts', startLine: 10, endLine: 20 },
		{ path: 'b.ts', startLine: 1, endLine: 5 },
	];

	it('against gold spans: a repeated citation counts once, a neighbouring range misses', () => {
		const citations = [cite('a.ts', 15, 18), cite('a.ts', 15, 18), cite('c.ts', 1, 2), cite('b.ts', 6, 9)];
		assert.deepEqual(citationMetrics(citations, { spans }), { precision: 1 / 3, recall: 0.5, level: 'lines' });
	});

	it('against gold chunk ids and spans together', () => {
		const citations = [cite('z.ts', 1, 2, 'c9'), cite('b.ts', 5, 7, 'c2')];
		assert.deepEqual(citationMetrics(citations, { spans, chunkIds: ['c9'] }), { precision: 1, recall: 2 / 3, level: 'lines' });
	});

	it('against gold files when no spans are given', () => {
		assert.deepEqual(citationMetrics([cite('a.ts', 1, 2), cite('b.ts', 1, 1)], { paths: ['a.ts'] }), { precision: 0.5, recall: 1, level: 'files' });
	});

	it('an answer without citations has precision and recall 0; a citation without lines misses a span', () => {
		assert.deepEqual(citationMetrics([], { spans }), { precision: 0, recall: 0, level: 'lines' });
		assert.deepEqual(citationMetrics([cite('a.ts', null, null)], { spans }), { precision: 0, recall: 0, level: 'lines' });
	});

	it('no gold: null', () => {
		assert.equal(citationMetrics([cite('a.ts', 1, 2)], { answer: 'x' }), null);
	});
});

describe('exact and fuzzy match', () => {
	it('normalises case, punctuation, citations and articles', () => {
		assert.equal(normalizeAnswer('The parser is in `src/parse.ts` [1].'), 'parser is in src parse ts');
		assert.equal(exactMatch('The parser is in `src/parse.ts` [1].', 'parser is in src parse ts'), 1);
		assert.equal(exactMatch('The parser is in src/parse.js', 'parser is in src/parse.ts'), 0);
	});

	it('token F1 counts words with multiplicity', () => {
		assert.equal(tokenF1('the quick brown fox', 'quick brown dog'), 2 / 3);
		assert.equal(tokenF1('x x y', 'x y y'), 2 / 3);
		assert.equal(tokenF1('x y', 'x y'), 1);
		assert.equal(tokenF1('nothing shared', 'at all'), 0);
		assert.equal(tokenF1('', ''), 1);
		assert.equal(tokenF1('words', ''), 0);
	});

	it('edit similarity is 1 - Levenshtein / longer length', () => {
		assert.equal(levenshtein('kitten', 'sitting'), 3);
		assert.equal(levenshtein('', 'abc'), 3);
		assert.equal(editSimilarity('kitten', 'sitting'), 4 / 7);
		assert.equal(editSimilarity('Same.', 'same'), 1);
		assert.equal(editSimilarity('', ''), 1);
		assert.equal(editSimilarity('abc', ''), 0);
	});
});
