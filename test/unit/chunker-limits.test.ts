import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Chunker, countTokens } from '../../lib/chunk';
import { chunkId, textHash } from '../../lib/ids';
import type { Chunk, SourceFile } from '../../lib/types';

function file(path: string, content: string, overrides: Partial<SourceFile> = {}): SourceFile {
	const blobSha = 'b'.repeat(40);
	return { repoKey: 'github:acme/app', ref: 'main', path, blobSha, content, ...overrides };
}

function spans(chunks: Chunk[]): Array<[number, number, string | null]> {
	return chunks.map((chunk) => [chunk.startLine, chunk.endLine, chunk.symbol]);
}

/** A TypeScript function of `statements` distinct, non-blank body lines. */
function longFunction(statements: number): string {
	const body = Array.from(
		{ length: statements },
		(_, i) => `\tconst value${i} = compute(${i}, 'step ${i}');`,
	);
	return ['export function pipeline(): void {', ...body, '}'].join('\n');
}

describe('Chunker limits', () => {
	let chunker: Chunker;
	before(async () => {
		chunker = await Chunker.create({ maxTokens: 100, overlapLines: 3 });
	});

	it('splits a function over the budget into windows that overlap by overlapLines', () => {
		const source = `import { compute } from './compute';\n\n${longFunction(60)}\n`;
		const chunks = chunker.chunk(file('src/pipeline.ts', source));
		assert.deepEqual([chunks[0].startLine, chunks[0].endLine, chunks[0].symbol], [1, 1, null]);
		const windows = chunks.slice(1);
		assert.ok(windows.length >= 5);
		assert.equal(windows[0].startLine, 3);
		assert.equal(windows.at(-1)!.endLine, 64);
		for (const [index, window] of windows.entries()) {
			assert.equal(window.symbol, 'pipeline');
			assert.ok(window.tokens <= 100, `window ${index} has ${window.tokens} tokens`);
			assert.equal(window.tokens, countTokens(window.embeddingText));
			if (index > 0) assert.equal(window.startLine, windows[index - 1].endLine - 2);
		}
	});

	it('uses no overlap when overlapLines is 0', async () => {
		const noOverlap = await Chunker.create({ maxTokens: 100, overlapLines: 0 });
		const windows = noOverlap.chunk(file('src/pipeline.ts', longFunction(60)));
		for (let index = 1; index < windows.length; index++) {
			assert.equal(windows[index].startLine, windows[index - 1].endLine + 1);
		}
	});

	it('attaches doc comments to the members of a large interface', () => {
		const source = [
			'export interface Store {',
			'\t/**',
			'\t * Reads the value stored under a key, or undefined when the key was never written.',
			'\t */',
			'\tget(key: string, options?: { consistent?: boolean; timeoutMs?: number }):',
			'\t\tPromise<string>;',
			'',
			'\t/**',
			'\t * Writes a value under a key, replacing whatever was stored there before.',
			'\t */',
			'\tset(key: string, value: string, options?: { ttlSeconds?: number; ifAbsent?: boolean }):',
			'\t\tPromise<void>;',
			'',
			'\t/**',
			'\t * Removes a key; removing a key that is missing is not an error.',
			'\t */',
			'\tdelete(key: string, options?: { missingOk?: boolean; reason?: string }):',
			'\t\tPromise<boolean>;',
			'}',
		].join('\n');
		assert.deepEqual(
			spans(chunker.chunk(file('src/store.ts', source))),
			[
				[1, 6, 'Store.get'],
				[8, 12, 'Store.set'],
				[14, 19, 'Store.delete'],
			],
		);
	});

	it('gives a line over the budget its own chunk: exact content, cut embedding text', () => {
		const numbers = Array.from({ length: 400 }, (_, i) => i * 7919);
		const longLine = `export const TABLE = [${numbers.join(', ')}];`;
		const content = `const before = 1;\n${longLine}\nconst after = 2;`;
		const chunks = chunker.chunk(file('src/table.js', content, { language: 'text' }));
		assert.deepEqual(
			chunks.map((chunk) => [chunk.startLine, chunk.endLine]),
			[[1, 1], [2, 2], [3, 3]],
		);
		const long = chunks[1];
		assert.equal(long.content, longLine);
		assert.ok(long.tokens <= 100 && long.tokens >= 90, `${long.tokens} tokens`);
		assert.equal(long.tokens, countTokens(long.embeddingText));
		assert.ok(`File: src/table.js\n\n${longLine}`.startsWith(long.embeddingText));
		assert.ok(long.embeddingText.length < longLine.length);
	});

	it('falls back to line windows for languages without a grammar', () => {
		const lines = Array.from({ length: 120 }, (_, i) => `setting.${i} = "value number ${i}"`);
		const chunks = chunker.chunk(file('conf/app.properties', lines.join('\n')));
		assert.ok(chunks.length > 3);
		assert.equal(chunks[0].startLine, 1);
		assert.equal(chunks.at(-1)!.endLine, 120);
		for (const chunk of chunks) {
			assert.equal(chunk.language, 'text');
			assert.equal(chunk.symbol, null);
			assert.ok(chunk.tokens <= 100);
			assert.equal(chunk.content, lines.slice(chunk.startLine - 1, chunk.endLine).join('\n'));
		}
	});

	it('keeps a small file of an unknown language in one chunk without blank edges', () => {
		const content = '\n\nweb: node server.js\nworker: node worker.js\n\n';
		const chunks = chunker.chunk(file('Procfile', content));
		assert.deepEqual(
			chunks.map((chunk) => [chunk.startLine, chunk.endLine, chunk.content]),
			[[3, 4, 'web: node server.js\nworker: node worker.js']],
		);
		const expected = 'File: Procfile\n\nweb: node server.js\nworker: node worker.js';
		assert.equal(chunks[0].embeddingText, expected);
	});

	it('gives the same chunks for CRLF input, with no carriage returns in content', async () => {
		const defaults = await Chunker.create();
		const lf = `import os\n\n\ndef main():\n    print(os.getcwd())\n\n\nclass App:\n    pass\n`;
		const crlf = lf.replace(/\n/g, '\r\n');
		const fromCrlf = defaults.chunk(file('app.py', crlf));
		assert.deepEqual(fromCrlf, defaults.chunk(file('app.py', lf)));
		assert.ok(fromCrlf.every((chunk) => !chunk.content.includes('\r')));
		assert.deepEqual(
			fromCrlf.map((chunk) => [chunk.startLine, chunk.endLine, chunk.symbol]),
			[[1, 9, null]],
		);
	});

	it('gives no chunks for an empty or whitespace-only file', () => {
		assert.deepEqual(chunker.chunk(file('src/empty.ts', '')), []);
		assert.deepEqual(chunker.chunk(file('src/blank.ts', ' \n\t\r\n\n')), []);
		assert.deepEqual(chunker.chunk(file('notes.md', '\n\n')), []);
	});

	it('rejects budgets it cannot honour', async () => {
		await assert.rejects(Chunker.create({ maxTokens: 10 }), /maxTokens/);
		await assert.rejects(Chunker.create({ overlapLines: -1 }), /overlapLines/);
	});
});

describe('Chunk identity', () => {
	let chunker: Chunker;
	const source = [
		'/** Adds. */',
		'export function add(a: number, b: number): number {',
		'\treturn a + b;',
		'}',
		'',
		'export class Counter {',
		...Array.from({ length: 30 }, (_, i) => `\tstep${i}(): number {\n\t\treturn ${i};\n\t}`),
		'}',
	].join('\n');
	before(async () => {
		chunker = await Chunker.create({ maxTokens: 120 });
	});

	it('is deterministic', () => {
		const first = chunker.chunk(file('src/math.ts', source));
		assert.deepEqual(chunker.chunk(file('src/math.ts', source)), first);
	});

	it('uses the project chunk id and content hash', () => {
		for (const chunk of chunker.chunk(file('src/math.ts', source))) {
			const { repoKey, ref, path, blobSha, startLine, endLine } = chunk;
			assert.equal(chunk.id, chunkId({ repoKey, ref, path, blobSha, startLine, endLine }));
			assert.equal(chunk.contentHash, textHash(chunk.embeddingText));
		}
	});

	it('changes every id when blob, ref or path change; the cache key changes only with the path (it is in the embedded text)', () => {
		const base = chunker.chunk(file('src/math.ts', source));
		const variants = [
			chunker.chunk(file('src/math.ts', source, { blobSha: 'c'.repeat(40) })),
			chunker.chunk(file('src/math.ts', source, { ref: 'release' })),
			chunker.chunk(file('lib/math.ts', source)),
		];
		for (const variant of variants) {
			assert.equal(variant.length, base.length);
			variant.forEach((chunk, index) => assert.notEqual(chunk.id, base[index].id));
		}
		const keys = (chunks: typeof base) => chunks.map((chunk) => chunk.contentHash);
		assert.deepEqual(keys(variants[0]), keys(base));
		assert.deepEqual(keys(variants[1]), keys(base));
		variants[2].forEach((chunk, index) => assert.notEqual(chunk.contentHash, base[index].contentHash));
	});

	it('changes the id of a chunk whose span moves', () => {
		const base = chunker.chunk(file('src/math.ts', source));
		const shifted = chunker.chunk(file('src/math.ts', `\n${source}`));
		assert.equal(shifted.length, base.length);
		shifted.forEach((chunk, index) => {
			assert.equal(chunk.startLine, base[index].startLine + 1);
			assert.equal(chunk.contentHash, base[index].contentHash);
			assert.notEqual(chunk.id, base[index].id);
		});
	});
});
