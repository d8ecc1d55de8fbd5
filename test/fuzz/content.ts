import type { Random } from './random';

/** Marker the fuzz embedder refuses, so a file carrying it fails to embed (a "failing blob"). */
export const POISON = 'POISON_PILL';

const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'parse', 'render', 'cache', 'retry', 'index', 'merge', 'split', 'token', 'stream', 'batch', 'queue', 'graph', 'scope', 'frame', 'shard', 'lease'];

function name(random: Random): string {
	return `${random.pick(WORDS)}${random.pick(WORDS).replace(/^./, (c) => c.toUpperCase())}${random.int(0, 99)}`;
}

function jsFunction(random: Random): string {
	const fn = name(random);
	const lines = Array.from({ length: random.int(2, 9) }, (_, i) => `\tconst v${i} = ${random.pick(WORDS).length * (i + 1)} + input.${random.pick(WORDS)};`);
	return `function ${fn}(input) {\n${lines.join('\n')}\n\treturn v0;\n}\nmodule.exports.${fn} = ${fn};\n`;
}

function pyFunction(random: Random): string {
	const lines = Array.from({ length: random.int(2, 7) }, (_, i) => `    x${i} = "${random.pick(WORDS)}" * ${i + 1}`);
	return `def ${name(random)}(value):\n${lines.join('\n')}\n    return value\n`;
}

function mdSection(random: Random): string {
	const sentences = Array.from({ length: random.int(1, 4) }, () => `The ${random.pick(WORDS)} step calls ${name(random)} before ${random.pick(WORDS)}.`);
	return `## ${name(random)}\n\n${sentences.join(' ')}\n`;
}

const KINDS = [
	{ ext: 'js', unit: jsFunction },
	{ ext: 'py', unit: pyFunction },
	{ ext: 'md', unit: mdSection },
];

/** A new file path and content (JavaScript, Python or Markdown of a few units). */
export function newFile(random: Random, taken: Set<string>): { path: string; content: string } {
	const kind = random.pick(KINDS);
	let path: string;
	do path = `${random.pick(['src', 'lib', 'docs', 'src/util'])}/${name(random).toLowerCase()}.${kind.ext}`;
	while (taken.has(path));
	const units = Array.from({ length: random.int(1, 5) }, () => kind.unit(random));
	return { path, content: units.join('\n') };
}

/** An edit of a file: a unit added, a line changed, or lines dropped. */
export function editContent(random: Random, path: string, content: string): string {
	const kind = KINDS.find((candidate) => path.endsWith(`.${candidate.ext}`)) ?? KINDS[0];
	const lines = content.split('\n');
	const roll = random.int(0, 2);
	if (roll === 0 || lines.length < 4) return `${content}\n${kind.unit(random)}`;
	const at = random.int(0, lines.length - 2);
	if (roll === 1) lines[at] = `${lines[at]} // ${random.pick(WORDS)}`;
	else lines.splice(at, random.int(1, Math.min(5, lines.length - at - 1)));
	return lines.join('\n');
}

/** The content with the marker the embedder refuses added, or removed. */
export function togglePoison(content: string): string {
	return content.includes(POISON) ? content.split('\n').filter((line) => !line.includes(POISON)).join('\n') : `${content}\n// ${POISON}\n`;
}
