import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { finishVector } from '../../embeddings-worker/src/backend';
import { vectorJson } from '../../embeddings-worker/src/vector-json';

/** A seeded stream of 32-bit words (mulberry32), so a failure can be replayed. */
function words(seed: number): () => number {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return (t ^ (t >>> 14)) >>> 0;
	};
}

/** The fewest significant digits (1-9) with which `value` reads back as the same float32. */
function shortestDigits(value: number): number {
	for (let precision = 1; precision <= 9; precision++) if (Math.fround(Number(value.toPrecision(precision))) === value) return precision;
	return Infinity;
}

const significantDigits = (text: string) => text.replace(/^-/, '').replace(/e.*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length || 1;

describe('vectorJson', () => {
	test('every float32 bit pattern tried reads back exactly, in the fewest digits that do', () => {
		const next = words(20261202);
		const bits = new Uint32Array(1);
		const float = new Float32Array(bits.buffer);
		const values: number[] = [];
		while (values.length < 200_000) {
			bits[0] = next();
			if (Number.isFinite(float[0])) values.push(float[0]);
			// embedding-sized components, and values at powers of ten where log10 is least sure
			values.push(Math.fround(((next() / 2 ** 32) - 0.5) * 0.4), Math.fround(10 ** ((next() % 60) - 30)));
		}
		const json = vectorJson(values);
		const parsed = JSON.parse(json) as number[];
		assert.equal(parsed.length, values.length);
		const texts = json.slice(1, -1).split(',');
		for (let i = 0; i < values.length; i++) {
			assert.equal(Math.fround(parsed[i]), values[i], `${values[i]} was written ${texts[i]}`);
			assert.equal(significantDigits(texts[i]), shortestDigits(values[i]), `${values[i]} was written ${texts[i]}`);
		}
	});

	test('writes TEI-style numbers: zero, signs, integers, tiny and huge values', () => {
		const cases = [0, -0, 1, -1, 0.5, 10, 100.25, 1e-7, 123456.7, 0.1, 3.4028234663852886e38, 1.401298464324817e-45, -2.5e-20].map(Math.fround);
		assert.equal(vectorJson(cases), '[0.0,0.0,1.0,-1.0,0.5,10.0,100.25,0.0000001,123456.7,0.1,3.4028235e+38,1e-45,-2.5e-20]');
		assert.equal(vectorJson([]), '[]');
	});

	test('refuses NaN and infinities, which JSON cannot carry', () => {
		assert.throws(() => vectorJson([0.5, Number.NaN]), /NaN: JSON has no such number/);
		assert.throws(() => vectorJson([Infinity]), /Infinity/);
	});

	test('long vectors grow the scratch buffer', () => {
		const long = Float32Array.from({ length: 5000 }, (_, i) => -1 / (i + 3));
		assert.deepEqual(Float32Array.from(JSON.parse(vectorJson(long)) as number[]), long);
	});
});

describe('finishVector', () => {
	test('normalises in float32 and keeps the first `dimensions` components', () => {
		const raw = Float32Array.from([3, 4, 12]);
		assert.deepEqual(finishVector(raw, true), Float32Array.from([3 / 13, 4 / 13, 12 / 13]));
		assert.deepEqual(finishVector(raw, false, 2), Float32Array.from([3, 4]));
		assert.deepEqual(finishVector(new Float32Array(3), true), new Float32Array(3));
		assert.deepEqual(raw, Float32Array.from([3, 4, 12]), 'the input is left as it was');
	});
});
