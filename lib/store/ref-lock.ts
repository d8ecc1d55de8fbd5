import { AsyncLocalStorage } from 'node:async_hooks';
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { RepoMindError } from '../errors';
import type { RepoKey } from '../types';
import { sha256Hex } from '../util/hash';

/** What one lock guards: an index of (repository, ref, embedding model), whether or not its row exists. */
export interface RefLockKey {
	repoKey: RepoKey;
	ref: string;
	embeddingModel: string;
}

/** The run no longer holds its ref's lock (its MySQL session ended); it stops before writing more. */
export class LockLostError extends RepoMindError {
	constructor(detail: string) {
		super(`This run lost the lock of its ref (${detail}); it stopped before writing more`, 'Run the sync again: the next run repairs whatever this one left');
	}
}

/** How long a lock query may take before the lock connection counts as dead. */
const QUERY_TIMEOUT_MS = 15_000;

/**
 * A held ref lock: MySQL `GET_LOCK` on one connection that is kept alive and checked, plus a fencing
 * token in `repomind_ref_leases` that every holder increments. Writes in MySQL check the token in
 * their transaction (`fence`), writes elsewhere call `assertHeld()` first, so a run whose session was
 * dropped (wait_timeout, a proxy, `KILL`) stops instead of writing beside the next holder.
 */
export class RefLease {
	lost: string | null = null;

	constructor(
		readonly name: string,
		readonly token: number,
		/** A run that lost its lock asked for Chroma to be checked against MySQL. */
		readonly repairRequested: boolean,
		private readonly connection: PoolConnection,
	) {}

	/** Throws LockLostError unless this session still holds the lock. */
	async assertHeld(): Promise<void> {
		if (this.lost) throw new LockLostError(this.lost);
		try {
			const [rows] = await this.connection.query<RowDataPacket[]>({ sql: 'SELECT IS_USED_LOCK(?) = CONNECTION_ID() AS mine', timeout: QUERY_TIMEOUT_MS }, [this.name]);
			if (rows[0].mine !== 1) this.lost = 'another session holds it now';
		} catch (error) {
			this.lost = `its connection failed: ${(error as Error).message}`;
		}
		if (this.lost) throw new LockLostError(this.lost);
	}

	/** Inside a write transaction: throws LockLostError unless the token is still this lease's. */
	async fence(connection: PoolConnection): Promise<void> {
		if (this.lost) throw new LockLostError(this.lost);
		const [rows] = await connection.query<RowDataPacket[]>('SELECT token FROM repomind_ref_leases WHERE lock_name = ? LOCK IN SHARE MODE', [this.name]);
		if (Number(rows[0]?.token) !== this.token) {
			this.lost = 'a later run took it';
			throw new LockLostError(this.lost);
		}
	}
}

const held = new AsyncLocalStorage<RefLease>();

/** The lease the current async call chain runs under, if any. */
export function currentLease(): RefLease | undefined {
	return held.getStore();
}

/** Throws LockLostError when the current call chain runs under a lease it no longer holds. */
export async function assertLeaseHeld(): Promise<void> {
	await currentLease()?.assertHeld();
}

/** MySQL lock names are at most 64 characters. */
export function refLockName(key: RefLockKey): string {
	return `repomind:ref:${sha256Hex(key.repoKey, key.ref, key.embeddingModel).slice(0, 40)}`;
}

/** Asks the next holder of the ref's lock to check Chroma against MySQL (after this run lost it). */
export async function requestRepair(pool: Pool, key: RefLockKey): Promise<void> {
	await pool.query('UPDATE repomind_ref_leases SET repair = 1 WHERE lock_name = ?', [refLockName(key)]);
}

/**
 * Runs fn holding the ref's lock (waiting up to timeoutSeconds for it). The lock connection is pinged
 * well within the server's wait_timeout; releasing it never fails a finished run.
 */
export async function withRefLease<T>(pool: Pool, key: RefLockKey, fn: (lease: RefLease) => Promise<T>, timeoutSeconds: number): Promise<T> {
	const name = refLockName(key);
	const connection = await pool.getConnection();
	let lease: RefLease | undefined;
	let keepAlive: NodeJS.Timeout | undefined;
	try {
		const [rows] = await connection.query<RowDataPacket[]>('SELECT GET_LOCK(?, ?) AS got, @@wait_timeout AS idle', [name, timeoutSeconds]);
		if (rows[0].got !== 1) throw new RepoMindError(`Another run of this ref is still running after ${timeoutSeconds} s`, 'Wait for it to finish, or look for a stuck run in repomind_index_runs');
		await connection.query('INSERT INTO repomind_ref_leases (lock_name, token) VALUES (?, 1) ON DUPLICATE KEY UPDATE token = token + 1', [name]);
		const [[state]] = await connection.query<RowDataPacket[]>('SELECT token, repair FROM repomind_ref_leases WHERE lock_name = ?', [name]);
		if (state.repair) await connection.query('UPDATE repomind_ref_leases SET repair = 0 WHERE lock_name = ?', [name]);
		const current = new RefLease(name, Number(state.token), Boolean(state.repair), connection);
		lease = current;
		const pingMs = Math.max(1, Math.min(60, Number(rows[0].idle) / 3)) * 1000;
		keepAlive = setInterval(() => {
			connection.query({ sql: 'SELECT 1', timeout: QUERY_TIMEOUT_MS }).catch((error: Error) => (current.lost ??= `its connection failed: ${error.message}`));
		}, pingMs);
		keepAlive.unref();
		return await held.run(current, () => fn(current));
	} finally {
		clearInterval(keepAlive);
		await release(connection, name, lease);
	}
}

/** Releases the lock; a dead connection is destroyed instead (its session's locks are gone with it). */
async function release(connection: PoolConnection, name: string, lease: RefLease | undefined): Promise<void> {
	if (lease?.lost) {
		connection.destroy();
		return;
	}
	try {
		await connection.query({ sql: 'SELECT RELEASE_LOCK(?)', timeout: QUERY_TIMEOUT_MS }, [name]);
		connection.release();
	} catch {
		connection.destroy();
	}
}
