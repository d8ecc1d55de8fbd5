import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openMigratedPool } from '../../cli/database';
import { StartError } from './settings';
import type { MySqlConfig } from '../../lib/store/mysql';

/** Fails with a StartError naming the variable to change when the port is in use on 127.0.0.1. */
export async function assertPortFree(port: number, what: string, variable: string): Promise<void> {
	const error = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
		const server = createServer();
		server.once('error', resolve);
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(null)));
	});
	if (error?.code === 'EADDRINUSE') throw new StartError(`Port ${port} (${what}) is already in use: stop what uses it or set ${variable} to another port`);
	if (error) throw new StartError(`Cannot listen on 127.0.0.1:${port} (${what}): ${error.code ?? error.message}`);
}

/** Creates the database if missing and migrates the schema; a failure becomes a one-line StartError. */
export async function prepareMySql(config: MySqlConfig): Promise<void> {
	try {
		const pool = await openMigratedPool(config);
		await pool.end();
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		const code = (error as { cause?: { code?: string } }).cause?.code ?? '';
		const advice =
			code === 'ER_ACCESS_DENIED_ERROR'
				? 'set REPOMIND_MYSQL_URL with the right user and password'
				: /^E[A-Z]+$/.test(code)
					? 'start MySQL or set REPOMIND_MYSQL_URL=mysql://user:password@host:3306/database'
					: 'check REPOMIND_MYSQL_URL=mysql://user:password@host:3306/database';
		throw new StartError(`${message}: ${advice}`);
	}
}

const SOURCES = ['lib', 'nodes', 'credentials', 'workflows', 'package.json', 'tsconfig.json', 'tsconfig.build.json'];
const BUILT_MARKER = 'dist/nodes/VectorStore/VectorStore.node.js';

/** True when dist/ is missing or a source file is newer than the last build. */
export function buildIsStale(root: string): boolean {
	const marker = join(root, BUILT_MARKER);
	if (!existsSync(marker)) return true;
	const builtAt = statSync(marker).mtimeMs;
	return SOURCES.some((entry) => newestMtime(join(root, entry)) > builtAt);
}

/** `npm run build`; its output is shown only when it fails. */
export async function buildPackage(root: string): Promise<void> {
	try {
		await promisify(execFile)('npm', ['run', 'build'], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
	} catch (error) {
		const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
		process.stderr.write(`${stdout}${stderr}`);
		throw new StartError('npm run build failed (output above)');
	}
}

function newestMtime(path: string): number {
	if (!existsSync(path)) return 0;
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), 0);
}
