import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FileFilter, isSecretFile } from '../../lib/filter';

const SECRET_FILES = [
	'.env',
	'.env.local',
	'.env.production',
	'config/.env.test',
	'certs/server.pem',
	'certs/server.key',
	'keys/client.p12',
	'keys/client.pfx',
	'android/release.keystore',
	'android/release.jks',
	'vault.kdbx',
	'.ssh/id_rsa',
	'id_dsa',
	'id_ecdsa',
	'home/id_ed25519',
	'.npmrc',
	'.pypirc',
	'.netrc',
	'.pgpass',
	'.git-credentials',
	'.htpasswd',
	'.dockercfg',
	'credentials.json',
	'gcp/service-account.json',
	'gcp/service-account-prod.json',
	'config/secrets.yml',
	'config/secrets.yaml',
	'infra/terraform.tfstate',
	'infra/terraform.tfstate.backup',
	'infra/prod.tfstate',
	'Certs/SERVER.PEM',
];

const ORDINARY_FILES = [
	'.env.example',
	'.env.sample',
	'.env.template',
	'config/.env.example',
	'.ssh/id_rsa.pub',
	'id_ed25519.pub',
	'src/env.ts',
	'src/keys.ts',
	'docs/credentials.md',
	'src/secrets.ts',
	'package.json',
	'.npmignore',
	'terraform/main.tf',
];

describe('secret files', () => {
	it('recognises every secret file name', () => {
		for (const path of SECRET_FILES) assert.equal(isSecretFile(path), true, path);
	});

	it('does not flag templates, public keys or ordinary code', () => {
		for (const path of ORDINARY_FILES) assert.equal(isSecretFile(path), false, path);
	});

	it('skips secret files before any glob or default is considered', () => {
		const filters = [
			new FileFilter(),
			new FileFilter({ include: ['**'] }),
			new FileFilter({ include: ['.env', '**/*.pem'] }),
			new FileFilter({ useDefaultExcludes: false }),
		];
		for (const filter of filters) {
			for (const path of SECRET_FILES) {
				assert.deepEqual(filter.checkEntry({ path, blobSha: 'b'.repeat(40), size: 10, mode: '100644' }), {
					path,
					reason: 'secret-file',
					detail: 'file name marks a credentials file',
				});
			}
		}
	});

	it('lets templates through when included', () => {
		const filter = new FileFilter({ include: ['.env*'] });
		const entry = { path: '.env.example', blobSha: 'c'.repeat(40), size: 10, mode: '100644' };
		assert.equal(filter.checkEntry(entry), null);
	});
});
