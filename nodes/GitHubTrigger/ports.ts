import type { IWebhookFunctions } from 'n8n-workflow';
import { IndexStateStore } from '../../lib/store/index-state';
import { migrate } from '../../lib/store/migrate';
import { mysqlError, openPool, type MySqlConfig } from '../../lib/store/mysql';
import { WebhookDeliveryStore, type DeliveryPorts } from '../../lib/webhook';
import { mysqlConfigFromCredentials } from '../shared/connections';

/** Delivery ports over a MySQL pool opened on first use; close() ends it. */
export function openDeliveryPorts(context: IWebhookFunctions): DeliveryPorts & { close(): Promise<void> } {
	let opened: Promise<{ pool: ReturnType<typeof openPool>; deliveries: WebhookDeliveryStore; state: IndexStateStore }> | undefined;
	const open = () => {
		opened ??= (async () => {
			const config: MySqlConfig = mysqlConfigFromCredentials(await context.getCredentials('repoMindMySql'));
			const pool = openPool({ ...config, connectionLimit: 2 });
			try {
				await migrate(pool);
			} catch (error) {
				await pool.end().catch(() => undefined);
				throw mysqlError(error, config);
			}
			return { pool, deliveries: new WebhookDeliveryStore(pool), state: new IndexStateStore(pool) };
		})();
		return opened;
	};
	return {
		rememberDelivery: async (delivery) => (await open()).deliveries.remember(delivery),
		lastIndexedCommit: async (repoKey, ref) => (await open()).state.lastIndexedCommit(repoKey, ref),
		close: async () => {
			if (opened) await (await opened.catch(() => undefined))?.pool.end();
		},
	};
}
