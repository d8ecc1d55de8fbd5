import { CHUNKER_VERSION, FILTER_VERSION } from '../ids';
import type { EmbeddingCache } from '../store/embedding-cache';
import { FailureLedger, type FileFailure, type LedgerEntry } from '../store/failure-ledger';
import type { IndexedRef, IndexStateStore, RunCounts } from '../store/index-state';
import { assertLeaseHeld, LockLostError, requestRepair, type RefLease } from '../store/ref-lock';
import type { Embedder, GitSha, RepoSource, SkippedFile, TreeEntry } from '../types';
import { RepoMindError } from '../errors';
import { ChromaVectorStore } from '../vector/chroma';
import { planSync } from './plan';
import type { ChunkSplitter, FileGate } from './ports';
import { processFiles, type ProcessContext, type ProcessedFile } from './process-files';
import { reconcile } from './reconcile';
import { writeBatch } from './write-batch';

/** The services a sync works with; all are injectable, none is created here. */
export interface SyncDependencies {
	state: IndexStateStore;
	cache: EmbeddingCache;
	vectors: ChromaVectorStore;
	embedder: Embedder;
	chunker: ChunkSplitter;
	filter: FileGate;
}

export interface SyncProgress {
	phase: 'planning' | 'indexing' | 'removing' | 'done';
	filesTotal: number;
	filesDone: number;
	chunksUpserted: number;
	embedded: number;
}

export interface SyncOptions {
	/** Branch, tag or commit SHA. */
	ref: string;
	/** Files read, chunked, embedded and written together (default 64). */
	batchFiles?: number;
	/** Blobs read at once (default 8). */
	readConcurrency?: number;
	onProgress?: (progress: SyncProgress) => void;
	/** Stops the run between batches (e.g. n8n's cancel signal); the next run finishes the job. */
	signal?: AbortSignal;
}

export interface SyncReport extends RunCounts {
	repoKey: string;
	ref: string;
	commit: GitSha;
	previousCommit: GitSha | null;
	collection: string;
	embeddingModel: string;
	runId: number;
	/** Indexed files whose blob was already indexed (filesSeen = filesChanged + filesUnchanged + filesSkipped + filesFailed). */
	filesUnchanged: number;
	/** `partial` when some files could not be indexed: they are in `failed`; everything else is exact. */
	status: 'succeeded' | 'partial';
	/** The failure ledger after this run: files that failed (path, blob, step, error, attempts). */
	failed: LedgerEntry[];
	/** Every file not indexed, with its reason (also the unchanged ones a previous run skipped). */
	skipped: SkippedFile[];
	durationMs: number;
}

/**
 * Makes the index of (repository, ref, embedding model) exactly match the ref's tree: embeds only
 * cache misses, upserts what is new, deletes what is stale, records the run. Idempotent; a run that
 * died is repaired by the next one (Chroma is reconciled against MySQL).
 */
export async function syncRepository(source: RepoSource, deps: SyncDependencies, options: SyncOptions): Promise<SyncReport> {
	const started = Date.now();
	const model = deps.embedder.modelId;
	await deps.state.adoptLegacyModel(model, deps.embedder.legacyModelIds);
	const before = await deps.state.findRef(source.repoKey, options.ref, model);
	const resolved = await source.resolveRef(options.ref); // an unknown repository or ref fails here, before anything is stored
	const collection = ChromaVectorStore.collectionName(source.repoKey, model);
	const key = { repoKey: source.repoKey, ref: options.ref, embeddingModel: model };
	return deps.state.withRefLock(key, async (lease) => {
		// Created under the lock: a Delete Ref Index that held it meanwhile removed any earlier row.
		const ref = await deps.state.ensureRef(source.repoKey, options.ref, model, collection);
		// Another run touched the ref since `resolved` was read (e.g. we waited for its lock): the ref may have
		// moved on, so resolve again and index the newest commit.
		const commit = sameState(before, ref) ? resolved : await source.resolveRef(options.ref);
		const runId = await deps.state.startRun(ref.id, ref.commitSha, commit);
		const counts: RunCounts = { filesSeen: 0, filesChanged: 0, filesRemoved: 0, filesSkipped: 0, filesFailed: 0, chunksUpserted: 0, chunksDeleted: 0, embedded: 0, cacheHits: 0, reconciled: false };
		try {
			const result = await runSync(source, deps, options, ref, runId, commit, counts, lease);
			const status = result.failed.length > 0 ? 'partial' : 'succeeded';
			await deps.state.finishRun(runId, status, counts);
			return { ...counts, ...result, status, repoKey: source.repoKey, ref: options.ref, commit, previousCommit: ref.commitSha, collection: ref.collection, embeddingModel: deps.embedder.modelId, runId, durationMs: Date.now() - started };
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			// Chroma writes cannot be fenced: a run that lost its lock asks the next holder to check them.
			if (error instanceof LockLostError) await requestRepair(deps.state.pool, key).catch(() => undefined);
			await deps.state.finishRun(runId, 'failed', counts, message).catch(() => undefined);
			throw error;
		}
	});
}

/** Throws when the run was cancelled; called between batches, where stopping leaves nothing half-written. */
function throwIfCancelled(signal: AbortSignal | undefined): void {
	if (signal?.aborted) throw new SyncCancelledError();
}

/** The run was cancelled (n8n's execution was stopped); the next run repairs and finishes. */
export class SyncCancelledError extends RepoMindError {
	constructor() {
		super('The sync was cancelled between batches', 'Run it again: the next run continues from what this one wrote');
	}
}

/** True when the ref row is exactly as it was read before (same commit, same indexed time). */
function sameState(before: IndexedRef | null, now: IndexedRef): boolean {
	return before !== null && before.commitSha === now.commitSha && before.indexedAt?.getTime() === now.indexedAt?.getTime();
}

async function runSync(source: RepoSource, deps: SyncDependencies, options: SyncOptions, ref: IndexedRef, runId: number, commit: GitSha, counts: RunCounts, lease: RefLease) {
	const progress: SyncProgress = { phase: 'planning', filesTotal: 0, filesDone: 0, chunksUpserted: 0, embedded: 0 };
	const report = () => options.onProgress?.({ ...progress });
	report();
	const [newlyManaged, , previous, stored, tree] = await Promise.all([
		deps.vectors.markManaged(ref.collection, { repo: source.repoKey, model: deps.embedder.modelId }),
		deps.state.markDirty(ref.id),
		deps.state.previousRunStatus(ref.id, runId),
		deps.state.loadFiles(ref.id),
		source.listTree(commit),
	]);
	// After a run that died or lost its lock, a ref left marked not current, or a collection written by
	// hand before a sync took it over, Chroma may hold what MySQL does not claim.
	const unsure = previous === 'running' || previous === 'failed' || (ref.indexedAt === null && ref.commitSha !== null);
	if (unsure || lease.repairRequested || newlyManaged) {
		const repaired = await reconcile(deps, ref);
		counts.reconciled = true;
		counts.chunksDeleted += repaired.deletedFromChroma;
		for (const path of repaired.pathsMissingInChroma) stored.delete(path);
	}
	// Rows made by an older chunker or filter are not current: every file is read, filtered and chunked again.
	const plan = planSync(tree, stored, deps.filter, ref.chunkerVersion === CHUNKER_VERSION && ref.filterVersion === FILTER_VERSION);
	counts.filesSeen = plan.seen;
	// Files in the failure ledger are not stored, so they are in the plan again: retry them first.
	const ledger = new FailureLedger(deps.state.pool);
	const retry = new Set((await ledger.load(ref.id)).map((entry) => entry.path));
	plan.process.sort((a, b) => Number(retry.has(b.path)) - Number(retry.has(a.path)));
	const failures: FileFailure[] = [];
	const skipped: SkippedFile[] = [...plan.skipped];
	progress.phase = 'indexing';
	progress.filesTotal = plan.process.length;
	report();
	const context: ProcessContext = { source, repoKey: source.repoKey, ref: options.ref, filter: deps.filter, chunker: deps.chunker, readConcurrency: options.readConcurrency ?? 8, indexed: new Map() };
	const batchFiles = options.batchFiles ?? 64;
	// The next batch is read and chunked while the current one is embedded and written (reads only).
	const prepare = (start: number) =>
		start < plan.process.length ? prepareBatch(plan.process.slice(start, start + batchFiles), context, deps, ref) : undefined;
	let next = prepare(0);
	try {
		for (let i = 0; i < plan.process.length; i += batchFiles) {
			throwIfCancelled(options.signal);
			const files = await next!;
			next = prepare(i + batchFiles);
			failures.push(...(await writeBatch(files, deps, ref, counts, retry)));
			for (const file of files) if (file.skipped) skipped.push(file.skipped);
			progress.filesDone += files.length;
			progress.chunksUpserted = counts.chunksUpserted;
			progress.embedded = counts.embedded;
			report();
		}
	} finally {
		next?.catch(() => undefined);
	}
	throwIfCancelled(options.signal);
	progress.phase = 'removing';
	report();
	const removedIds = await deps.state.removeFiles(ref.id, plan.remove);
	await assertLeaseHeld();
	await deps.vectors.deleteIds(ref.collection, removedIds);
	counts.filesRemoved = plan.remove.length;
	counts.chunksDeleted += removedIds.length;
	counts.filesSkipped = skipped.length;
	counts.filesFailed = failures.length;
	const failed = await ledger.replace(ref.id, failures);
	const totals = { files: plan.kept.files + counts.filesChanged, chunks: plan.kept.chunks + counts.chunksUpserted };
	await deps.state.markIndexed(ref.id, commit, totals);
	progress.phase = 'done';
	report();
	return { filesUnchanged: plan.kept.files, skipped, failed };
}

/** Reads and chunks a batch; chunks of blobs indexed at the same path under another ref are reused when their vectors are cached. */
async function prepareBatch(batch: TreeEntry[], context: ProcessContext, deps: SyncDependencies, ref: IndexedRef): Promise<ProcessedFile[]> {
	const indexed = await deps.state.indexedBlobs(ref, batch.map((entry) => entry.blobSha));
	const keys = [...indexed.values()].flatMap(({ chunks }) => chunks.map((chunk) => chunk.contentHash));
	const cached = keys.length ? await deps.cache.get(deps.embedder.modelId, keys) : new Map();
	for (const [blob, known] of indexed) {
		if (known.chunks.some((chunk) => !cached.has(chunk.contentHash))) indexed.delete(blob);
	}
	return processFiles(batch, { ...context, indexed });
}
