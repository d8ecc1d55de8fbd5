import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { InvalidInputError } from '../../lib/errors';
import { GITHUB_URL_PATTERN, githubOwnerRepo, githubWebUrl, parseRepositoryLocation, REPOSITORY_KEY_PATTERN } from '../../lib/source/repository-key';
import { Retrieve } from '../../nodes/Retrieve/Retrieve.node.js';
import { repositoryFrom } from '../../nodes/shared/repository-locator';
import { fakeExecuteFunctions } from '../support/fake-execute';

describe('repository keys, GitHub URLs and local paths (parseRepositoryLocation)', () => {
	it('keeps keys, lower-casing GitHub ones as the sync writes them', () => {
		assert.deepEqual(parseRepositoryLocation('github:OctoCat/Hello-World'), { repoKey: 'github:octocat/hello-world' });
		assert.deepEqual(parseRepositoryLocation('  local:app '), { repoKey: 'local:app' });
		assert.deepEqual(parseRepositoryLocation('local:/srv/repos/App'), { repoKey: 'local:/srv/repos/App' });
		assert.deepEqual(parseRepositoryLocation('octocat/hello-world.git'), { repoKey: 'github:octocat/hello-world' });
	});

	it('turns GitHub URLs into keys, with the ref of /tree/<ref> (slashes included)', () => {
		assert.deepEqual(parseRepositoryLocation('https://github.com/octocat/Hello-World'), { repoKey: 'github:octocat/hello-world' });
		assert.deepEqual(parseRepositoryLocation('https://github.com/octocat/hello-world.git'), { repoKey: 'github:octocat/hello-world' });
		assert.deepEqual(parseRepositoryLocation('https://github.com/octocat/hello-world/'), { repoKey: 'github:octocat/hello-world' });
		assert.deepEqual(parseRepositoryLocation('https://github.com/octocat/hello-world/tree/main'), { repoKey: 'github:octocat/hello-world', ref: 'main' });
		assert.deepEqual(parseRepositoryLocation('https://github.com/octocat/hello-world/tree/feature/x-1'), { repoKey: 'github:octocat/hello-world', ref: 'feature/x-1' });
		assert.deepEqual(parseRepositoryLocation('https://github.example.com/team/app/tree/v2.0.0'), { repoKey: 'github:team/app', ref: 'v2.0.0' });
	});

	it('turns an absolute path into the key a Local Git Clone source without a key gets (symlinks resolved)', () => {
		const folder = realpathSync(mkdtempSync(join(tmpdir(), 'rm-hrl-key-')));
		try {
			symlinkSync(folder, `${folder}-link`);
			assert.deepEqual(parseRepositoryLocation(`${folder}-link`), { repoKey: `local:${folder}` });
			assert.deepEqual(parseRepositoryLocation('/srv/not/there/'), { repoKey: 'local:/srv/not/there' });
		} finally {
			rmSync(`${folder}-link`, { force: true });
			rmSync(folder, { recursive: true, force: true });
		}
	});

	it('rejects what names no repository, saying what to give instead', () => {
		for (const bad of ['', 'hello', 'github:octocat', 'https://github.com/octocat', 'https://github.com/octocat/hello/blob/main/x.ts', 'https://github.com/octocat/hello/tree/', 'ftp//x', 'not a url://x']) {
			assert.throws(() => parseRepositoryLocation(bad), (error: Error) => error instanceof InvalidInputError && /github|key|URL/i.test(`${error.message} ${(error as InvalidInputError).hint}`), bad);
		}
	});

	it('the pickers\' regex validations agree with the parser', () => {
		const key = new RegExp(REPOSITORY_KEY_PATTERN);
		for (const good of ['github:octocat/hello-world', 'local:app', 'local:/srv/repos/app']) assert.ok(key.test(good), good);
		for (const bad of ['octocat/hello', 'github:octocat', 'local:', 'https://github.com/a/b']) assert.ok(!key.test(bad), bad);
		const url = new RegExp(GITHUB_URL_PATTERN);
		for (const good of ['https://github.com/octocat/hello-world', 'https://github.com/octocat/hello-world.git', 'https://github.com/o/r/tree/feature/x']) {
			assert.ok(url.test(good), good);
			assert.doesNotThrow(() => parseRepositoryLocation(good));
		}
		for (const bad of ['https://github.com/octocat', 'github.com/octocat/hello', 'https://github.com/o/r/blob/main/a.ts']) assert.ok(!url.test(bad), bad);
	});

	it('GitHub keys give owner, name and web URL; other keys none', () => {
		assert.deepEqual(githubOwnerRepo('github:octocat/hello-world'), { owner: 'octocat', repo: 'hello-world' });
		assert.equal(githubOwnerRepo('local:app'), null);
		assert.equal(githubWebUrl('github:octocat/hello-world', 'main'), 'https://github.com/octocat/hello-world/tree/main');
		assert.equal(githubWebUrl('local:/srv/app'), undefined);
	});
});

describe('repositoryFrom: what a node reads from its repository and ref parameters', () => {
	const node = new Retrieve();
	const read = (parameters: object, typeVersion = 1.3, json: object = {}) =>
		repositoryFrom(fakeExecuteFunctions(node, { parameters: parameters as never, typeVersion, items: [json as never] }), 0, undefined, 'main');
	const rl = (mode: string, value: string) => ({ __rl: true, mode, value });

	it('a list pick is the index\'s key as it is; a typed key or URL is parsed; the URL\'s ref fills an empty Ref', () => {
		assert.deepEqual(read({ repositoryKey: rl('list', 'local:fixture'), ref: rl('list', 'dev') }), { repoKey: 'local:fixture', ref: 'dev' });
		assert.deepEqual(read({ repositoryKey: rl('id', 'github:Octo/Hello'), ref: rl('name', 'v1') }), { repoKey: 'github:octo/hello', ref: 'v1' });
		assert.deepEqual(read({ repositoryKey: rl('url', 'https://github.com/octo/hello/tree/release/2'), ref: rl('list', '') }), { repoKey: 'github:octo/hello', ref: 'release/2' });
		assert.deepEqual(read({ repositoryKey: rl('url', 'https://github.com/octo/hello'), ref: rl('list', '') }), { repoKey: 'github:octo/hello', ref: 'main' });
	});

	it('expressions in the key field resolve per item', () => {
		assert.deepEqual(read({ repositoryKey: rl('id', '={{ $json.repo }}'), ref: rl('name', '={{ $json.branch }}') }, 1.3, { repo: 'github:octo/hello', branch: 'dev' }), { repoKey: 'github:octo/hello', ref: 'dev' });
	});

	it('a URL whose ref disagrees with Ref is an error that says how to fix it', () => {
		assert.throws(() => read({ repositoryKey: rl('url', 'https://github.com/octo/hello/tree/dev'), ref: rl('name', 'main') }), (error: InvalidInputError) => /names ref "dev" but Ref is "main"/.test(error.message) && /Clear Ref/.test(error.hint ?? ''));
	});

	it('version 1 text fields are read as typed (saved workflows keep working)', () => {
		assert.deepEqual(read({ repositoryKey: 'local:Custom Name', ref: 'dev' }, 1), { repoKey: 'local:Custom Name', ref: 'dev' });
		assert.deepEqual(read({ repositoryKey: 'github:octo/hello' }, 1.2), { repoKey: 'github:octo/hello', ref: 'main' });
	});
});
