import { createConnection } from 'mysql2/promise';
import { migrate } from '../lib/store/migrate';
import { mysqlError, openPool, type MySqlConfig } from '../lib/store/mysql';
import type { Pool } from 'mysql2/promise';

/** Creates the database when it is missing (utf8mb4, binary collation); errors say what to check. */
export async function ensureDatabase(config: MySqlConfig): Promise<void> {
	if (!/^[\w$-]+$/.test(config.database)) throw mysqlError(new Error(`invalid database name ${config.database}`), config);
	let connection;
	try {
		connection = await createConnection({ host: config.host, port: config.port ?? 3306, user: config.user, password: config.password ?? '', connectTimeout: 5_000, ssl: config.ssl === true ? { rejectUnauthorized: true } : config.ssl || undefined });
		await connection.query(`CREATE DATABASE IF NOT EXISTS \`${config.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
	} catch (error) {
		throw mysqlError(error, config);
	} finally {
		await connection?.end().catch(() => undefined);
	}
}

/** Opens a pool on the database (created if missing) with the schema brought up to date. */
export async function openMigratedPool(config: MySqlConfig): Promise<Pool> {
	await ensureDatabase(config);
	const pool = openPool(config);
	try {
		await migrate(pool);
		return pool;
	} catch (error) {
		await pool.end().catch(() => undefined);
		throw mysqlError(error, config);
	}
}
