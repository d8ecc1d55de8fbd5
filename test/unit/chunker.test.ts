import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { Chunker, countTokens } from '../../lib/chunk';
import type { Chunk, SourceFile } from '../../lib/types';

type Span = [startLine: number, endLine: number, symbol: string | null];

const FIXTURES = join(__dirname, '..', 'fixtures', 'chunker');

function fixture(name: string): SourceFile {
	return {
		repoKey: 'github:acme/app',
		ref: 'main',
		path: `src/${name}`,
		blobSha: 'a'.repeat(40),
		content: readFileSync(join(FIXTURES, name), 'utf8'),
	};
}

function spans(chunks: Chunk[]): Span[] {
	return chunks.map((chunk) => [chunk.startLine, chunk.endLine, chunk.symbol]);
}

/** Spans with the default budget of 400 tokens: small declarations merge, large classes split. */
const SPANS_400: Record<string, Span[]> = {
	'IndexScheduler.java': [
		[1, 10, null],
		[12, 52, 'IndexScheduler'],
		[54, 64, 'IndexScheduler.next'],
		[66, 91, 'IndexScheduler'],
	],
	'SearchPanel.tsx': [
		[1, 12, null],
		[14, 25, null],
		[27, 41, 'HitRow'],
		[43, 87, 'SearchPanel'],
		[85, 98, 'SearchPanel'],
	],
	'guide.md': [
		[1, 55, 'RepoMind'],
	],
	'manifest.rs': [
		[1, 21, null],
		[23, 40, null],
		[42, 84, 'Manifest'],
		[86, 98, null],
	],
	'rate-limiter.ts': [
		[1, 18, null],
		[20, 38, 'RateLimiter'],
		[40, 73, 'RateLimiter'],
		[75, 94, 'RateLimiter'],
		[96, 108, null],
	],
	'repo_cache.py': [
		[1, 34, null],
		[37, 60, 'BlobCache'],
		[62, 77, 'BlobCache'],
		[79, 87, 'BlobCache._evict'],
		[90, 105, null],
	],
	'watcher.go': [
		[1, 55, null],
		[57, 73, 'Watcher.Run'],
		[75, 108, 'Watcher'],
	],
};

/** Spans with a budget of 150 tokens: one declaration (or member) per chunk, long ones windowed. */
const SPANS_150: Record<string, Span[]> = {
	'IndexScheduler.java': [
		[1, 10, null],
		[12, 16, 'IndexScheduler'],
		[18, 27, 'IndexScheduler'],
		[29, 34, 'IndexScheduler'],
		[36, 39, 'IndexScheduler.IndexScheduler'],
		[41, 44, 'IndexScheduler.register'],
		[46, 52, 'IndexScheduler.requestNow'],
		[54, 64, 'IndexScheduler.next'],
		[66, 73, 'IndexScheduler.finished'],
		[75, 77, 'IndexScheduler.dueAt'],
		[79, 85, 'IndexScheduler.backoff'],
		[87, 91, 'IndexScheduler.toString'],
	],
	'SearchPanel.tsx': [
		[1, 4, null],
		[6, 12, null],
		[14, 21, 'highlight'],
		[23, 25, 'escapeRegExp'],
		[27, 35, 'HitRow'],
		[33, 41, 'HitRow'],
		[43, 53, 'SearchPanel'],
		[51, 67, 'SearchPanel'],
		[65, 84, 'SearchPanel'],
		[82, 92, 'SearchPanel'],
		[90, 98, 'SearchPanel'],
	],
	'guide.md': [
		[1, 8, 'RepoMind'],
		[10, 16, 'RepoMind > Install > Linux'],
		[18, 25, 'RepoMind > Install > macOS'],
		[27, 35, 'RepoMind'],
		[37, 40, 'RepoMind > Usage > Index a repository'],
		[42, 51, 'RepoMind'],
		[53, 55, 'RepoMind > FAQ > Can I use another embedding model?'],
	],
	'manifest.rs': [
		[1, 8, null],
		[10, 15, 'Rule'],
		[17, 21, 'ManifestError'],
		[23, 32, 'ManifestError'],
		[34, 40, 'Manifest'],
		[42, 48, 'Manifest.load'],
		[50, 60, 'Manifest.parse'],
		[58, 66, 'Manifest.parse'],
		[64, 78, 'Manifest.parse'],
		[76, 79, 'Manifest.parse'],
		[81, 84, 'Manifest.max_file_bytes'],
		[86, 98, null],
	],
	'rate-limiter.ts': [
		[1, 18, null],
		[20, 28, 'RateLimiter'],
		[30, 38, 'RateLimiter'],
		[40, 51, 'RateLimiter.acquire'],
		[53, 61, 'RateLimiter.run'],
		[63, 66, 'RateLimiter.pending'],
		[68, 73, 'RateLimiter.refill'],
		[75, 87, 'RateLimiter.schedule'],
		[89, 94, 'RateLimiter.close'],
		[96, 99, 'githubLimiter'],
		[101, 102, 'limiterFor'],
		[104, 108, 'LimiterState'],
	],
	'repo_cache.py': [
		[1, 16, 'CacheError'],
		[19, 29, 'CacheStats'],
		[32, 34, 'shard_path'],
		[37, 48, 'BlobCache.__init__'],
		[50, 60, 'BlobCache.get'],
		[62, 72, 'BlobCache.put'],
		[74, 77, 'BlobCache._entries'],
		[79, 87, 'BlobCache._evict'],
		[90, 94, 'CacheConfig'],
		[97, 100, 'open_cache'],
		[103, 105, null],
	],
	'watcher.go': [
		[1, 13, null],
		[15, 18, 'Resolver'],
		[20, 26, 'Event'],
		[28, 32, 'Handler, state'],
		[34, 44, 'Watcher'],
		[46, 55, 'New'],
		[57, 73, 'Watcher.Run'],
		[75, 90, 'Watcher.poll'],
		[92, 100, 'Watcher.Stop'],
		[102, 108, 'Watcher.Head'],
	],
};

describe('Chunker on source fixtures', () => {
	let chunker400: Chunker;
	let chunker150: Chunker;
	before(async () => {
		chunker400 = await Chunker.create();
		chunker150 = await Chunker.create({ maxTokens: 150 });
	});

	for (const name of Object.keys(SPANS_400)) {
		it(`${name}: spans and symbols with the default budget`, () => {
			assert.deepEqual(spans(chunker400.chunk(fixture(name))), SPANS_400[name]);
		});

		it(`${name}: spans and symbols with a budget of 150 tokens`, () => {
			assert.deepEqual(spans(chunker150.chunk(fixture(name))), SPANS_150[name]);
		});

		it(`${name}: exact content, full coverage, honest token counts, unique ids`, () => {
			const file = fixture(name);
			const lines = file.content.split(/\r?\n/);
			for (const chunker of [chunker400, chunker150]) {
				const chunks = chunker.chunk(file);
				const covered = new Set<number>();
				for (const chunk of chunks) {
					assert.equal(chunk.content, lines.slice(chunk.startLine - 1, chunk.endLine).join('\n'));
					const header = chunk.symbol === null ? '' : `Symbol: ${chunk.symbol}\n`;
					assert.equal(chunk.embeddingText, `File: ${file.path}\n${header}\n${chunk.content}`);
					assert.equal(chunk.tokens, countTokens(chunk.embeddingText));
					for (let line = chunk.startLine; line <= chunk.endLine; line++) covered.add(line);
				}
				const uncovered = lines.flatMap((text, index) =>
					text.trim() !== '' && !covered.has(index + 1) ? [index + 1] : [],
				);
				assert.deepEqual(uncovered, []);
				assert.equal(new Set(chunks.map((chunk) => chunk.id)).size, chunks.length);
			}
			assert.ok(chunker150.chunk(file).every((chunk) => chunk.tokens <= 150));
			assert.ok(chunker400.chunk(file).every((chunk) => chunk.tokens <= 400));
		});
	}

	it('detects the language from the path and honours an explicit one', () => {
		const [first] = chunker400.chunk(fixture('watcher.go'));
		assert.equal(first.language, 'go');
		const asText = chunker400.chunk({ ...fixture('watcher.go'), language: 'text' });
		assert.equal(asText[0].language, 'text');
		assert.ok(asText.every((chunk) => chunk.symbol === null));
	});
});
