import assert from 'node:assert/strict';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { syncCommand } from '../../cli/sync';
import { InvalidInputError } from '../../lib/errors';
import { LocalGitSource } from '../../lib/source';
import { RepoFetch } from '../../nodes/RepoFetch/RepoFetch.node.js';
import { runNodeError, runNodeOk } from '../support/fake-execute';
import { GitRepo } from '../support/git-repo';

describe('a local git source reads only inside its allowed folders', () => {
	let repo: GitRepo;
	let allowed: string;
	let outside: string;

	before(async () => {
		repo = await GitRepo.create();
		await repo.writeFiles({ 'src/app.ts': 'export const app = 1;\n' });
		await repo.commit('init');
		allowed = await mkdtemp(join(tmpdir(), 'repomind-allowed-'));
		outside = await mkdtemp(join(tmpdir(), 'repomind-outside-'));
		await symlink(repo.path, join(allowed, 'link-to-repo'));
	});
	after(async () => {
		await Promise.all([repo.dispose(), rm(allowed, { recursive: true, force: true }), rm(outside, { recursive: true, force: true })]);
	});

	test('LocalGitSource: real path inside an allowed root, symlinks resolved, no prefix tricks', async () => {
		const parent = join(repo.path, '..');
		const inside = new LocalGitSource({ path: repo.path, allowedRoots: [outside, parent] });
		assert.match(await inside.resolveRef('HEAD'), /^[0-9a-f]{40}$/);
		await inside.close();
		assert.ok(new LocalGitSource({ path: repo.path, allowedRoots: [] }));
		for (const [path, roots] of [[repo.path, [outside]], [join(allowed, 'link-to-repo'), [allowed]], [repo.path, [repo.path.slice(0, -2)]]] as const) {
			assert.throws(() => new LocalGitSource({ path, allowedRoots: [...roots] }), (error: Error) => {
				assert.ok(error instanceof InvalidInputError);
				assert.equal(error.message, `The repository path ${path} is outside the folders RepoMind may read (${roots.join('; ')}).`);
				return true;
			});
		}
	});

	test('repomind sync: --allowed-root and REPOMIND_ALLOWED_ROOTS refuse the path before connecting anywhere', async () => {
		for (const [argv, env] of [[['--allowed-root', outside], {}], [[], { REPOMIND_ALLOWED_ROOTS: `${outside};${allowed}` }]] as const) {
			const err: string[] = [];
			const unreachable = { REPOMIND_MYSQL_URL: 'mysql://root@127.0.0.1:1/none', REPOMIND_CHROMA_URL: 'http://127.0.0.1:1' };
			const code = await syncCommand(['--repo', repo.path, '--embedder', 'hash', ...argv], { out: () => undefined, err: (line) => err.push(line), env: { ...unreachable, ...env } });
			assert.equal(code, 1);
			assert.match(err.join('\n'), /^repomind sync: The repository path .* is outside the folders RepoMind may read \(.*\)\. Clone the repository inside one of the allowed folders/);
		}
	});

	test('the nodes honour n8n N8N_RESTRICT_FILE_ACCESS_TO', async () => {
		const parameters = { source: 'local', repositoryPath: repo.path, repositoryKey: 'local:fixture', operation: 'snapshot', ref: 'main' };
		const error = await runNodeError(new RepoFetch(), { parameters, restrictFileAccessTo: [outside] });
		assert.equal(error.message, `The repository path ${repo.path} is outside the folders n8n may read`);
		assert.match(String((error as { description?: string }).description), /N8N_RESTRICT_FILE_ACCESS_TO/);
		const linked = await runNodeError(new RepoFetch(), { parameters: { ...parameters, repositoryPath: join(allowed, 'link-to-repo') }, restrictFileAccessTo: [allowed] });
		assert.match(linked.message, /outside the folders n8n may read/);
		const items = await runNodeOk(new RepoFetch(), { parameters, restrictFileAccessTo: [join(repo.path, '..')] });
		assert.deepEqual(items.map((item) => item.json.path), ['src/app.ts']);
	});
});
