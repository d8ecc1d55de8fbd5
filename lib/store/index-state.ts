import { createHash } from 'node:crypto';
import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { CHUNKER_VERSION, FILTER_VERSION } from '../ids';
import { lexicalDocument } from '../retrieve/lexical-text';
import { redact } from '../util/api-error';
import { withTransaction } from './mysql';
import { currentLease, withRefLease, type RefLease, type RefLockKey } from './ref-lock';
import type { Chunk, ChunkId, GitSha, RepoKey, SkipReason } from '../types';

/** One indexed (repository, ref, embedding model): the unit the sync engine keeps exact. */
export interface IndexedRef {
	id: number;
	repoKey: RepoKey;
	ref: string;
	embeddingModel: string;
	collection: string;
	commitSha: GitSha | null;
	/** Chunker and content-filter versions the stored rows were made with (see lib/ids). */
	chunkerVersion: number;
	filterVersion: number;
	fileCount: number;
	chunkCount: number;
	indexedAt: Date | null;
}

/** What MySQL remembers of one file of an indexed ref. */
export interface StoredFile {
	path: string;
	blobSha: GitSha;
	language: string;
	size: number;
	chunkCount: number;
	skipReason: SkipReason | null;
	skipDetail: string | null;
}

/** A chunk row as stored (everything but the embedding text). */
export type StoredChunk = Omit<Chunk, 'embeddingText' | 'repoKey' | 'ref'>;

/** `partial`: finished, exact for every file but those in the failure ledger. */
export type RunStatus = 'running' | 'succeeded' | 'partial' | 'failed';

export interface RunCounts {
	filesSeen: number;
	/** Files read and indexed because they are new or their blob changed (skipped ones are in filesSkipped). */
	filesChanged: number;
	filesRemoved: number;
	filesSkipped: number;
	/** Files that could not be indexed (they are in the failure ledger). */
	filesFailed: number;
	chunksUpserted: number;
	chunksDeleted: number;
	embedded: number;
	cacheHits: number;
	reconciled: boolean;
}

const ROW_BATCH = 400;

/** SHA-1 of a path: the fixed-size key under which files and chunks are looked up. */
export function pathHash(path: string): Buffer {
	return createHash('sha1').update(path).digest();
}

/** Text with LIKE's wildcards and escape character escaped, to match literally. */
function likeEscaped(text: string): string {
	return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** The one place that reads and writes the index state (refs, files, chunks, runs) in MySQL. */
export class IndexStateStore {
	constructor(readonly pool: Pool) {}

	/** The ref's row, created on first use (with the current chunker and filter versions: it holds nothing yet). */
	async ensureRef(repoKey: RepoKey, ref: string, embeddingModel: string, collection: string): Promise<IndexedRef> {
		await this.pool.query('INSERT IGNORE INTO repomind_repos (repo_key) VALUES (?)', [repoKey]);
		await this.pool.query(
			`INSERT IGNORE INTO repomind_refs (repo_id, ref, embedding_model, collection, chunker_version, filter_version)
			 SELECT id, ?, ?, ?, ?, ? FROM repomind_repos WHERE repo_key = ?`,
			[ref, embeddingModel, collection, CHUNKER_VERSION, FILTER_VERSION, repoKey],
		);
		return (await this.findRef(repoKey, ref, embeddingModel))!;
	}

	/**
	 * Gives refs indexed under an embedder's older ids its current id (they keep their collection), so
	 * indexes made before model ids named the whole embedding space stay readable and are synced in
	 * place. A ref that already has an index under the current id keeps it.
	 */
	async adoptLegacyModel(embeddingModel: string, legacyIds: string[] = []): Promise<void> {
		for (const legacy of legacyIds) {
			await this.pool.query(
				`UPDATE IGNORE repomind_refs old LEFT JOIN repomind_refs cur ON cur.repo_id = old.repo_id AND cur.ref = old.ref AND cur.embedding_model = ?
				 SET old.embedding_model = ? WHERE old.embedding_model = ? AND cur.id IS NULL`,
				[embeddingModel, embeddingModel, legacy],
			);
		}
	}

	/** The ref's row, or null when it was never indexed with that model. */
	async findRef(repoKey: RepoKey, ref: string, embeddingModel: string): Promise<IndexedRef | null> {
		const refs = await this.listRefs(repoKey);
		return refs.find((row) => row.ref === ref && row.embeddingModel === embeddingModel) ?? null;
	}

	/** Every indexed ref, optionally of one repository. */
	async listRefs(repoKey?: RepoKey): Promise<IndexedRef[]> {
		const [rows] = await this.pool.query<RowDataPacket[]>(
			`SELECT f.*, r.repo_key FROM repomind_refs f JOIN repomind_repos r ON r.id = f.repo_id
			 ${repoKey === undefined ? '' : 'WHERE r.repo_key = ?'} ORDER BY f.id`,
			repoKey === undefined ? [] : [repoKey],
		);
		return rows.map((row) => ({
			id: row.id,
			repoKey: row.repo_key,
			ref: row.ref,
			embeddingModel: row.embedding_model,
			collection: row.collection,
			commitSha: row.commit_sha,
			chunkerVersion: row.chunker_version,
			filterVersion: row.filter_version,
			fileCount: row.file_count,
			chunkCount: row.chunk_count,
			indexedAt: row.indexed_at,
		}));
	}

	/**
	 * The commit a ref was last completely indexed at (newest over embedding models), or null when
	 * no index of it is current (never indexed, or a run is underway or failed).
	 */
	async lastIndexedCommit(repoKey: RepoKey, ref: string): Promise<GitSha | null> {
		const [rows] = await this.pool.query<RowDataPacket[]>(
			`SELECT f.commit_sha FROM repomind_refs f JOIN repomind_repos r ON r.id = f.repo_id
			 WHERE r.repo_key = ? AND f.ref = ? AND f.indexed_at IS NOT NULL AND f.commit_sha IS NOT NULL
			 ORDER BY f.indexed_at DESC LIMIT 1`,
			[repoKey, ref],
		);
		return rows.length ? rows[0].commit_sha : null;
	}

	/** Every file stored for the ref, by path. */
	async loadFiles(refId: number): Promise<Map<string, StoredFile>> {
		const [rows] = await this.pool.query<RowDataPacket[]>(
			'SELECT path, blob_sha, language, size_bytes, chunk_count, skip_reason, skip_detail FROM repomind_files WHERE ref_id = ?',
			[refId],
		);
		return new Map(rows.map((row) => [row.path, toStoredFile(row)]));
	}

	/**
	 * Replaces the stored files and their chunks in one transaction.
	 * Returns the ids of chunks that were stored for these paths and are no longer wanted.
	 */
	async writeFiles(refId: number, files: Array<{ file: StoredFile; chunks: Chunk[] }>): Promise<ChunkId[]> {
		return this.write(async (connection) => {
			const previous = await this.chunkIdsOf(connection, refId, files.map(({ file }) => file.path));
			await this.deleteFileRows(connection, refId, files.map(({ file }) => file.path));
			const fileRows = files.map(({ file }) => [
				refId, pathHash(file.path), file.path, file.blobSha, file.language, file.size,
				file.chunkCount, file.skipReason, file.skipDetail,
			]);
			await insertRows(connection, 'repomind_files (ref_id, path_hash, path, blob_sha, language, size_bytes, chunk_count, skip_reason, skip_detail)', fileRows);
			const chunks = files.flatMap(({ chunks: fileChunks }) => fileChunks);
			const chunkRows = chunks.map((chunk) => [
				refId, chunk.id, pathHash(chunk.path), chunk.path, chunk.blobSha, chunk.language,
				chunk.startLine, chunk.endLine, chunk.symbol, chunk.contentHash, chunk.tokens, chunk.content,
				lexicalDocument(chunk.path, chunk.symbol, chunk.content),
			]);
			await insertRows(connection, 'repomind_chunks (ref_id, id, path_hash, path, blob_sha, language, start_line, end_line, symbol, content_hash, tokens, content, search_text)', chunkRows);
			const kept = new Set(chunks.map((chunk) => chunk.id));
			return previous.filter((id) => !kept.has(id));
		});
	}

	/** Forgets files and their chunks; returns the chunk ids that were stored for them. */
	async removeFiles(refId: number, paths: string[]): Promise<ChunkId[]> {
		if (paths.length === 0) return [];
		return this.write(async (connection) => {
			const previous = await this.chunkIdsOf(connection, refId, paths);
			await this.deleteFileRows(connection, refId, paths);
			return previous;
		});
	}

	/** Every chunk id stored for the ref. */
	async allChunkIds(refId: number): Promise<ChunkId[]> {
		const [rows] = await this.pool.query<RowDataPacket[]>('SELECT id FROM repomind_chunks WHERE ref_id = ? ORDER BY id', [refId]);
		return rows.map((row) => row.id);
	}

	/** The file of each chunk id the ref holds (ids it does not hold are left out). */
	async chunkPaths(refId: number, ids: ChunkId[]): Promise<Map<ChunkId, string>> {
		const paths = new Map<ChunkId, string>();
		for (let i = 0; i < ids.length; i += ROW_BATCH) {
			const [rows] = await this.pool.query<RowDataPacket[]>('SELECT id, path FROM repomind_chunks WHERE ref_id = ? AND id IN (?)', [refId, ids.slice(i, i + ROW_BATCH)]);
			for (const row of rows) paths.set(row.id, row.path);
		}
		return paths;
	}

	/** Stored chunks by id (for re-upserting what Chroma lost). */
	async chunksByIds(refId: number, ids: ChunkId[]): Promise<StoredChunk[]> {
		const result: StoredChunk[] = [];
		for (let i = 0; i < ids.length; i += ROW_BATCH) {
			const [rows] = await this.pool.query<RowDataPacket[]>(
				`SELECT id, path, blob_sha, language, start_line, end_line, symbol, content_hash, tokens, content
				 FROM repomind_chunks WHERE ref_id = ? AND id IN (?)`,
				[refId, ids.slice(i, i + ROW_BATCH)],
			);
			result.push(...rows.map(toStoredChunk));
		}
		return result;
	}

	/** The stored chunks of some files of the ref (every file when `paths` is omitted), by path then line. */
	async chunksOfPaths(refId: number, paths?: string[]): Promise<StoredChunk[]> {
		const columns = 'id, path, blob_sha, language, start_line, end_line, symbol, content_hash, tokens, content';
		if (paths === undefined) {
			const [rows] = await this.pool.query<RowDataPacket[]>(`SELECT ${columns} FROM repomind_chunks WHERE ref_id = ? ORDER BY path, start_line, end_line`, [refId]);
			return rows.map(toStoredChunk);
		}
		const wanted = new Set(paths);
		const result: StoredChunk[] = [];
		for (let i = 0; i < paths.length; i += ROW_BATCH) {
			const [rows] = await this.pool.query<RowDataPacket[]>(
				`SELECT ${columns} FROM repomind_chunks WHERE ref_id = ? AND path_hash IN (?) ORDER BY path, start_line, end_line`,
				[refId, paths.slice(i, i + ROW_BATCH).map(pathHash)],
			);
			result.push(...rows.map(toStoredChunk).filter((chunk) => wanted.has(chunk.path)));
		}
		return result;
	}

	/** Up to `limit` chunks of the ref whose text contains `text` (case-sensitive substring), by path then line. */
	async chunksContaining(refId: number, text: string, limit: number): Promise<StoredChunk[]> {
		const pattern = `%${likeEscaped(text)}%`;
		const [rows] = await this.pool.query<RowDataPacket[]>(
			`SELECT id, path, blob_sha, language, start_line, end_line, symbol, content_hash, tokens, content
			 FROM repomind_chunks WHERE ref_id = ? AND content LIKE BINARY ? ORDER BY path, start_line LIMIT ?`,
			[refId, pattern, limit],
		);
		return rows.map(toStoredChunk);
	}

	/** Path, lines and symbol of the ref's chunks (no content), optionally under a path prefix, in path and line order. */
	async chunkOutline(refId: number, pathPrefix = '', limit = 5000): Promise<Array<Omit<StoredChunk, 'content' | 'contentHash' | 'tokens' | 'blobSha'>>> {
		const [rows] = await this.pool.query<RowDataPacket[]>(
			`SELECT id, path, language, start_line, end_line, symbol FROM repomind_chunks
			 WHERE ref_id = ? AND path LIKE ? ORDER BY path, start_line LIMIT ?`,
			[refId, `${likeEscaped(pathPrefix)}%`, limit],
		);
		return rows.map((row) => ({ id: row.id, path: row.path, language: row.language, startLine: row.start_line, endLine: row.end_line, symbol: row.symbol }));
	}

	/**
	 * For blobs already indexed under any ref of the same repository and model, made by the current
	 * chunker and filter versions: one stored file per blob with its chunks, so a second branch needs
	 * no download.
	 */
	async indexedBlobs(ref: IndexedRef, blobShas: string[]): Promise<Map<GitSha, { file: StoredFile; chunks: StoredChunk[] }>> {
		const found = new Map<GitSha, { file: StoredFile; chunks: StoredChunk[] }>();
		for (let i = 0; i < blobShas.length; i += ROW_BATCH) {
			const [files] = await this.pool.query<RowDataPacket[]>(
				`SELECT fi.ref_id, fi.path, fi.blob_sha, fi.language, fi.size_bytes, fi.chunk_count, fi.skip_reason, fi.skip_detail
				 FROM repomind_files fi JOIN repomind_refs f ON f.id = fi.ref_id
				 JOIN repomind_refs mine ON mine.id = ? AND mine.repo_id = f.repo_id
				   AND mine.embedding_model = f.embedding_model AND f.chunker_version = ? AND f.filter_version = ?
				 WHERE fi.blob_sha IN (?)`,
				[ref.id, CHUNKER_VERSION, FILTER_VERSION, blobShas.slice(i, i + ROW_BATCH)],
			);
			const chosen = new Map<string, RowDataPacket>();
			for (const row of files) if (!chosen.has(row.blob_sha)) chosen.set(row.blob_sha, row);
			for (const row of chosen.values()) {
				const [chunkRows] = await this.pool.query<RowDataPacket[]>(
					`SELECT id, path, blob_sha, language, start_line, end_line, symbol, content_hash, tokens, content
					 FROM repomind_chunks WHERE ref_id = ? AND path_hash = ? ORDER BY start_line, end_line`,
					[row.ref_id, pathHash(row.path)],
				);
				if (chunkRows.length !== row.chunk_count) continue;
				found.set(row.blob_sha, { file: toStoredFile(row), chunks: chunkRows.map(toStoredChunk) });
			}
		}
		return found;
	}

	/** Records the start of an index run and returns its id. */
	async startRun(refId: number, fromCommit: GitSha | null, toCommit: GitSha): Promise<number> {
		const [result] = await this.pool.query<ResultSetHeader>(
			"INSERT INTO repomind_index_runs (ref_id, status, from_commit, to_commit) VALUES (?, 'running', ?, ?)",
			[refId, fromCommit, toCommit],
		);
		return result.insertId;
	}

	/** Records how a run ended. */
	async finishRun(runId: number, status: Exclude<RunStatus, 'running'>, counts: RunCounts, error?: string): Promise<void> {
		await this.pool.query(
			`UPDATE repomind_index_runs SET status = ?, finished_at = CURRENT_TIMESTAMP(3), files_seen = ?,
			 files_changed = ?, files_removed = ?, files_skipped = ?, files_failed = ?, chunks_upserted = ?, chunks_deleted = ?,
			 embedded = ?, cache_hits = ?, reconciled = ?, error = ? WHERE id = ?`,
			[status, counts.filesSeen, counts.filesChanged, counts.filesRemoved, counts.filesSkipped, counts.filesFailed,
				counts.chunksUpserted, counts.chunksDeleted, counts.embedded, counts.cacheHits,
				counts.reconciled ? 1 : 0, error === undefined ? null : redact(error).slice(0, 4000), runId],
		);
	}

	/** Status of the newest run before `beforeRunId` (null when there was none). */
	async previousRunStatus(refId: number, beforeRunId: number): Promise<RunStatus | null> {
		const [rows] = await this.pool.query<RowDataPacket[]>(
			'SELECT status FROM repomind_index_runs WHERE ref_id = ? AND id < ? ORDER BY id DESC LIMIT 1',
			[refId, beforeRunId],
		);
		return rows.length ? rows[0].status : null;
	}

	/** Marks the ref as exactly indexed at a commit by the current chunker and filter, with its file and chunk counts. */
	async markIndexed(refId: number, commitSha: GitSha, totals: { files: number; chunks: number }): Promise<void> {
		await this.write((connection) => connection.query(
			`UPDATE repomind_refs SET commit_sha = ?, chunker_version = ?, filter_version = ?, indexed_at = CURRENT_TIMESTAMP(3),
			 file_count = ?, chunk_count = ? WHERE id = ?`,
			[commitSha, CHUNKER_VERSION, FILTER_VERSION, totals.files, totals.chunks, refId],
		));
	}

	/** Clears the ref's commit so nothing claims it is current while a run is underway. */
	async markDirty(refId: number): Promise<void> {
		await this.write((connection) => connection.query('UPDATE repomind_refs SET indexed_at = NULL WHERE id = ?', [refId]));
	}

	/** Deletes the ref with its files, chunks and runs. */
	async deleteRef(refId: number): Promise<void> {
		await this.write((connection) => connection.query('DELETE FROM repomind_refs WHERE id = ?', [refId]));
	}

	/**
	 * Runs fn holding the lock of (repository, ref, model), so runs on one ref never overlap; the key,
	 * not the row id, is locked, so a run waiting while the ref is deleted finds it gone afterwards.
	 * MySQL writes made under the lease are fenced: they fail once the lock was lost.
	 */
	async withRefLock<T>(key: RefLockKey, fn: (lease: RefLease) => Promise<T>, timeoutSeconds = 600): Promise<T> {
		return withRefLease(this.pool, key, fn, timeoutSeconds);
	}

	/** A write transaction, fenced by the lease the caller runs under (if any). */
	private write<T>(fn: (connection: PoolConnection) => Promise<T>): Promise<T> {
		return withTransaction(this.pool, async (connection) => {
			await currentLease()?.fence(connection);
			return fn(connection);
		});
	}

	private async chunkIdsOf(connection: PoolConnection, refId: number, paths: string[]): Promise<ChunkId[]> {
		const ids: ChunkId[] = [];
		for (let i = 0; i < paths.length; i += ROW_BATCH) {
			const [rows] = await connection.query<RowDataPacket[]>(
				'SELECT id FROM repomind_chunks WHERE ref_id = ? AND path_hash IN (?)',
				[refId, paths.slice(i, i + ROW_BATCH).map(pathHash)],
			);
			for (const row of rows) ids.push(row.id);
		}
		return ids;
	}

	private async deleteFileRows(connection: PoolConnection, refId: number, paths: string[]): Promise<void> {
		for (let i = 0; i < paths.length; i += ROW_BATCH) {
			const hashes = paths.slice(i, i + ROW_BATCH).map(pathHash);
			await connection.query('DELETE FROM repomind_chunks WHERE ref_id = ? AND path_hash IN (?)', [refId, hashes]);
			await connection.query('DELETE FROM repomind_files WHERE ref_id = ? AND path_hash IN (?)', [refId, hashes]);
		}
	}
}

function toStoredFile(row: RowDataPacket): StoredFile {
	return {
		path: row.path,
		blobSha: row.blob_sha,
		language: row.language,
		size: row.size_bytes,
		chunkCount: row.chunk_count,
		skipReason: row.skip_reason,
		skipDetail: row.skip_detail,
	};
}

function toStoredChunk(row: RowDataPacket): StoredChunk {
	return {
		id: row.id,
		path: row.path,
		blobSha: row.blob_sha,
		language: row.language,
		startLine: row.start_line,
		endLine: row.end_line,
		symbol: row.symbol,
		contentHash: row.content_hash,
		tokens: row.tokens,
		content: row.content,
	};
}

async function insertRows(connection: PoolConnection, into: string, rows: unknown[][]): Promise<void> {
	for (let i = 0; i < rows.length; i += ROW_BATCH) {
		await connection.query(`INSERT INTO ${into} VALUES ?`, [rows.slice(i, i + ROW_BATCH)]);
	}
}
