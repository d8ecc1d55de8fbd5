import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildLexicalQuery, DEFAULT_TOKEN_RULES, pruneCommonWords } from '../../lib/retrieve/lexical-query';
import { lexicalDocument } from '../../lib/retrieve/lexical-text';

describe('buildLexicalQuery', () => {
	it('splits an identifier query the way the index splits the text', () => {
		assert.deepEqual(buildLexicalQuery('parseHeaderLines'), {
			words: ['parseHeaderLines', 'parse', 'header', 'lines'],
			against: 'parseHeaderLines parse header lines',
		});
		assert.deepEqual(buildLexicalQuery('snake_case_name')?.words, ['snake_case_name', 'snake', 'case', 'name']);
	});

	it('a natural-language question keeps its content words only', () => {
		assert.deepEqual(buildLexicalQuery('Where do we parse the header lines of a response?')?.words, ['parse', 'header', 'lines', 'response']);
	});

	it('every query word is a word of the indexed document that contains it', () => {
		const document = new Set(lexicalDocument('src/http.ts', 'parseHeaderLines', 'can function parseHeaderLines(raw: string) {}').split(' '));
		for (const word of buildLexicalQuery('Can parseHeaderLines parse the raw header?')!.words) assert.ok(document.has(word), word);
	});

	it('drops duplicates, words shorter than the minimum token size and dollar signs', () => {
		assert.deepEqual(buildLexicalQuery('go go to $json fs db JSON')?.words, ['json']);
	});

	it('is null when only short words and stopwords are left', () => {
		assert.equal(buildLexicalQuery('what is it? how to do a'), null);
		assert.equal(buildLexicalQuery('?? !!'), null);
	});

	it('follows the server rules it is given', () => {
		const rules = { ...DEFAULT_TOKEN_RULES, minTokenSize: 2, stopwords: new Set<string>() };
		assert.deepEqual(buildLexicalQuery('what is it', rules)?.words, ['what', 'is', 'it']);
		assert.deepEqual(buildLexicalQuery('averyveryverylongword ok', { ...rules, maxTokenSize: 10 })?.words, ['ok']);
	});
});

describe('pruneCommonWords', () => {
	const frequency = (word: string) => ({ function: 2500, return: 2000, parse: 400, header: 150, lines: 900, parseHeaderLines: 2 })[word] ?? 0;
	const query = (text: string) => buildLexicalQuery(text)!;

	it('keeps the rarest words while their frequencies fit the budget, in the original order', () => {
		// words: function parseHeaderLines parse header lines return; by rarity: parseHeaderLines 2,
		// header 150, parse 400, lines 900 (sum 1452), return 2000 (3452 > 3000), function 2500 (5952)
		const words = ['parseHeaderLines', 'parse', 'header', 'lines'];
		assert.deepEqual(pruneCommonWords(query('function parseHeaderLines return lines'), frequency).words, words);
		assert.deepEqual(pruneCommonWords(query('function parseHeaderLines return lines'), frequency, 5000).words, [...words, 'return']);
		assert.deepEqual(pruneCommonWords(query('parse header lines'), frequency, 1000).against, 'parse header');
	});

	it('always keeps the rarest word, and unknown words count as rare', () => {
		assert.deepEqual(pruneCommonWords(query('function return'), frequency).words, ['return']);
		assert.deepEqual(pruneCommonWords(query('function zyxxy'), frequency, 0).words, ['zyxxy']);
	});
});
