import type { IWebhookFunctions } from 'n8n-workflow';
import { IndexStateStore } from '../../lib/store/index-state';
import type { Pool } from 'mysql2/promise';
import { WebhookDeliveryStore, type DeliveryPorts } from '../../lib/webhook';
import { migratedPoolFrom } from '../shared/connections';

/** Delivery ports over a MySQL pool opened on first use; close() ends it. */
export function openDeliveryPorts(context: Pick<IWebhookFunctions, 'getCredentials'>): DeliveryPorts & { close(): Promise<void> } {
	let opened: Promise<{ pool: Pool; deliveries: WebhookDeliveryStore; state: IndexStateStore }> | undefined;
	const open = () => {
		opened ??= (async () => {
			const pool = await migratedPoolFrom(context, 2);
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
