import { execFile, spawn } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';
import { freePort } from '../test/support/ports';

/** A throwaway MariaDB server of the bench's own, on a free loopback port. */
export interface BenchMariaDb {
	host: string;
	port: number;
	stop(): Promise<void>;
}

/**
 * Starts `mariadbd --no-defaults` on a fresh data folder (root, empty password) with the given
 * InnoDB buffer pool, so the measurement neither competes with nor depends on the shared server.
 */
export async function startMariaDb(bufferPoolMb: number): Promise<BenchMariaDb> {
	const dataDir = mkdtempSync(join(tmpdir(), 'repomind-bench-mariadb-'));
	chownSync(dataDir, Number((await promisify(execFile)('id', ['-u', 'mysql'])).stdout.trim()), Number((await promisify(execFile)('id', ['-g', 'mysql'])).stdout.trim()));
	await promisify(execFile)('mariadb-install-db', ['--user=mysql', `--datadir=${dataDir}`, '--auth-root-authentication-method=normal', '--skip-test-db']);
	const port = await freePort();
	const child = spawn('/usr/sbin/mariadbd', [
		'--no-defaults', '--user=mysql', `--datadir=${dataDir}`, `--socket=${dataDir}/my.sock`, '--bind-address=127.0.0.1',
		`--port=${port}`, '--skip-name-resolve', `--innodb-buffer-pool-size=${bufferPoolMb}M`, '--innodb-flush-log-at-trx-commit=2',
	], { stdio: 'ignore' });
	const deadline = Date.now() + 30_000;
	for (;;) {
		try {
			const connection = await createConnection({ host: '127.0.0.1', port, user: 'root', password: '' });
			await connection.end();
			break;
		} catch (error) {
			if (child.exitCode !== null || Date.now() > deadline) {
				child.kill('SIGKILL');
				rmSync(dataDir, { recursive: true, force: true });
				throw new Error(`mariadbd did not start: ${(error as Error).message}`);
			}
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	}
	return {
		host: '127.0.0.1',
		port,
		async stop() {
			if (child.exitCode === null) {
				const exited = new Promise((resolve) => child.once('exit', resolve));
				child.kill('SIGTERM');
				await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
				if (child.exitCode === null) child.kill('SIGKILL');
			}
			rmSync(dataDir, { recursive: true, force: true });
		},
	};
}
