import type { Pool, RowDataPacket } from 'mysql2/promise';
import { Chunker } from '../../lib/chunk';
import { HashEmbedder } from '../../lib/embed';
import { FileFilter } from '../../lib/filter';
import { EmbeddingCache } from '../../lib/store/embedding-cache';
import { IndexStateStore } from '../../lib/store/index-state';
import { migrate } from '../../lib/store/migrate';
import { openPool } from '../../lib/store/mysql';
import type { SyncDependencies } from '../../lib/sync';
import type { ChunkerOptions, Embedder } from '../../lib/types';
import { ChromaVectorStore } from '../../lib/vector/chroma';
import { startChroma, type ChromaServer } from './chroma-server';
import { createTestDatabase, type TestDatabase } from './mysql-db';

/** Counts every text that reaches the real embedder behind it. */
export class CountingEmbedder implements Embedder {
	texts = 0;
	calls = 0;
	constructor(readonly inner: Embedder) {}
	get modelId(): string {
		return this.inner.modelId;
	}
	async embed(texts: string[]): Promise<number[][]> {
		this.calls += 1;
		this.texts += texts.length;
		return this.inner.embed(texts);
	}
}

export interface IndexEnvOptions {
	embedder?: Embedder;
	/** Default { maxTokens: 200 } (small chunks make more of them in small fixtures). */
	chunker?: ChunkerOptions;
}

/** A complete, real index environment: own MySQL database, own Chroma server, real chunker and filter. */
export interface IndexEnv {
	deps: SyncDependencies;
	embedder: CountingEmbedder;
	pool: Pool;
	database: TestDatabase;
	chroma: ChromaServer;
	close(): Promise<void>;
}

/** Starts everything an index needs; close() stops and drops it all. */
export async function createIndexEnv(options: IndexEnvOptions = {}): Promise<IndexEnv> {
	const [database, chroma] = await Promise.all([createTestDatabase(), startChroma()]);
	return attachIndexEnv(database, chroma, options);
}

/** An environment over a database and Chroma server that already exist (close() still drops them). */
export async function attachIndexEnv(database: TestDatabase, chroma: ChromaServer, options: IndexEnvOptions = {}): Promise<IndexEnv> {
	const pool = openPool(database.config);
	await migrate(pool);
	const embedder = new CountingEmbedder(options.embedder ?? new HashEmbedder({ dimensions: 64 }));
	const deps: SyncDependencies = {
		state: new IndexStateStore(pool),
		cache: new EmbeddingCache(pool),
		vectors: new ChromaVectorStore({ url: chroma.url }),
		embedder,
		chunker: await Chunker.create(options.chunker ?? { maxTokens: 200 }),
		filter: new FileFilter(),
	};
	return {
		deps,
		embedder,
		pool,
		database,
		chroma,
		async close() {
			await pool.end();
			await Promise.all([database.drop(), chroma.stop()]);
		},
	};
}

/** Everything an index holds for one ref, in a canonical order, for exact comparison. */
export interface IndexSnapshot {
	/** The ref row's file and chunk counts, and the same counted from the rows. */
	refCounts: { files: number; chunks: number; filesCounted: number; chunksCounted: number };
	chromaIds: string[];
	mysqlChunkIds: string[];
	mysqlChunks: Array<Record<string, unknown>>;
	mysqlFiles: Array<Record<string, unknown>>;
	chromaRecords: Array<{ id: string; content: string; metadata: Record<string, unknown>; vector: number[] }>;
}

/** Reads the ref's rows from MySQL and its records from Chroma. */
export async function snapshotIndex(env: IndexEnv, repoKey: string, ref: string): Promise<IndexSnapshot> {
	const row = await env.deps.state.findRef(repoKey, ref, env.deps.embedder.modelId);
	if (!row) throw new Error(`no index for ${repoKey}@${ref}`);
	const [chunks] = await env.pool.query<RowDataPacket[]>(
		'SELECT id, path, blob_sha, language, start_line, end_line, symbol, content_hash, tokens, content FROM repomind_chunks WHERE ref_id = ? ORDER BY id',
		[row.id],
	);
	const [files] = await env.pool.query<RowDataPacket[]>(
		'SELECT path, blob_sha, language, size_bytes, chunk_count, skip_reason, skip_detail FROM repomind_files WHERE ref_id = ? ORDER BY path',
		[row.id],
	);
	const chromaIds = (await env.deps.vectors.listIds(row.collection, { ref })).sort();
	const records = await env.deps.vectors.getRecords(row.collection, chromaIds);
	records.sort((a, b) => (a.id < b.id ? -1 : 1));
	const [[counted]] = await env.pool.query<RowDataPacket[]>(
		`SELECT (SELECT COUNT(*) FROM repomind_files WHERE ref_id = ? AND skip_reason IS NULL) AS files,
		 (SELECT COUNT(*) FROM repomind_chunks WHERE ref_id = ?) AS chunks`,
		[row.id, row.id],
	);
	const [[stored]] = await env.pool.query<RowDataPacket[]>('SELECT file_count, chunk_count FROM repomind_refs WHERE id = ?', [row.id]);
	return {
		refCounts: { files: stored.file_count, chunks: stored.chunk_count, filesCounted: Number(counted.files), chunksCounted: Number(counted.chunks) },
		chromaIds,
		mysqlChunkIds: chunks.map((chunk) => chunk.id as string),
		mysqlChunks: chunks.map((chunk) => ({ ...chunk })),
		mysqlFiles: files.map((file) => ({ ...file })),
		chromaRecords: records.map((record) => ({ ...record, vector: record.vector.map((x) => Math.round(x * 1e6) / 1e6) })),
	};
}
