import { resolve } from 'node:path';
import { mysqlConfigFromUrl, type MySqlConfig } from '../../lib/store/mysql';

/** A reason `npm start` cannot go on, told to the user in one line (no stack trace). */
export class StartError extends Error {}

/** What `npm start` runs, from the environment. */
export interface StartSettings {
	/** The package root (package.json, dist/, workflows/). */
	root: string;
	/** Where Chroma's data and n8n's user folder live. Default `<root>/.repomind`. */
	home: string;
	n8nPort: number;
	/** Chroma started by `npm start` on this port, unless `externalChromaUrl` is set. */
	chromaPort: number;
	/** An already running Chroma to use instead of starting one. */
	externalChromaUrl: string | null;
	mysqlUrl: string;
	mysql: MySqlConfig;
	/** Import workflows again even when they were imported before (overwrites edits). */
	reimportWorkflows: boolean;
}

export const DEFAULT_START_MYSQL_URL = 'mysql://root@127.0.0.1:3306/repomind';

/** Reads REPOMIND_HOME, REPOMIND_N8N_PORT, REPOMIND_CHROMA_PORT, REPOMIND_CHROMA_URL, REPOMIND_MYSQL_URL. */
export function startSettings(root: string, env: NodeJS.ProcessEnv = process.env): StartSettings {
	const mysqlUrl = env.REPOMIND_MYSQL_URL || DEFAULT_START_MYSQL_URL;
	let mysql: MySqlConfig;
	try {
		mysql = mysqlConfigFromUrl(mysqlUrl);
	} catch {
		throw new StartError(`REPOMIND_MYSQL_URL is not a MySQL URL: use mysql://user:password@host:3306/database`);
	}
	return {
		root,
		home: resolve(root, env.REPOMIND_HOME || '.repomind'),
		n8nPort: port(env, 'REPOMIND_N8N_PORT', 5678),
		chromaPort: port(env, 'REPOMIND_CHROMA_PORT', 8000),
		externalChromaUrl: env.REPOMIND_CHROMA_URL || null,
		mysqlUrl,
		mysql,
		reimportWorkflows: env.REPOMIND_REIMPORT_WORKFLOWS === 'true',
	};
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
	const value = env[name];
	if (!value) return fallback;
	const parsed = Number(value);
	if (!Number.isInteger(parsed) || parsed < 1 || parsed > 65535) throw new StartError(`${name}=${value} is not a port number`);
	return parsed;
}
