/**
 * JSON text of float32 vectors, written the way text-embeddings-inference (serde_json) writes them:
 * each value as the shortest decimal that reads back to the same float32 (`0.04950933`, not the
 * `0.049509331583976746` of `JSON.stringify` on the same value as a double). About half the bytes,
 * and on the worker's hot path a third less CPU than `JSON.stringify` of a number array.
 */

/** 10^0 … 10^22: every one exact as a double, so `m / 10^s` is the double nearest to the decimal. */
const POWERS = Array.from({ length: 23 }, (_, i) => 10 ** i);
/** Decimal exponents handled on the fast path; others (never seen in embeddings) use toPrecision. */
const FAST_EXPONENT = 13;
const INT32_MAX = 2 ** 31 - 1;

/** Digits `m` of `a` rounded to `s` places (s may be negative), when they read back as float32 `a`; else -1. */
function digitsAt(a: number, s: number): number {
	const m = s >= 0 ? Math.round(a * POWERS[s]) : Math.round(a / POWERS[-s]);
	const back = s >= 0 ? m / POWERS[s] : m * POWERS[-s];
	return Math.fround(back) === a ? m : -1;
}

/** Write the decimal `m × 10^-s` (m < 2^31) at `at`; returns the offset after it. */
function writeDecimal(out: Uint8Array, at: number, m: number, s: number): number {
	for (let q = (m / 10) | 0; s > 0 && q * 10 === m; q = (m / 10) | 0) {
		m = q;
		s -= 1;
	}
	let digits = 1;
	while (digits < 10 && m >= POWERS[digits]) digits += 1;
	if (s <= 0) {
		at = writeInteger(out, at, m, digits);
		for (let i = 0; i < -s; i++) out[at++] = 48;
		out[at++] = 46;
		out[at++] = 48;
		return at;
	}
	if (digits > s) {
		const end = at + digits + 1;
		let position = end - 1;
		for (let i = 0; i < s; i++, m = (m / 10) | 0) out[position--] = 48 + m - ((m / 10) | 0) * 10;
		out[position] = 46;
		writeInteger(out, at, m, digits - s);
		return end;
	}
	out[at++] = 48;
	out[at++] = 46;
	for (let i = digits; i < s; i++) out[at++] = 48;
	return writeInteger(out, at, m, digits);
}

function writeInteger(out: Uint8Array, at: number, m: number, digits: number): number {
	for (let position = at + digits - 1; position >= at; position--, m = (m / 10) | 0) out[position] = 48 + m - ((m / 10) | 0) * 10;
	return at + digits;
}

/** The shortest of `toPrecision(1…9)` that reads back as float32 `a` (very large or small values). */
function writeRare(out: Uint8Array, at: number, a: number): number {
	let text = String(a);
	for (let precision = 1; precision <= 9; precision++) {
		const candidate = a.toPrecision(precision);
		if (Math.fround(Number(candidate)) === a) {
			text = String(Number(candidate));
			break;
		}
	}
	for (let i = 0; i < text.length; i++) out[at++] = text.charCodeAt(i);
	return at;
}

/** Write float32 `value` as the shortest decimal that reads back to it; returns the offset after it. */
export function writeFloat32(out: Uint8Array, at: number, value: number): number {
	if (!Number.isFinite(value)) throw new RangeError(`A vector component is ${value}: JSON has no such number`);
	if (value === 0) {
		out[at] = 48;
		out[at + 1] = 46;
		out[at + 2] = 48;
		return at + 3;
	}
	if (value < 0) {
		out[at++] = 45;
		value = -value;
	}
	const exponent = Math.floor(Math.log10(value));
	if (exponent > FAST_EXPONENT || exponent < -FAST_EXPONENT) return writeRare(out, at, value);
	// 9 significant digits always read back; most float32 values need 8 or 9, so try 7 first and go
	// down while shorter still reads back, or up until it does
	let places = 6 - exponent;
	let m = digitsAt(value, places);
	if (m >= 0) {
		for (let shorter = digitsAt(value, places - 1); shorter >= 0 && places > -exponent; shorter = digitsAt(value, places - 1)) {
			m = shorter;
			places -= 1;
		}
	} else {
		while (m < 0 && places < 8 - exponent) m = digitsAt(value, ++places);
	}
	// log10 a hair off at a power of ten: leave it to the slow path
	if (m < 0 || m > INT32_MAX) return writeRare(out, at, value);
	return writeDecimal(out, at, m, places);
}

/** Room for one component: sign, "0.", up to 13 leading zeros, 9 digits, and a comma. */
const BYTES_PER_COMPONENT = 32;
let scratch = Buffer.allocUnsafe(1024 * BYTES_PER_COMPONENT);

/** `[0.04950933,-0.0068397806,…]` for a vector of float32 values. */
export function vectorJson(vector: ArrayLike<number>): string {
	if (scratch.length < (vector.length + 1) * BYTES_PER_COMPONENT) scratch = Buffer.allocUnsafe((vector.length + 1) * BYTES_PER_COMPONENT);
	const out = scratch;
	let at = 0;
	out[at++] = 91;
	for (let i = 0; i < vector.length; i++) {
		if (i > 0) out[at++] = 44;
		at = writeFloat32(out, at, vector[i]);
	}
	out[at++] = 93;
	return out.toString('latin1', 0, at);
}

/** A JSON text already written, sent as it is. */
export class JsonText {
	constructor(readonly text: string) {}
}
