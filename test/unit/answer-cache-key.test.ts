import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerPieces, cacheKey, canonicalJson, endpointOf, normaliseQuestion, type CacheScope, type IndexVersion } from '../../lib/cache';

const INDEX: IndexVersion = { commit: 'a'.repeat(40), refs: [{ embeddingModel: 'm', commit: 'a'.repeat(40), chunkerVersion: 2, filterVersion: 1 }] };
const SCOPE: CacheScope = { kind: 'answer', question: 'How does parse work?', repoKey: 'github:o/r', ref: 'main', model: { label: 'openai:x' }, settings: { topK: 8, filters: { pathPrefix: 'src/' } } };

describe('answer cache keys', () => {
	it('canonical JSON ignores key order and undefined members, keeps array order', () => {
		assert.equal(canonicalJson({ b: 1, a: { d: [2, 1], c: undefined } }), '{"a":{"d":[2,1]},"b":1}');
		assert.equal(canonicalJson({ a: 1, b: 2 }), canonicalJson({ b: 2, a: 1 }));
	});

	it('normalises white space and trailing marks only; case and code spans are kept', () => {
		assert.equal(normaliseQuestion(' How\tdoes \n parse work ?! '), 'How does parse work');
		assert.equal(normaliseQuestion('Why is ```a\n  b``` slow?'), 'Why is ```a\n  b``` slow');
		assert.equal(normaliseQuestion('What does getURL do'), 'What does getURL do');
		assert.notEqual(normaliseQuestion('What does getURL do'), normaliseQuestion('what does geturl do'));
		assert.equal(normaliseQuestion('Is a.b. valid.'), 'Is a.b. valid.');
	});

	it('one key per scope and index version', () => {
		const key = cacheKey(SCOPE, INDEX);
		assert.match(key, /^[0-9a-f]{64}$/);
		assert.equal(cacheKey({ ...SCOPE, question: ' How  does parse work ' }, INDEX), key);
		assert.equal(cacheKey({ ...SCOPE, settings: { filters: { pathPrefix: 'src/' }, topK: 8 } }, INDEX), key);
		const others = [
			cacheKey({ ...SCOPE, kind: 'search' }, INDEX),
			cacheKey({ ...SCOPE, ref: 'dev' }, INDEX),
			cacheKey({ ...SCOPE, model: { label: 'openai:y' } }, INDEX),
			cacheKey({ ...SCOPE, settings: { topK: 9, filters: { pathPrefix: 'src/' } } }, INDEX),
			cacheKey(SCOPE, { ...INDEX, refs: [{ ...INDEX.refs[0], commit: 'b'.repeat(40) }] }),
			cacheKey(SCOPE, { ...INDEX, refs: [{ ...INDEX.refs[0], chunkerVersion: 3 }] }),
		];
		assert.equal(new Set([key, ...others]).size, others.length + 1);
	});

	it('endpoints are host and path only', () => {
		assert.equal(endpointOf('https://user:secret@api.example.com:8443/v1/?key=secret#x'), 'api.example.com:8443/v1');
		assert.match(endpointOf('not a url secret')!, /^unparsable:[0-9a-f]{16}$/);
		assert.equal(endpointOf(undefined), undefined);
	});

	it('a cached answer streams in pieces that add up to it', () => {
		const text = 'It is in [1] lib/parse.js:20-42.\n\nAnd more  words here, and   there.';
		const pieces = answerPieces(text);
		assert.ok(pieces.length > 2);
		assert.equal(pieces.join(''), text);
	});
});
