import type { IExecuteFunctions } from 'n8n-workflow';
import { DigestStore } from '../../lib/digest';
import { migratedPoolFrom } from '../shared/connections';

/** The digest store over its own pool; close() ends it. */
export interface OpenDigestStore {
	store: DigestStore;
	close(): Promise<void>;
}

/** Opens the digest store from the repoMindMySql credential, with the schema brought up to date. */
export async function openDigestStore(context: IExecuteFunctions): Promise<OpenDigestStore> {
	const pool = await migratedPoolFrom(context, 2);
	return { store: new DigestStore(pool), close: () => pool.end() };
}
