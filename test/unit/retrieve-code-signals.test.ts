import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { detectLanguage } from '../../lib/language';
import { boostDefinitions, definingChunks, expandImports, importNeighbours, MAX_DEFINITIONS, MAX_PARSED_CHUNKS, namedSymbols } from '../../lib/retrieve';
import type { IndexedRef, IndexStateStore, StoredChunk, StoredFile } from '../../lib/store/index-state';

const ids = (ranked: Array<{ id: string }>) => ranked.map(({ id }) => id);

describe('namedSymbols', () => {
	test('takes names written as code and leaves plain words alone', () => {
		assert.deepEqual(namedSymbols('How does createPool release a connection?'), ['createPool']);
		assert.deepEqual(namedSymbols('What does `query` return, and when is Pool.end( called?'), ['query', 'Pool', 'end']);
		assert.deepEqual(namedSymbols('Where is max_packet_size read by parse()?'), ['max_packet_size', 'parse']);
		assert.deepEqual(namedSymbols('How is a pooled connection closed when the server goes away?'), []);
	});

	test('a capitalised first word is not a name, a capitalised later word is', () => {
		assert.deepEqual(namedSymbols('When does the Registry reject a metric?'), ['Registry']);
		assert.deepEqual(namedSymbols('Which characters are allowed?'), []);
	});
});

describe('boostDefinitions', () => {
	const ranked = [{ id: 'a', score: 1 }, { id: 'b', score: 0.9 }, { id: 'c', score: 0.5 }];

	test('adds weight x the best score to defining chunks and re-sorts', () => {
		const boosted = boostDefinitions(ranked, ['c'], 0.5);
		assert.deepEqual(ids(boosted), ['a', 'c', 'b']);
		assert.equal(boosted[1].score, 1);
	});

	test('a defining chunk neither ranking found joins with the bonus alone', () => {
		assert.deepEqual(boostDefinitions(ranked, ['z'], 0.3).at(-1), { id: 'z', score: 0.3 });
	});

	test('weight 0 or no defining chunk leaves the ranking as it was', () => {
		assert.equal(boostDefinitions(ranked, ['c'], 0), ranked);
		assert.equal(boostDefinitions(ranked, [], 0.5), ranked);
	});

	test('a chunk defines a name when its symbol is the name or ends with .name', () => {
		const chunks = [{ id: 'p', symbol: 'Pool' }, { id: 'e', symbol: 'Pool.end' }, { id: 'x', symbol: 'extend' }, { id: 'n', symbol: null }];
		assert.deepEqual(definingChunks(chunks.map((chunk, i) => ({ ...chunk, path: 'pool.js', startLine: i * 10 })), ['Pool', 'end']), ['p', 'e']);
	});

	test('of a definition split over several chunks, only the first (its declaration) counts, and once', () => {
		const chunks = [
			{ id: 'scan2', path: 'scan.js', symbol: 'scan', startLine: 40 },
			{ id: 'scan1', path: 'scan.js', symbol: 'scan', startLine: 1 },
			...Array.from({ length: MAX_DEFINITIONS + 2 }, (_, i) => ({ id: `scan3-${i}`, path: 'scan.js', symbol: 'scan', startLine: 80 + i * 40 })),
			{ id: 'other', path: 'other.js', symbol: 'Walker.scan', startLine: 5 },
		];
		assert.deepEqual(definingChunks(chunks, ['scan']).sort(), ['other', 'scan1']);
	});

	test('a name defined in more than MAX_DEFINITIONS chunks points at none', () => {
		const common = Array.from({ length: MAX_DEFINITIONS + 1 }, (_, i) => ({ id: `c${i}`, path: 'a.js', symbol: `Class${i}.get`, startLine: i }));
		assert.deepEqual(definingChunks([{ id: 'r1', path: 'a.js', symbol: 'rare', startLine: 100 }, ...common], ['rare', 'get', 'unknown']), ['r1']);
	});
});

describe('expandImports', () => {
	const pathOf = new Map([['a1', 'a.ts'], ['a2', 'a.ts'], ['b1', 'b.ts'], ['c1', 'c.ts'], ['d1', 'd.ts'], ['d2', 'd.ts'], ['e1', 'e.ts'], ['f1', 'f.ts']]);
	const neighbours = new Map([['a.ts', new Set(['d.ts'])], ['d.ts', new Set(['a.ts'])], ['f.ts', new Set(['e.ts'])], ['e.ts', new Set(['f.ts'])]]);
	const ranked = [
		{ id: 'a1', score: 1 }, { id: 'b1', score: 0.8 }, { id: 'a2', score: 0.7 }, { id: 'c1', score: 0.6 },
		{ id: 'e1', score: 0.55 }, { id: 'd1', score: 0.5 }, { id: 'd2', score: 0.45 }, { id: 'f1', score: 0.4 },
	];

	test("a seed file's import neighbour gets weight x the seed's score on its best chunk only", () => {
		const expanded = expandImports(ranked, { pathOf, neighbours }, 0.2);
		assert.deepEqual(ids(expanded), ['a1', 'b1', 'a2', 'd1', 'c1', 'e1', 'd2', 'f1']);
		assert.equal(expanded.find(({ id }) => id === 'd1')!.score, 0.7);
		assert.equal(expanded.find(({ id }) => id === 'd2')!.score, 0.45);
	});

	test('only the best 3 files are seeds: neighbours of lower files do not move', () => {
		const expanded = expandImports(ranked, { pathOf, neighbours }, 0.2);
		assert.equal(expanded.find(({ id }) => id === 'f1')!.score, 0.4);
	});

	test('weight 0 leaves the ranking as it was', () => {
		assert.equal(expandImports(ranked, { pathOf, neighbours }, 0), ranked);
	});
});

describe('importNeighbours', () => {
	const file = (path: string, blobSha: string): StoredFile => ({ path, blobSha, language: detectLanguage(path), size: 1, chunkCount: 1, skipReason: null, skipDetail: null });
	const chunk = (path: string, content: string): StoredChunk => ({
		id: path, path, startLine: 1, endLine: content.split('\n').length, content,
		blobSha: '0'.repeat(40), language: detectLanguage(path), symbol: null, contentHash: path, tokens: 1,
	});
	const texts: Record<string, string> = {
		'src/pool.ts': "import { Connection } from './connection';\nexport const pool = new Connection();",
		'src/connection.ts': "import { parse } from './parser';\nexport class Connection {}",
		'src/parser.ts': 'export function parse() {}',
		'src/app.ts': "import { pool } from './pool';\nexport const app = pool;",
		'README.md': '# Pool',
	};
	/** A store that counts the files whose chunks were read. */
	function fakeStore(blob = 'a') {
		const read: string[] = [];
		const state = {
			loadFiles: async () => new Map(Object.keys(texts).map((path) => [path, file(path, `${blob}:${path}`)])),
			chunksOfPaths: async (_ref: number, paths: string[]) => {
				read.push(...paths);
				return paths.map((path) => chunk(path, texts[path]));
			},
		} as unknown as IndexStateStore;
		return { state, read };
	}
	const index = (id: number, commitSha: string) => ({ id, commitSha, indexedAt: null, chunkCount: 5 }) as unknown as IndexedRef;

	test('links the given files both ways, and to modules they import that were not given', async () => {
		const { state, read } = fakeStore();
		const neighbours = await importNeighbours(state, index(1, 'c1'), ['src/pool.ts', 'src/connection.ts', 'README.md']);
		assert.deepEqual([...neighbours.get('src/pool.ts')!], ['src/connection.ts']);
		assert.deepEqual([...neighbours.get('src/connection.ts')!].sort(), ['src/parser.ts', 'src/pool.ts']);
		assert.equal(neighbours.has('src/app.ts'), false, 'an importer that was not given is not parsed');
		assert.deepEqual(read.sort(), ['src/connection.ts', 'src/pool.ts']);
	});

	test('a file of more than MAX_PARSED_CHUNKS chunks is not parsed, but stays an import target', async () => {
		const { state, read } = fakeStore('c');
		const loadFiles = state.loadFiles.bind(state);
		state.loadFiles = async (refId: number) => {
			const files = await loadFiles(refId);
			files.get('src/connection.ts')!.chunkCount = MAX_PARSED_CHUNKS + 1;
			return files;
		};
		const neighbours = await importNeighbours(state, index(3, 'c3'), ['src/pool.ts', 'src/connection.ts']);
		assert.deepEqual(read, ['src/pool.ts']);
		assert.deepEqual([...neighbours.get('src/connection.ts')!], ['src/pool.ts']);
		assert.equal(neighbours.has('src/parser.ts'), false);
	});

	test('a file is parsed once per blob', async () => {
		const { state, read } = fakeStore('b');
		await importNeighbours(state, index(2, 'c2'), ['src/pool.ts']);
		await importNeighbours(state, index(2, 'c2'), ['src/pool.ts', 'src/app.ts']);
		assert.deepEqual(read, ['src/pool.ts', 'src/app.ts']);
	});
});
