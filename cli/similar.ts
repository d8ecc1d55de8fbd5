import { parseArgs } from 'node:util';
import { locationOf } from '../lib/agent/format';
import { InvalidInputError } from '../lib/errors';
import { parseSimilarTarget, relatedFiles, similarCode, type RelatedFilesResult, type SimilarResult } from '../lib/retrieve';
import { createSource } from '../lib/source';
import { IndexStateStore } from '../lib/store/index-state';
import { mysqlConfigFromUrl } from '../lib/store/mysql';
import { ChromaVectorStore } from '../lib/vector/chroma';
import { openMigratedPool } from './database';
import { embedderFromSpec } from './services';
import { describeError, type CommandIo } from './sync';
import { DEFAULT_CHROMA_URL, DEFAULT_MYSQL_URL, sourceFromSpec } from './sync-args';

export const SIMILAR_USAGE = `Usage: repomind similar <path>[:start[-end]] --repo <github:owner/repo | path> [options]
  --ref <ref>            indexed branch, tag or commit (default main)
  --embedder <spec>      the index's embedder, as for repomind sync (env REPOMIND_EMBEDDER)
  --top-k <n>            chunks returned (default 10)
  --other-files          only chunks of other files
  --related              also list related files: importers, imports, files changed together
  --commits <n>          commits scanned for co-changes (default 50; reads the repository's history)
  --mysql-url, --chroma-url, --github-token, --github-url as for repomind sync;  --json`;

const OPTIONS = {
	repo: { type: 'string' },
	ref: { type: 'string', default: 'main' },
	embedder: { type: 'string' },
	'top-k': { type: 'string', default: '10' },
	'other-files': { type: 'boolean', default: false },
	related: { type: 'boolean', default: false },
	commits: { type: 'string', default: '50' },
	'mysql-url': { type: 'string' },
	'chroma-url': { type: 'string' },
	'github-token': { type: 'string' },
	'github-url': { type: 'string' },
	json: { type: 'boolean', default: false },
} as const;

/** `repomind similar`: the indexed chunks nearest to a file or line range, and optionally its related files. */
export async function similarCommand(argv: string[], io: CommandIo): Promise<number> {
	if (argv.includes('--help') || argv.includes('-h')) {
		io.out(SIMILAR_USAGE);
		return 0;
	}
	let parsed;
	try {
		parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
		if (parsed.positionals.length !== 1) throw new InvalidInputError('Give exactly one <path>[:start-end]');
		if (!parsed.values.repo) throw new InvalidInputError('--repo is required');
		if (!(parsed.values.embedder ?? io.env.REPOMIND_EMBEDDER)) throw new InvalidInputError('--embedder is required (or REPOMIND_EMBEDDER)');
	} catch (error) {
		io.err(`repomind similar: ${describeError(error)}\n\n${SIMILAR_USAGE}`);
		return 2;
	}
	const { values, positionals } = parsed;
	const env = io.env;
	const source = createSource(sourceFromSpec(values.repo!, { token: values['github-token'] ?? env.GITHUB_TOKEN, baseUrl: values['github-url'] ?? env.GITHUB_API_URL }));
	let pool;
	try {
		const target = parseSimilarTarget(positionals[0]);
		const embedder = await embedderFromSpec((values.embedder ?? env.REPOMIND_EMBEDDER)!, undefined, env);
		pool = await openMigratedPool(mysqlConfigFromUrl(values['mysql-url'] ?? env.REPOMIND_MYSQL_URL ?? DEFAULT_MYSQL_URL));
		const state = new IndexStateStore(pool);
		const vectors = new ChromaVectorStore({ url: values['chroma-url'] ?? env.REPOMIND_CHROMA_URL ?? DEFAULT_CHROMA_URL });
		const request = { repoKey: source.repoKey, ref: values.ref!, target, topK: Number(values['top-k']), otherFilesOnly: values['other-files'] };
		const similar = await similarCode({ state, vectors, embedder }, request);
		const related = values.related
			? await relatedFiles(state, { repoKey: source.repoKey, ref: values.ref!, embeddingModel: embedder.modelId, path: target.path, history: source, commits: Number(values.commits) })
			: undefined;
		io.out(values.json ? JSON.stringify({ similar, related }, null, 2) : formatResults(similar, related));
		return 0;
	} catch (error) {
		io.err(`repomind similar: ${describeError(error)}`);
		return 1;
	} finally {
		await source.close?.();
		await pool?.end();
	}
}

function formatResults(similar: SimilarResult, related?: RelatedFilesResult): string {
	const lines = [`Similar to ${targetLabel(similar)} in ${similar.repo}@${similar.ref} (${similar.commit?.slice(0, 7)}):`];
	for (const hit of similar.hits) lines.push(`  ${hit.score.toFixed(3)}  ${locationOf(hit)}${hit.symbol ? `  ${hit.symbol}` : ''}`);
	if (similar.empty) lines.push(`  ${similar.reason}`);
	if (related) {
		lines.push(`Related files (${related.commitsWithFile} of ${related.commitsScanned} recent commits changed it):`);
		for (const file of related.files) lines.push(`  ${file.path}  ${file.reasons.join(', ')}${file.coChanges ? ` (${file.coChanges}x)` : ''}`);
	}
	return lines.join('\n');
}

function targetLabel(result: SimilarResult): string {
	const { path, startLine, endLine } = result.target;
	return startLine ? `${path}:${startLine}-${endLine}` : String(path);
}
