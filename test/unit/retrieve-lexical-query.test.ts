import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildLexicalQuery, DEFAULT_TOKEN_RULES } from '../../lib/retrieve/lexical-query';
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
