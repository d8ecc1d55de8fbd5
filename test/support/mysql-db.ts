import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import type { MySqlConfig } from '../../lib/store/mysql';

/** A throwaway MySQL database on the local server; drop() removes it. */
export interface TestDatabase {
	config: MySqlConfig;
	drop(): Promise<void>;
}

/** Server settings for tests: REPOMIND_TEST_MYSQL_* or the local MariaDB (root, no password). */
export function testServerConfig(): { host: string; port: number; user: string; password: string } {
	return {
		host: process.env.REPOMIND_TEST_MYSQL_HOST ?? '127.0.0.1',
		port: Number(process.env.REPOMIND_TEST_MYSQL_PORT ?? 3306),
		user: process.env.REPOMIND_TEST_MYSQL_USER ?? 'root',
		password: process.env.REPOMIND_TEST_MYSQL_PASSWORD ?? '',
	};
}

/** Creates a database with a unique name. */
export async function createTestDatabase(prefix = 'repomind_test'): Promise<TestDatabase> {
	const server = testServerConfig();
	const database = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
	const connection = await createConnection(server);
	await connection.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
	await connection.end();
	return {
		config: { ...server, database },
		async drop() {
			const dropper = await createConnection(server);
			await dropper.query(`DROP DATABASE IF EXISTS \`${database}\``);
			await dropper.end();
		},
	};
}
