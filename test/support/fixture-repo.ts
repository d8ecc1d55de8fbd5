import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { GitRepo } from './git-repo';

const FIXTURES = join(__dirname, '..', 'fixtures', 'chunker');
export const PICOMATCH = join(__dirname, '..', '..', 'node_modules', 'picomatch');

/** Where the GitHub stand-in serves the fixture repository, and the token it asks for. */
export const SAMPLE_REPO = { owner: 'octo-org', repo: 'sample', token: 'ghp-test-token', key: 'github:octo-org/sample' } as const;

/** A small real repository: picomatch's sources and the chunker fixtures, plus files that must be skipped. */
export async function makeRepository(): Promise<GitRepo> {
	const repo = await GitRepo.create();
	const files: Record<string, string | Buffer> = {
		'README.md': readFileSync(join(PICOMATCH, 'README.md'), 'utf8'),
		'index.js': readFileSync(join(PICOMATCH, 'index.js'), 'utf8'),
		'.env': 'DATABASE_PASSWORD=hunter2hunter2\n',
		'package-lock.json': '{"lockfileVersion": 3}\n',
		'assets/logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]),
	};
	for (const name of readdirSync(join(PICOMATCH, 'lib'))) files[`lib/${name}`] = readFileSync(join(PICOMATCH, 'lib', name), 'utf8');
	for (const name of readdirSync(FIXTURES)) files[`examples/${name}`] = readFileSync(join(FIXTURES, name), 'utf8');
	await repo.writeFiles(files);
	await repo.commit('initial');
	return repo;
}

