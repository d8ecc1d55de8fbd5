import { createPool, type Pool, type PoolConnection, type PoolOptions } from 'mysql2/promise';
import { ServiceError } from '../errors';

/** Connection settings of the MySQL (or MariaDB) database that holds RepoMind's state. */
export interface MySqlConfig {
	host: string;
	port?: number;
	user: string;
	password?: string;
	database: string;
	/** true: TLS with certificate verification; an object: mysql2's ssl options (ca, rejectUnauthorized). */
	ssl?: boolean | { ca?: string; rejectUnauthorized?: boolean };
	connectionLimit?: number;
}

/** Parses `mysql://user:password@host:port/database?ssl=true`. */
export function mysqlConfigFromUrl(url: string): MySqlConfig {
	const parsed = new URL(url);
	if (parsed.protocol !== 'mysql:' && parsed.protocol !== 'mariadb:') {
		throw new ServiceError(`Not a MySQL URL: ${parsed.protocol}`, 'Use mysql://user:password@host:3306/database');
	}
	return {
		host: parsed.hostname,
		port: parsed.port ? Number(parsed.port) : 3306,
		user: decodeURIComponent(parsed.username || 'root'),
		password: decodeURIComponent(parsed.password),
		database: parsed.pathname.replace(/^\//, '') || 'repomind',
		ssl: parsed.searchParams.get('ssl') === 'true' ? true : undefined,
	};
}

/** A mysql2 pool with the options RepoMind relies on (UTC, big numbers as strings off, multiple statements off). */
export function openPool(config: MySqlConfig): Pool {
	const options: PoolOptions = {
		host: config.host,
		port: config.port ?? 3306,
		user: config.user,
		password: config.password ?? '',
		database: config.database,
		connectionLimit: config.connectionLimit ?? 4,
		timezone: 'Z',
		charset: 'utf8mb4_bin',
		connectTimeout: 10_000,
		multipleStatements: false,
	};
	if (config.ssl === true) options.ssl = { rejectUnauthorized: true };
	else if (config.ssl) options.ssl = config.ssl;
	return createPool(options);
}

/** Turns a driver error into a ServiceError that says what to check, without echoing the password. */
export function mysqlError(error: unknown, config: MySqlConfig): ServiceError {
	const code = (error as { code?: string }).code ?? '';
	const where = `${config.host}:${config.port ?? 3306}/${config.database}`;
	if (code === 'ECONNREFUSED' || code === 'ETIMEDOUT' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH') {
		return new ServiceError(`MySQL at ${where} is unreachable (${code})`, 'Check host and port in the MySQL credential and that the server is running', { cause: error });
	}
	if (code === 'ER_ACCESS_DENIED_ERROR') {
		return new ServiceError(`MySQL at ${where} rejected user ${config.user}`, 'Check user and password in the MySQL credential', { cause: error });
	}
	if (code === 'ER_BAD_DB_ERROR') {
		return new ServiceError(`MySQL database ${config.database} does not exist on ${config.host}`, 'Create the database or fix its name in the MySQL credential', { cause: error });
	}
	const message = error instanceof Error ? error.message : String(error);
	return new ServiceError(`MySQL error at ${where}: ${message}`, undefined, { cause: error });
}

/** Runs fn in a transaction on one pooled connection: committed when fn resolves, rolled back when it throws. */
export async function withTransaction<T>(pool: Pool, fn: (connection: PoolConnection) => Promise<T>): Promise<T> {
	const connection = await pool.getConnection();
	try {
		await connection.beginTransaction();
		const result = await fn(connection);
		await connection.commit();
		return result;
	} catch (error) {
		await connection.rollback().catch(() => undefined);
		throw error;
	} finally {
		connection.release();
	}
}
