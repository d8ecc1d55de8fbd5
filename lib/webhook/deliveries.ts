import type { Pool, ResultSetHeader } from 'mysql2/promise';

/** One accepted webhook delivery, as remembered. */
export interface DeliveryRecord {
	/** GitHub's `X-GitHub-Delivery` id (a GUID; the same for a redelivery). */
	deliveryId: string;
	event: string;
	repoKey: string;
	ref: string;
	after: string | null;
}

/** Remembers webhook deliveries in MySQL so a redelivered event is recognised. */
export class WebhookDeliveryStore {
	constructor(readonly pool: Pool) {}

	/** Records the delivery; true when it is new, false when it was seen before. */
	async remember(delivery: DeliveryRecord): Promise<boolean> {
		const [result] = await this.pool.query<ResultSetHeader>(
			'INSERT IGNORE INTO repomind_webhook_deliveries (delivery_id, event, repo_key, ref, after_sha) VALUES (?, ?, ?, ?, ?)',
			[delivery.deliveryId.slice(0, 64), delivery.event.slice(0, 64), delivery.repoKey, delivery.ref, delivery.after],
		);
		return result.affectedRows === 1;
	}

	/** Forgets a delivery, so a redelivery of it runs again (e.g. after the run could not start). */
	async forget(deliveryId: string): Promise<void> {
		await this.pool.query('DELETE FROM repomind_webhook_deliveries WHERE delivery_id = ?', [deliveryId.slice(0, 64)]);
	}
}
