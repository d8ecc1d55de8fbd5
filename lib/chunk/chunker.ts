import type Parser = require('web-tree-sitter');
import { InvalidInputError } from '../errors';
import { chunkId, textHash } from '../ids';
import { detectLanguage } from '../language';
import type { Chunk, ChunkerOptions, SourceFile } from '../types';
import { loadParsers } from './grammars';
import { LineLayout } from './layout';
import { markdownUnits } from './markdown';
import { SYNTAX } from './syntax';
import { loadTokenizer } from './tokens';
import { isBlank, syntaxUnits, type Unit, withGaps } from './units';

export { countTokens } from './tokens';

const DEFAULT_MAX_TOKENS = 400;
const DEFAULT_OVERLAP_LINES = 3;
/** Below this the header alone could fill the budget. */
const MIN_MAX_TOKENS = 32;

/**
 * Splits source files into chunks for embedding: declaration-aware for TypeScript, TSX,
 * JavaScript, Python, Go, Java and Rust (tree-sitter), by heading for Markdown, by line windows
 * for anything else. Every chunk's embeddingText has at most `maxTokens` cl100k tokens; a single
 * line longer than that becomes its own chunk whose content is exact and whose embeddingText is
 * cut to the budget.
 */
export class Chunker {
	private constructor(
		private readonly parsers: Map<string, Parser>,
		private readonly maxTokens: number,
		private readonly overlapLines: number,
	) {}

	/** Loads tree-sitter and the grammars (once per process) and the tokenizer. */
	static async create(options: ChunkerOptions = {}): Promise<Chunker> {
		const maxTokens = options.maxTokens ?? DEFAULT_MAX_TOKENS;
		const overlapLines = options.overlapLines ?? DEFAULT_OVERLAP_LINES;
		if (!Number.isInteger(maxTokens) || maxTokens < MIN_MAX_TOKENS) {
			throw new InvalidInputError(
				`maxTokens must be an integer >= ${MIN_MAX_TOKENS}, got ${maxTokens}`,
			);
		}
		if (!Number.isInteger(overlapLines) || overlapLines < 0) {
			throw new InvalidInputError(`overlapLines must be an integer >= 0, got ${overlapLines}`);
		}
		loadTokenizer();
		return new Chunker(await loadParsers(), maxTokens, overlapLines);
	}

	/** Splits one file into chunks, in line order; none for an empty or whitespace-only file. */
	chunk(file: SourceFile): Chunk[] {
		const lines = file.content.split(/\r?\n/);
		if (lines.every(isBlank)) return [];
		const language = file.language ?? detectLanguage(file.path);
		const layout = new LineLayout(lines, {
			path: file.path,
			maxTokens: this.maxTokens,
			overlapLines: this.overlapLines,
			symbolSeparator: language === 'markdown' ? ' > ' : '.',
		});
		const drafts = this.withUnits(language, file.content, lines, (units) => layout.layout(units));
		return drafts.map((draft) => {
			const span = { startLine: draft.start + 1, endLine: draft.end + 1 };
			return {
				id: chunkId({ ...file, ...span }),
				repoKey: file.repoKey,
				ref: file.ref,
				path: file.path,
				blobSha: file.blobSha,
				language,
				...span,
				symbol: draft.symbol,
				content: draft.content,
				embeddingText: draft.embeddingText,
				contentHash: textHash(draft.embeddingText),
				tokens: draft.tokens,
			};
		});
	}

	/** Calls `use` with the file's units while its syntax tree (if any) is alive. */
	private withUnits<T>(
		language: string,
		text: string,
		lines: string[],
		use: (units: Unit[]) => T,
	): T {
		const whole: Unit = { start: 0, end: lines.length - 1, symbol: null, declaration: false };
		if (language === 'markdown') return use(markdownUnits(lines));
		const parser = this.parsers.get(language);
		const spec = SYNTAX[language];
		let tree: Parser.Tree | undefined;
		try {
			tree = parser && spec ? parser.parse(text) : undefined;
		} catch {
			tree = undefined;
		}
		if (!tree) return use(withGaps([], whole, null, lines));
		try {
			return use(syntaxUnits(tree.rootNode.namedChildren, whole, spec, null, lines));
		} finally {
			tree.delete();
		}
	}
}
