import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ICredentialDataDecryptedObject, ICredentialTestFunctions } from 'n8n-workflow';
import { SCHEMA_VERSION } from '../../lib/store/schema';
import { repoMindMySqlConnectionTest } from '../../nodes/shared/credential-test';
import { Embed } from '../../nodes/Embed/Embed.node.js';
import { VectorStore } from '../../nodes/VectorStore/VectorStore.node.js';
import { createTestDatabase, type TestDatabase } from '../support/mysql-db';
import { freePort } from '../support/ports';

const WRONG_PASSWORD = 'mysql-credential-test-SECRET-9f8e7d';

describe('repoMindMySqlConnectionTest', () => {
	let database: TestDatabase;
	const check = (overrides: ICredentialDataDecryptedObject = {}) => {
		const { host, port, user, password, database: name } = database.config;
		const data = { host, port: port ?? 3306, user, password: password ?? '', database: name, ssl: false, ...overrides };
		const credential = { id: '1', name: 'RepoMind MySQL', type: 'repoMindMySql', data };
		return repoMindMySqlConnectionTest.call({} as ICredentialTestFunctions, credential);
	};

	before(async () => {
		database = await createTestDatabase('repomind_node_credential');
	});
	after(() => database.drop());

	test('both nodes that need MySQL offer the test', () => {
		assert.equal(new Embed().methods.credentialTest.repoMindMySqlConnectionTest, repoMindMySqlConnectionTest);
		assert.equal(new VectorStore().methods.credentialTest.repoMindMySqlConnectionTest, repoMindMySqlConnectionTest);
	});

	test('OK against the local database, and again once the schema exists', async () => {
		const expected = { status: 'OK', message: `Connected; RepoMind schema version ${SCHEMA_VERSION}` };
		assert.deepEqual(await check(), expected);
		assert.deepEqual(await check(), expected);
	});

	test('a wrong password: Error naming the user, without the password', async () => {
		const result = await check({ password: WRONG_PASSWORD });
		const where = `${database.config.host}:${database.config.port ?? 3306}/${database.config.database}`;
		assert.deepEqual(result, { status: 'Error', message: `MySQL at ${where} rejected user ${database.config.user}` });
		assert.ok(!JSON.stringify(result).includes(WRONG_PASSWORD));
	});

	test('a wrong port: Error saying the server is unreachable at host:port', async () => {
		const port = await freePort();
		const result = await check({ port, password: WRONG_PASSWORD });
		const message = `MySQL at ${database.config.host}:${port}/${database.config.database} is unreachable (ECONNREFUSED)`;
		assert.deepEqual(result, { status: 'Error', message });
	});

	test('a database that does not exist', async () => {
		const result = await check({ database: `${database.config.database}_missing` });
		assert.deepEqual(result, { status: 'Error', message: `MySQL database ${database.config.database}_missing does not exist on ${database.config.host}` });
	});
});
