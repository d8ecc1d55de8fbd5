import type { Pool } from 'mysql2/promise';
import { FUSION_METHODS, type FusionMethod, type RetrieveDependencies, type RetrieveMode, type RetrieveRequest } from '../lib/retrieve';
import { createSource } from '../lib/source';
import { IndexStateStore } from '../lib/store/index-state';
import { mysqlConfigFromUrl } from '../lib/store/mysql';
import { ChromaVectorStore } from '../lib/vector/chroma';
import { openMigratedPool } from './database';
import { embedderFromSpec, UsageError } from './services';
import { DEFAULT_CHROMA_URL, DEFAULT_MYSQL_URL, INDEX_OPTIONS, sourceFromSpec } from './sync-args';

/** Options every command that reads an index takes (search, ask, eval). */
export const RETRIEVAL_OPTIONS = {
	...INDEX_OPTIONS,
	mode: { type: 'string', default: 'hybrid' },
	'top-k': { type: 'string', default: '10' },
	fusion: { type: 'string', default: 'convex' },
} as const;

export const RETRIEVAL_USAGE = `  --repo <spec>             the repository as for repomind sync: a path, github:owner/repo, or its key
                            (local:/abs/path)
  --ref <ref>               indexed branch, tag or commit (default main)
  --mysql-url <url>         mysql://user:pass@host:3306/db   (env REPOMIND_MYSQL_URL)
  --chroma-url <url>        http://127.0.0.1:8000            (env REPOMIND_CHROMA_URL)
  --embedder <spec>         the index's embedder, as for repomind sync: hash[:dims], static:glove-100d,
                            openai:<model>, huggingface:<model>, onnx:<model>, worker:<url>  (env REPOMIND_EMBEDDER)
  --embed-base-url <url>    OpenAI-compatible embeddings API  (env OPENAI_BASE_URL)
  --mode <m>                hybrid (default), vector or lexical;  --fusion convex (default) or rrf
  --top-k <n>               hits retrieved (default 10)`;

export type RetrievalValues = { [key in keyof typeof RETRIEVAL_OPTIONS]?: string };

/** A positive integer option; a UsageError naming the option otherwise. */
export function positiveInteger(name: string, value: string | undefined): number {
	const parsed = Number(value);
	if (value === undefined || !Number.isInteger(parsed) || parsed < 1) throw new UsageError(`--${name} must be a positive integer: ${value}`);
	return parsed;
}

/**
 * The repository key of `--repo`, computed exactly as `repomind sync` computes it: `github:owner/repo`
 * (lower case), a local path (its real path, as `local:/abs/path`), or a key given as is.
 */
export async function repoKeyFromSpec(spec: string): Promise<string> {
	if (spec.startsWith('local:')) return spec;
	const source = createSource(sourceFromSpec(spec, {}));
	try {
		return source.repoKey;
	} finally {
		await source.close?.();
	}
}

/** The retrieval settings besides the question: mode, topK and fusion, checked. */
export function retrievalSettings(values: RetrievalValues): Pick<RetrieveRequest, 'mode' | 'topK' | 'fusion'> {
	const mode = (values.mode ?? 'hybrid') as RetrieveMode;
	if (!['hybrid', 'vector', 'lexical'].includes(mode)) throw new UsageError(`--mode must be hybrid, vector or lexical: ${mode}`);
	const fusion = (values.fusion ?? 'convex') as FusionMethod;
	if (!FUSION_METHODS.includes(fusion)) throw new UsageError(`--fusion must be ${FUSION_METHODS.join(' or ')}: ${fusion}`);
	return { mode, topK: positiveInteger('top-k', values['top-k']), fusion };
}

/** An open index to retrieve from; close() ends the MySQL pool. */
export interface OpenIndex {
	deps: RetrieveDependencies;
	repoKey: string;
	ref: string;
	pool: Pool;
	close(): Promise<void>;
}

/** Connects to MySQL and Chroma and builds the index's embedder from the options. */
export async function openIndex(values: RetrievalValues, env: NodeJS.ProcessEnv): Promise<OpenIndex> {
	if (!values.repo) throw new UsageError('--repo is required');
	const repoKey = await repoKeyFromSpec(values.repo);
	const embedder = await embedderFromSpec(values.embedder ?? env.REPOMIND_EMBEDDER ?? 'openai:text-embedding-3-small', values['embed-base-url'], env);
	const pool = await openMigratedPool(mysqlConfigFromUrl(values['mysql-url'] ?? env.REPOMIND_MYSQL_URL ?? DEFAULT_MYSQL_URL));
	const vectors = new ChromaVectorStore({ url: values['chroma-url'] ?? env.REPOMIND_CHROMA_URL ?? DEFAULT_CHROMA_URL });
	return { deps: { state: new IndexStateStore(pool), vectors, embedder }, repoKey, ref: values.ref ?? 'main', pool, close: () => pool.end() };
}
