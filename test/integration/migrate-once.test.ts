import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createConnection, type Connection } from 'mysql2/promise';
import { openDeliveryPorts } from '../../nodes/GitHubTrigger/ports';
import { mysqlStoresFrom } from '../../nodes/shared/connections';
import { createTestDatabase, testServerConfig, type TestDatabase } from '../support/mysql-db';

/** Resolves with the value, or rejects when it takes longer than ms. */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms)));
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe('schema migration runs once per process and database', () => {
	let database: TestDatabase;
	let locker: Connection;
	const context = { getCredentials: async () => database.config } as never;

	before(async () => {
		database = await createTestDatabase();
		locker = await createConnection({ ...testServerConfig(), database: database.config.database });
	});
	after(async () => {
		await locker?.end();
		await database?.drop();
	});

	it('node runs and webhook deliveries after the first do not queue behind the migration lock', async () => {
		const first = await mysqlStoresFrom(context);
		await first.close();
		// Another process migrating holds the global lock; later runs here must not wait for it.
		await locker.query("SELECT GET_LOCK('repomind:migrate', 10)");
		try {
			const stores = await within(5000, mysqlStoresFrom(context));
			assert.ok(await stores.state.listRefs());
			await stores.close();
			const ports = openDeliveryPorts(context);
			const isNew = await within(5000, ports.rememberDelivery({ deliveryId: 'once-1', event: 'push', repoKey: 'github:o/r', ref: 'main', after: null }));
			assert.equal(isNew, true);
			await ports.close();
		} finally {
			await locker.query("SELECT RELEASE_LOCK('repomind:migrate')");
		}
	});
});
