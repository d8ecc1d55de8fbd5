import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkCitations } from '../../lib/generate/citations';
import type { NumberedSource } from '../../lib/generate/types';

const sources: NumberedSource[] = [
	{ n: 1, chunkId: 'aaa', path: 'lib/parse.js', startLine: 10, endLine: 40, text: '' },
	{ n: 2, chunkId: 'bbb', path: 'lib/scan.js', startLine: 1, endLine: 25, text: '' },
	{ n: 3, chunkId: 'ccc', path: 'README.md', startLine: 5, endLine: 9, text: '' },
];
const cite = (n: number) => {
	const { chunkId, path, startLine, endLine } = sources[n - 1];
	return { n, chunkId: chunkId!, path, startLine: startLine!, endLine: endLine! };
};

describe('checkCitations', () => {
	test('valid [n] citations are kept and listed once each, in order of first mention', () => {
		const checked = checkCitations(
			'Parsing starts in parse [2]. It scans first [2][1], see also [3, 1].',
			sources,
		);
		assert.equal(
			checked.answer,
			'Parsing starts in parse [2]. It scans first [2][1], see also [3, 1].',
		);
		assert.deepEqual(checked.citations, [cite(2), cite(1), cite(3)]);
		assert.deepEqual(checked.invalidCitations, []);
	});

	test('invented citations are removed from the answer and reported', () => {
		const checked = checkCitations(
			'It parses globs [1] and caches them [99]. Scanning [2, 7] is lazy [4].',
			sources,
		);
		assert.equal(checked.answer, 'It parses globs [1] and caches them. Scanning [2] is lazy.');
		assert.deepEqual(checked.citations, [cite(1), cite(2)]);
		assert.deepEqual(checked.invalidCitations, [
			{ text: '[99]', reason: 'not-retrieved' },
			{ text: '[7]', reason: 'not-retrieved' },
			{ text: '[4]', reason: 'not-retrieved' },
		]);
	});

	test('path citations are checked against the retrieved spans', () => {
		const answer =
			'See [lib/parse.js:12-20], [./lib/scan.js:L3-L4], [README.md:100-120] and [src/secret.ts:1-5].';
		const checked = checkCitations(answer, sources);
		assert.equal(checked.answer, 'See [lib/parse.js:12-20], [./lib/scan.js:L3-L4], and.');
		assert.deepEqual(checked.citations, [cite(1), cite(2)]);
		assert.deepEqual(checked.invalidCitations, [
			{ text: '[README.md:100-120]', reason: 'not-retrieved' },
			{ text: '[src/secret.ts:1-5]', reason: 'not-retrieved' },
		]);
	});

	test('malformed citations are removed and reported as malformed', () => {
		const checked = checkCitations(
			'Zero [0] and backwards [lib/parse.js:30-12] and a range [3-1] and fine [source 3].',
			sources,
		);
		assert.equal(checked.answer, 'Zero and backwards and a range and fine [source 3].');
		assert.deepEqual(checked.citations, [cite(3)]);
		assert.deepEqual(checked.invalidCitations, [
			{ text: '[0]', reason: 'malformed' },
			{ text: '[lib/parse.js:30-12]', reason: 'malformed' },
			{ text: '[3-1]', reason: 'malformed' },
		]);
	});

	test('ranges expand: [1-3] cites three sources', () => {
		const checked = checkCitations('All of them.[1-3] Not this.[42]', sources);
		assert.deepEqual(checked.citations, [cite(1), cite(2), cite(3)]);
		assert.equal(checked.answer, 'All of them.[1, 2, 3] Not this.');
	});

	test('code, array indexes, markdown links and plain brackets are not citations', () => {
		const answer =
			'Use `list[99]` or\n```js\nconst x = a[7];\n```\nthen items[5], f()[6], [docs](https://x/[9]) and [optional] values [1].';
		const checked = checkCitations(answer, sources);
		assert.equal(checked.answer, answer);
		assert.deepEqual(checked.citations, [cite(1)]);
		assert.deepEqual(checked.invalidCitations, []);
	});

	test('an answer without citations has none', () => {
		assert.deepEqual(checkCitations('No idea.', sources), {
			answer: 'No idea.',
			citations: [],
			invalidCitations: [],
		});
	});
});
