import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { chunkId, textHash } from '../lib/ids';
import { detectLanguage } from '../lib/language';
import type { Chunk } from '../lib/types';

export const NODE_MODULES = join(__dirname, '..', 'node_modules');
/** Packages whose code makes the latency corpus, in order, until enough chunks are collected. */
export const LATENCY_PACKAGES = ['typescript/lib', '@octokit', '@langchain', '@sentry', '@opentelemetry', 'openai', 'langsmith', '@n8n', 'n8n-workflow', 'zod', 'lodash', 'luxon', '@typescript-eslint', 'eslint', 'protobufjs', 'chromadb', 'mysql2', 'axios', '@types', 'xml2js', 'ssh2'];
const CODE_FILE = /\.(?:[cm]?js|[cm]?ts)$/;
const WINDOW_LINES = 20;
const MAX_AVERAGE_LINE = 160;

/** A file to index: its repository path and text. */
export interface CorpusFile {
	path: string;
	content: string;
}

/** Code files of a node_modules folder (recursively, nested node_modules excluded), repository path = `<origin>/<relative>`. */
export function packageFiles(origin: string, pattern = CODE_FILE): CorpusFile[] {
	const root = join(NODE_MODULES, origin);
	if (!existsSync(root)) return [];
	const files: CorpusFile[] = [];
	const walk = (folder: string) => {
		for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
			const absolute = join(folder, entry.name);
			if (entry.isDirectory() && entry.name !== 'node_modules') walk(absolute);
			else if (entry.isFile() && pattern.test(entry.name) && statSync(absolute).size < 16 * 1024 * 1024) {
				files.push({ path: `${origin}/${relative(root, absolute)}`, content: readFileSync(absolute, 'utf8') });
			}
		}
	};
	walk(root);
	return files;
}

/**
 * Real code from node_modules cut into 20-line windows (minified files and exact duplicates skipped,
 * windows with almost no text dropped) until `target` chunks are collected.
 */
export function latencyChunks(repoKey: string, ref: string, target: number): { files: Array<{ file: CorpusFile; chunks: Chunk[] }>; chunks: number } {
	const seen = new Set<string>();
	const files: Array<{ file: CorpusFile; chunks: Chunk[] }> = [];
	let count = 0;
	for (const origin of LATENCY_PACKAGES) {
		for (const file of packageFiles(origin)) {
			const blobSha = createHash('sha1').update(file.content).digest('hex');
			const lines = file.content.split('\n');
			if (seen.has(blobSha) || file.content.length / lines.length > MAX_AVERAGE_LINE) continue;
			seen.add(blobSha);
			const chunks: Chunk[] = [];
			for (let start = 0; start < lines.length && count + chunks.length < target; start += WINDOW_LINES) {
				const content = lines.slice(start, start + WINDOW_LINES).join('\n');
				if (content.replace(/\s+/g, '').length < 60) continue;
				const span = { startLine: start + 1, endLine: Math.min(lines.length, start + WINDOW_LINES) };
				chunks.push({
					id: chunkId({ repoKey, ref, path: file.path, blobSha, ...span }),
					repoKey, ref, path: file.path, blobSha, language: detectLanguage(file.path), ...span, symbol: null, content,
					embeddingText: `${file.path}\n${content}`, contentHash: textHash(`${file.path}\n${content}`), tokens: Math.ceil(content.length / 4),
				});
			}
			if (chunks.length === 0) continue;
			files.push({ file, chunks });
			count += chunks.length;
			if (count >= target) return { files, chunks: count };
		}
	}
	return { files, chunks: count };
}
