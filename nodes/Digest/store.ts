import type { IExecuteFunctions } from 'n8n-workflow';
import { DigestStore } from '../../lib/digest';
import { migrate } from '../../lib/store/migrate';
import { mysqlError, openPool } from '../../lib/store/mysql';
import { mysqlConfigFromCredentials } from '../shared/connections';

/** The digest store over its own pool; close() ends it. */
export interface OpenDigestStore {
	store: DigestStore;
	close(): Promise<void>;
}

/** Opens the digest store from the repoMindMySql credential, with the schema brought up to date. */
export async function openDigestStore(context: IExecuteFunctions): Promise<OpenDigestStore> {
	const config = mysqlConfigFromCredentials(await context.getCredentials('repoMindMySql'));
	const pool = openPool({ ...config, connectionLimit: 2 });
	try {
		await migrate(pool);
	} catch (error) {
		await pool.end().catch(() => undefined);
		throw mysqlError(error, config);
	}
	return { store: new DigestStore(pool), close: () => pool.end() };
}
