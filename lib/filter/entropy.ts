/** Shannon entropy of a string in bits per character. */
export function shannonEntropy(text: string): number {
	if (text.length === 0) return 0;
	const counts = new Map<string, number>();
	for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
	let entropy = 0;
	const length = [...text].length;
	for (const count of counts.values()) {
		const p = count / length;
		entropy -= p * Math.log2(p);
	}
	return entropy;
}

/** Literals that stand in for a credential in samples and templates. */
const PLACEHOLDERS = [
	'<.*>',
	'\\$\\{.*\\}',
	'\\{\\{.*\\}\\}',
	'\\*+',
	'x+',
	'\\.+',
	'(?:your|my|example|dummy|sample|fake|test)[\\w-]*',
	'changeme',
	'placeholder',
	'redacted',
];
const PLACEHOLDER = new RegExp(`^(?:${PLACEHOLDERS.join('|')})$`, 'i');

/** Whether a literal looks like a real credential: long, mixed letters and digits, high entropy. */
export function looksLikeSecretLiteral(value: string, minLength = 16): boolean {
	if (value.length < minLength || /\s/.test(value)) return false;
	if (PLACEHOLDER.test(value)) return false;
	if (!/[A-Za-z]/.test(value) || !/[0-9]/.test(value)) return false;
	return shannonEntropy(value) >= 3.2;
}
