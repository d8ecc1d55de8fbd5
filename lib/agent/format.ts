import type { RetrievedHit, RetrieveResult } from '../retrieve';
import type { FileExcerpt, OutlineFile, SimilarFile } from './code-search';

/** Upper bounds of what one tool call returns to a model. */
export interface OutputLimits {
	/** Characters of one tool answer (default 12000). */
	maxChars?: number;
	/** Lines of code shown per search hit (default 40). */
	maxLinesPerHit?: number;
}

const DEFAULT_MAX_CHARS = 12_000;
const DEFAULT_MAX_LINES = 40;

/** `path:start-end`, the form a citation uses. */
export function locationOf(hit: { path: string; startLine: number; endLine: number }): string {
	return `${hit.path}:${hit.startLine}-${hit.endLine}`;
}

/** Search results as text: one `[n] path:start-end (symbol)` header and fenced code per hit. */
export function formatSearch(result: RetrieveResult, limits: OutputLimits = {}): string {
	const cached = result.cache?.hit ? `, cached result stored ${result.cache.storedAt}` : '';
	const header = `${result.repo}@${result.ref} (commit ${shortSha(result.commit)}${cached})`;
	if (result.hits.length === 0) return `${header}: no results. ${result.reason ?? ''}`.trim();
	const blocks = result.hits.map((hit, i) => hitBlock(hit, i + 1, limits.maxLinesPerHit ?? DEFAULT_MAX_LINES));
	return bounded(`${header}: ${result.hits.length} results for "${result.question}". Cite them as path:start-end.`, blocks, limits);
}

/** A file excerpt as numbered lines under a `path:start-end` header. */
export function formatExcerpt(excerpt: FileExcerpt, limits: OutputLimits = {}): string {
	const header = `${excerpt.path}:${excerpt.startLine}-${excerpt.endLine} of ${excerpt.lastLine} lines at ${excerpt.repo}@${excerpt.ref} (commit ${shortSha(excerpt.commit)})`;
	const more = excerpt.truncated ? `\n(truncated at line ${excerpt.endLine}; ask for startLine ${excerpt.endLine + 1} to read on)` : '';
	return bounded(header, [excerpt.text + more], limits);
}

/** The outline as one line per file with its declarations and their lines. */
export function formatOutline(outline: { files: OutlineFile[]; truncated: boolean }, limits: OutputLimits = {}): string {
	if (outline.files.length === 0) return 'No indexed file matches.';
	const lines = outline.files.map((file) => {
		const symbols = file.symbols.map((entry) => `${entry.symbol.replace(/\s+/g, ' ')} (${entry.startLine}-${entry.endLine})`);
		return `${file.path} [${file.language}]${symbols.length ? `: ${symbols.join('; ')}` : ''}`;
	});
	const header = `${outline.files.length} files${outline.truncated ? ' (more exist: narrow with pathPrefix)' : ''}`;
	return bounded(header, lines, limits, '\n');
}

/** Similar files, best first, each with its best-matching chunk's location. */
export function formatSimilar(path: string, files: SimilarFile[], limits: OutputLimits = {}): string {
	if (files.length === 0) return `No other indexed file is near ${path}.`;
	const lines = files.map((file, i) => `[${i + 1}] ${locationOf(file)}${file.symbol ? ` (${file.symbol.replace(/\s+/g, ' ')})` : ''} similarity ${file.score.toFixed(3)}`);
	return bounded(`Files most similar to ${path}:`, lines, limits, '\n');
}

function hitBlock(hit: RetrievedHit, n: number, maxLines: number): string {
	const lines = hit.text.split('\n');
	const shown = lines.slice(0, maxLines).join('\n');
	const cut = lines.length > maxLines ? `\n… (${lines.length - maxLines} more lines; read ${hit.path} lines ${hit.startLine + maxLines}-${hit.endLine})` : '';
	const symbol = hit.symbol ? ` (${hit.symbol.replace(/\s+/g, ' ')})` : '';
	return `[${n}] ${locationOf(hit)}${symbol} score ${hit.score.toFixed(3)}\n\`\`\`${hit.language ?? ''}\n${shown}\n\`\`\`${cut}`;
}

/** Header and blocks joined, cut at whole blocks to stay under maxChars. */
function bounded(header: string, blocks: string[], limits: OutputLimits, separator = '\n\n'): string {
	const maxChars = limits.maxChars ?? DEFAULT_MAX_CHARS;
	let text = header;
	for (let i = 0; i < blocks.length; i++) {
		const next = `${text}${i === 0 ? '\n' : separator}${blocks[i]}`;
		if (next.length > maxChars) {
			const note = `\n(${blocks.length - i} more left out to stay under ${maxChars} characters)`;
			return i === 0 ? `${next.slice(0, maxChars - note.length)}${note}` : `${text}${note}`;
		}
		text = next;
	}
	return text;
}

function shortSha(sha: string | null): string {
	return sha ? sha.slice(0, 12) : 'unknown';
}
