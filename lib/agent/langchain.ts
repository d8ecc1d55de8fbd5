import { Document } from '@langchain/core/documents';
import { BaseRetriever } from '@langchain/core/retrievers';
import { DynamicStructuredTool } from '@langchain/core/tools';
import { RepoMindError } from '../errors';
import type { RetrievedHit, RetrieveResult } from '../retrieve';
import type { CodeSearch } from './code-search';
import { formatExcerpt, formatOutline, formatSearch, formatSimilar, locationOf, type OutputLimits } from './format';

/** Metadata of a RepoMind document: what a citation needs. */
export interface CodeDocumentMetadata {
	repository: string;
	ref: string;
	commit: string | null;
	path: string;
	startLine: number;
	endLine: number;
	symbol: string | null;
	language: string;
	score: number;
	chunkId: string;
	/** `path:start-end`. */
	source: string;
	/** When the search result came from the cache: when it was stored. */
	cachedAt?: string;
}

/** A retrieved chunk as a LangChain Document: a `path:start-end` line, then the code. */
export function documentOf(hit: RetrievedHit, result: RetrieveResult): Document<CodeDocumentMetadata> {
	const metadata: CodeDocumentMetadata = {
		repository: result.repo,
		ref: result.ref,
		commit: result.commit,
		path: hit.path,
		startLine: hit.startLine,
		endLine: hit.endLine,
		symbol: hit.symbol,
		language: hit.language,
		score: hit.score,
		chunkId: hit.chunkId,
		source: locationOf(hit),
	};
	if (result.cache?.hit) metadata.cachedAt = result.cache.storedAt;
	return new Document({ pageContent: `${metadata.source}${hit.symbol ? ` (${hit.symbol})` : ''}\n${hit.text}`, metadata, id: hit.chunkId });
}

/**
 * Sees every retriever and tool call: called with the input before the call, it returns the function
 * that receives the output (or the error). n8n's sub-nodes log their calls this way.
 */
export type CallObserver = (kind: 'retriever' | 'tool', input: Record<string, unknown>) => (output: Record<string, unknown> | Error) => void;

async function observed<T>(observer: CallObserver | undefined, kind: 'retriever' | 'tool', input: Record<string, unknown>, run: () => Promise<T>, toJson: (output: T) => Record<string, unknown>): Promise<T> {
	const done = observer?.(kind, input);
	try {
		const output = await run();
		done?.(toJson(output));
		return output;
	} catch (error) {
		done?.(error instanceof Error ? error : new Error(String(error)));
		throw error;
	}
}

/** A LangChain retriever over RepoMind's retrieval (filters, fusion, MMR, rerank as configured). */
export class CodeSearchRetriever extends BaseRetriever {
	lc_namespace = ['repomind', 'retrievers', 'code_search'];

	constructor(
		private readonly codeSearch: CodeSearch,
		private readonly observer?: CallObserver,
	) {
		super();
	}

	/** The chunks retrieved for the query, best first. */
	async _getRelevantDocuments(query: string): Promise<Document[]> {
		return observed(
			this.observer,
			'retriever',
			{ query },
			async () => {
				const result = await this.codeSearch.search(query);
				return result.hits.map((hit) => documentOf(hit, result));
			},
			(documents) => ({ response: documents.map(({ pageContent, metadata }) => ({ pageContent, metadata })) }),
		);
	}
}

/** Tool names, fixed so prompts and workflows can refer to them. */
export const TOOL_NAMES = {
	search: 'repomind_search_code',
	read: 'repomind_read_file',
	outline: 'repomind_repository_outline',
	similar: 'repomind_similar_files',
} as const;

const text = (description: string) => ({ type: 'string', description });
const integer = (description: string, minimum: number, maximum: number) => ({ type: 'integer', description, minimum, maximum });

/** The agent tools over one CodeSearch: search, read file, outline, similar files. All read only. */
export function codeSearchTools(codeSearch: CodeSearch, limits: OutputLimits = {}, observer?: CallObserver): DynamicStructuredTool[] {
	const tool = (name: string, description: string, properties: Record<string, object>, required: string[], run: (args: ToolArgs) => Promise<string>) =>
		schemaTool(name, description, properties, required, (args) => observed(observer, 'tool', { tool: name, ...args }, () => run(args), (response) => ({ tool: name, response })));
	const { repoKey, ref } = codeSearch.settings;
	const where = `${repoKey}@${ref}`;
	const maxTopK = codeSearch.settings.topK ?? 10;
	return [
		tool(
			TOOL_NAMES.search,
			`Search the code of ${where} (hybrid: meaning and exact identifiers). Returns chunks with path:start-end to cite.`,
			{
				query: text('What to look for: a question, words or identifiers'),
				pathPrefix: text('Only files under this folder, e.g. src/parser/'),
				pathGlob: text('Only files matching this glob, e.g. src/**/*.ts'),
				language: text('Only this language, e.g. typescript, python, go, markdown'),
				topK: integer('How many chunks to return', 1, maxTopK),
			},
			['query'],
			async (args) => {
				const filters = { pathPrefix: args.pathPrefix, pathGlob: args.pathGlob, language: args.language };
				return formatSearch(await codeSearch.search(String(args.query ?? ''), { filters, topK: args.topK }), limits);
			},
		),
		tool(
			TOOL_NAMES.read,
			`Read a file of ${where} at the indexed commit, whole or a line range (numbered lines, at most 400 per call).`,
			{ path: text('File path as search results show it'), startLine: integer('First line (default 1)', 1, 10_000_000), endLine: integer('Last line (default: end of file)', 1, 10_000_000) },
			['path'],
			async (args) => formatExcerpt(await codeSearch.readFile(String(args.path ?? ''), args.startLine, args.endLine), limits),
		),
		tool(
			TOOL_NAMES.outline,
			`Outline of ${where}: its files with their declarations and line ranges. Narrow it with pathPrefix.`,
			{ pathPrefix: text('Only files under this folder, e.g. src/') },
			[],
			async (args) => formatOutline(await codeSearch.outline(String(args.pathPrefix ?? '')), limits),
		),
		tool(
			TOOL_NAMES.similar,
			`Files of ${where} most similar to a given file (by the meaning of their code).`,
			{ path: text('File path as search results show it'), topK: integer('How many files', 1, 20) },
			['path'],
			async (args) => formatSimilar(String(args.path ?? ''), await codeSearch.similarFiles(String(args.path ?? ''), args.topK ?? 5), limits),
		),
	];
}

interface ToolArgs {
	query?: string;
	path?: string;
	pathPrefix?: string;
	pathGlob?: string;
	language?: string;
	topK?: number;
	startLine?: number;
	endLine?: number;
}

/** A tool with a JSON schema; input mistakes come back as text the model can act on. */
function schemaTool(name: string, description: string, properties: Record<string, object>, required: string[], run: (args: ToolArgs) => Promise<string>): DynamicStructuredTool {
	return new DynamicStructuredTool({
		name,
		description,
		schema: { type: 'object', properties, required, additionalProperties: false },
		func: async (args: ToolArgs) => {
			try {
				return await run(args ?? {});
			} catch (error) {
				if (error instanceof RepoMindError && error.name === 'InvalidInputError') return `Error: ${error.message}${error.hint ? `. ${error.hint}` : ''}`;
				throw error;
			}
		},
	});
}
