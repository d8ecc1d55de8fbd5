import { Chunker } from '../lib/chunk';
import { RepoMindError } from '../lib/errors';
import { FileFilter } from '../lib/filter';
import { createSource } from '../lib/source';
import { EmbeddingCache } from '../lib/store/embedding-cache';
import { IndexStateStore } from '../lib/store/index-state';
import { mysqlConfigFromUrl } from '../lib/store/mysql';
import { syncRepository, type SyncProgress, type SyncReport } from '../lib/sync';
import { redact } from '../lib/util/api-error';
import { ChromaVectorStore } from '../lib/vector/chroma';
import { openMigratedPool } from './database';
import { embedderFromSpec } from './services';
import { parseSyncArgs, SYNC_USAGE, type SyncCommandOptions } from './sync-args';

/** Where the command writes: progress and errors to `err`, the result to `out`. */
export interface CommandIo {
	out: (line: string) => void;
	err: (line: string) => void;
	env: NodeJS.ProcessEnv;
}

const processIo: CommandIo = {
	out: (line) => process.stdout.write(`${line}\n`),
	err: (line) => process.stderr.write(`${line}\n`),
	env: process.env,
};

/** `repomind sync`: indexes one ref, printing progress lines; 0 on success, 1 on failure, 2 on bad usage. */
export async function syncCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
	if (argv.includes('--help') || argv.includes('-h')) {
		io.out(SYNC_USAGE);
		return 0;
	}
	let options: SyncCommandOptions;
	try {
		options = parseSyncArgs(argv, io.env);
	} catch (error) {
		io.err(`repomind sync: ${describeError(error)}`);
		return 2;
	}
	try {
		const report = await runSync(options, io);
		io.out(options.json ? JSON.stringify(report, null, 2) : syncSummary(report));
		return 0;
	} catch (error) {
		io.err(`repomind sync: ${describeError(error)}`);
		return 1;
	}
}

/** One progress line: phase, files done of total, chunks written, texts embedded. */
export function progressLine(target: string, progress: SyncProgress): string {
	return `sync ${target}: ${progress.phase}, ${progress.filesDone}/${progress.filesTotal} files, ${progress.chunksUpserted} chunks, ${progress.embedded} embedded`;
}

async function runSync(options: SyncCommandOptions, io: CommandIo): Promise<SyncReport> {
	const source = createSource(options.source); // a path outside the allowed roots fails here, before any connection
	const mysql = mysqlConfigFromUrl(options.mysqlUrl);
	const vectors = new ChromaVectorStore({ url: options.chromaUrl });
	await vectors.heartbeat();
	const embedder = await embedderFromSpec(options.embedder, options.embedBaseUrl, io.env);
	const pool = await openMigratedPool(mysql);
	try {
		const deps = {
			state: new IndexStateStore(pool),
			cache: new EmbeddingCache(pool),
			vectors,
			embedder,
			chunker: await Chunker.create({}),
			filter: new FileFilter({ include: options.include, exclude: options.exclude }),
		};
		const target = `${source.repoKey}@${options.ref}`;
		return await syncRepository(source, deps, { ref: options.ref, onProgress: (progress) => io.err(progressLine(target, progress)) });
	} finally {
		await source.close?.();
		await pool.end();
	}
}

/** The one-line result of a run, then the failure ledger when the run was partial. */
export function syncSummary(report: SyncReport): string {
	const line = `${report.repoKey}@${report.ref} (${report.commit.slice(0, 7)}): ${report.filesChanged} files indexed, ${report.filesRemoved} removed, ${report.filesUnchanged} unchanged, ${report.filesSkipped} skipped, ${report.filesFailed} failed, ${report.embedded} chunks embedded (${report.cacheHits} from cache), ${report.chunksDeleted} stale chunks deleted in ${(report.durationMs / 1000).toFixed(1)} s`;
	if (report.status !== 'partial') return line;
	const ledger = report.failed.map((entry) => `  failed ${entry.path} at ${entry.step} (${entry.attempts} run${entry.attempts === 1 ? '' : 's'}): ${entry.error}`);
	return [`${line}; partial: the failure ledger below is retried first on the next sync`, ...ledger].join('\n');
}

/** A one-line message with the hint of a RepoMindError; never a stack trace. */
export function describeError(error: unknown): string {
	if (error instanceof RepoMindError) return redact(error.hint ? `${error.message.replace(/\.$/, '')}. ${error.hint.split('\n')[0]}` : error.message);
	return redact(error instanceof Error ? error.message : String(error));
}
