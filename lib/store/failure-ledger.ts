import type { Pool, RowDataPacket } from 'mysql2/promise';
import type { GitSha } from '../types';
import { COLUMN_CHARS, fitColumn } from './columns';
import { withTransaction } from './mysql';
import { pathHash } from './index-state';

/** The step of a sync at which a file failed. */
export type FailureStep = 'read' | 'filter' | 'chunk' | 'embed' | 'store';

/** A file a sync could not index (after the retries of its step): it is left out, not half-indexed. */
export interface FileFailure {
	path: string;
	blobSha: GitSha;
	step: FailureStep;
	error: string;
}

/** A ledger entry: the failure and the number of runs in a row that failed on this blob. */
export interface LedgerEntry extends FileFailure {
	attempts: number;
	firstFailedAt: Date;
	lastFailedAt: Date;
}

/** The failure ledger of each indexed ref in MySQL (`repomind_index_failures`): what the last run could not index. */
export class FailureLedger {
	constructor(private readonly pool: Pool) {}

	/** The ref's entries, oldest failure first. */
	async load(refId: number): Promise<LedgerEntry[]> {
		const [rows] = await this.pool.query<RowDataPacket[]>(
			'SELECT path, blob_sha, step, error, attempts, first_failed_at, last_failed_at FROM repomind_index_failures WHERE ref_id = ? ORDER BY first_failed_at, path',
			[refId],
		);
		return rows.map((row) => ({
			path: row.path,
			blobSha: row.blob_sha,
			step: row.step,
			error: row.error,
			attempts: row.attempts,
			firstFailedAt: row.first_failed_at,
			lastFailedAt: row.last_failed_at,
		}));
	}

	/**
	 * Replaces the ref's entries with the failures of the run that just finished (a run retries every
	 * entry, so anything not failing again is gone). Attempts count on while the same blob keeps failing.
	 */
	async replace(refId: number, failures: FileFailure[]): Promise<LedgerEntry[]> {
		const previous = new Map((await this.load(refId)).map((entry) => [entry.path, entry]));
		await withTransaction(this.pool, async (connection) => {
			await connection.query('DELETE FROM repomind_index_failures WHERE ref_id = ?', [refId]);
			if (failures.length === 0) return;
			const rows = failures.map((failure) => {
				const before = previous.get(failure.path);
				const again = before?.blobSha === failure.blobSha;
				return [refId, pathHash(failure.path), failure.path, failure.blobSha, failure.step, fitColumn(failure.error, COLUMN_CHARS.ledgerError), again ? before.attempts + 1 : 1, again ? before.firstFailedAt : new Date()];
			});
			await connection.query('INSERT INTO repomind_index_failures (ref_id, path_hash, path, blob_sha, step, error, attempts, first_failed_at) VALUES ?', [rows]);
		});
		return this.load(refId);
	}
}
