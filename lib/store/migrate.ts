import type { Pool, RowDataPacket } from 'mysql2/promise';
import type { MySqlConfig } from './mysql';
import { MIGRATIONS, type Migration } from './schema';

const LOCK_NAME = 'repomind:migrate';

/** Brings the database to the newest schema; safe to call from several processes at once. */
export async function migrate(pool: Pool, migrations: Migration[] = MIGRATIONS): Promise<number> {
	const connection = await pool.getConnection();
	try {
		const [lock] = await connection.query<RowDataPacket[]>('SELECT GET_LOCK(?, 60) AS got', [LOCK_NAME]);
		if (lock[0].got !== 1) throw new Error('Timed out waiting for another process to migrate the schema');
		try {
			await connection.query(
				`CREATE TABLE IF NOT EXISTS repomind_schema_version (
					version INT NOT NULL PRIMARY KEY,
					description VARCHAR(255) NOT NULL,
					applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
				) ENGINE=InnoDB`,
			);
			const [rows] = await connection.query<RowDataPacket[]>(
				'SELECT COALESCE(MAX(version), 0) AS version FROM repomind_schema_version',
			);
			let current = Number(rows[0].version);
			for (const migration of migrations) {
				if (migration.version <= current) continue;
				for (const statement of migration.statements) await connection.query(statement);
				await connection.query(
					'INSERT INTO repomind_schema_version (version, description) VALUES (?, ?)',
					[migration.version, migration.description],
				);
				current = migration.version;
			}
			return current;
		} finally {
			await connection.query('SELECT RELEASE_LOCK(?)', [LOCK_NAME]);
		}
	} finally {
		connection.release();
	}
}

const migrated = new Map<string, Promise<number>>();

/**
 * Migrates a database once per process: later calls for the same server and database (every webhook
 * delivery, every node run) reuse the first one's result instead of queueing behind the global lock.
 */
export function migrateOnce(pool: Pool, config: Pick<MySqlConfig, 'host' | 'port' | 'database'>): Promise<number> {
	const key = `${config.host}:${config.port ?? 3306}/${config.database}`;
	let done = migrated.get(key);
	if (!done) {
		done = migrate(pool);
		migrated.set(key, done);
		done.catch(() => migrated.delete(key));
	}
	return done;
}
