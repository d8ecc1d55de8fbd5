import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Tiktoken } from 'js-tiktoken/lite';
import cl100kBase from 'js-tiktoken/ranks/cl100k_base';
import { countTokens } from '../../lib/chunk';
import { truncateToTokens } from '../../lib/chunk/tokens';

const FIXTURES = join(__dirname, '..', 'fixtures', 'chunker');
const reference = new Tiktoken(cl100kBase);
const exact = (text: string): number => reference.encode(text, [], []).length;

const TRICKY = [
	'',
	'hello world',
	"It's the user's 'quoted' text, isn't it?",
	'\t\t\t\treturn value;\n\n\n\t}\n',
	'<|endoftext|> is a special token spelled as plain text <|fim_prefix|>',
	'Ünïcödé ✓ 日本語のテキスト 🚀🚀 emoji and 1234567890 digits',
	' '.repeat(300) + 'x',
	'a'.repeat(500),
];

describe('countTokens', () => {
	it('equals the cl100k_base encoding length of every fixture', () => {
		for (const name of readdirSync(FIXTURES)) {
			const text = readFileSync(join(FIXTURES, name), 'utf8');
			assert.equal(countTokens(text), exact(text), name);
		}
	});

	it('equals the cl100k_base encoding length of tricky texts, twice (cached)', () => {
		for (const text of [...TRICKY, ...TRICKY]) assert.equal(countTokens(text), exact(text), text);
	});

	it('gives known counts', () => {
		assert.equal(countTokens(''), 0);
		assert.equal(countTokens('hello world'), 2);
	});
});

describe('truncateToTokens', () => {
	it('returns a text that fits unchanged', () => {
		assert.equal(truncateToTokens('hello world', 2), 'hello world');
	});

	it('cuts to the longest prefix within the budget', () => {
		const text = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
		const cut = truncateToTokens(text, 50);
		assert.ok(text.startsWith(cut));
		assert.ok(countTokens(cut) <= 50);
		assert.ok(countTokens(text.slice(0, cut.length + 1)) > 50);
	});

	it('never splits a surrogate pair', () => {
		const cut = truncateToTokens('🚀'.repeat(100), 7);
		assert.ok(countTokens(cut) <= 7);
		assert.equal(cut.length % 2, 0);
		assert.ok(cut.length > 0);
	});
});
