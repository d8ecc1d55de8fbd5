import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { citationsFromJson, evalHitsFromJson, expectedFromJson, itemResultFromJson, parseCsv, readDataset, spanOf } from '../../lib/evaluate';

const FIXTURES = join(__dirname, '..', 'fixtures', 'eval');

describe('evaluation datasets and item input', () => {
	it('parses CSV: quotes, doubled quotes, commas and new lines in fields, CRLF, blank lines', () => {
		const text = '\uFEFFid,question,note\r\n1,"Say ""hi"", twice","a\nb"\r\n\r\n2,plain,\n';
		assert.deepEqual(parseCsv(text), [
			{ id: '1', question: 'Say "hi", twice', note: 'a\nb' },
			{ id: '2', question: 'plain', note: '' },
		]);
		assert.throws(() => parseCsv('a\n"open'), /The CSV ends inside a quoted field/);
	});

	it('reads the JSON and CSV fixtures to the same items', async () => {
		const fromJson = await readDataset(join(FIXTURES, 'dataset.json'));
		assert.deepEqual(await readDataset(join(FIXTURES, 'dataset.csv')), fromJson);
		assert.deepEqual(fromJson[0], {
			id: 'is-windows',
			question: 'How does isWindows detect the win32 platform (navigator or process)?',
			expected: {
				spans: [{ path: 'lib/utils.js', startLine: 17, endLine: 28 }],
				answer: 'It checks navigator.platform for win32 or windows, then process.platform for win32.',
			},
		});
		assert.deepEqual(fromJson[4], { id: 'no-gold', question: 'What does this repository do?', expected: {} });
		await assert.rejects(readDataset(join(FIXTURES, 'missing.json')), /Cannot read the dataset .*missing\.json: ENOENT/);
	});

	it('reads gold from an expected object or flat fields, lists as arrays or separated strings', () => {
		assert.deepEqual(expectedFromJson({ expected: { paths: ['a.ts'], chunkIds: ['c1'], answer: 'x' } }), { paths: ['a.ts'], chunkIds: ['c1'], answer: 'x' });
		assert.deepEqual(expectedFromJson({ goldPaths: 'a.ts; b.ts\nc.ts', goldSpans: 'a.ts#L3-L9, b.ts:7', gold_chunk_ids: '["c1","c2"]', referenceAnswer: '  ' }), {
			paths: ['a.ts', 'b.ts', 'c.ts'],
			spans: [
				{ path: 'a.ts', startLine: 3, endLine: 9 },
				{ path: 'b.ts', startLine: 7, endLine: 7 },
			],
			chunkIds: ['c1', 'c2'],
		});
		assert.deepEqual(spanOf({ path: 'src/x.ts', startLine: 4, endLine: 6 }), { path: 'src/x.ts', startLine: 4, endLine: 6 });
		assert.deepEqual(spanOf('C:/x:y.ts:4-6'), { path: 'C:/x:y.ts', startLine: 4, endLine: 6 });
		assert.throws(() => spanOf('src/x.ts'), /Gold span "src\/x.ts" has no line range/);
		assert.throws(() => spanOf('src/x.ts:9-3'), /needs a path and lines 1 <= start <= end/);
	});

	it('reads hits and citations from node JSON (objects or JSON strings)', () => {
		const hits = evalHitsFromJson(JSON.stringify([{ chunkId: 'c1', path: 'a.ts', startLine: 2, endLine: 4, score: 0.5, text: 'x', symbol: null }]));
		assert.deepEqual(hits, [{ chunkId: 'c1', path: 'a.ts', startLine: 2, endLine: 4, score: 0.5, text: 'x' }]);
		assert.throws(() => evalHitsFromJson({ not: 'a list' }), /"hits" is not a list of hits/);
		assert.deepEqual(citationsFromJson([{ n: 1, chunkId: null, path: 'a.ts', startLine: 2, endLine: 4 }]), [{ chunkId: null, path: 'a.ts', startLine: 2, endLine: 4 }]);
		assert.deepEqual(evalHitsFromJson(undefined), []);
	});

	it('reads evaluated items back; an error item or a foreign item becomes an error result', () => {
		const item = itemResultFromJson({ id: 'q', question: 'Q?', k: 5, metrics: { fileRecall: 1, bogus: 3 }, skipped: [], verdicts: {}, judgeFailures: [], latencyMs: 9, hasGold: true }, 0);
		assert.deepEqual(item, { id: 'q', question: 'Q?', k: 5, metrics: { fileRecall: 1 }, skipped: [], verdicts: {}, judgeFailures: [], latencyMs: 9, hasGold: true });
		assert.equal(itemResultFromJson({ question: 'Q?', error: 'Chat failed' }, 1).error, 'Chat failed');
		assert.equal(itemResultFromJson({ foo: 1 }, 2).id, 'item 3');
		assert.match(itemResultFromJson({ foo: 1 }, 2).error!, /not a RepoMind Evaluate result/);
	});
});
