import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LocalGitSource } from '../../lib/source';
import { syncRepository } from '../../lib/sync';
import type { RepoSource } from '../../lib/types';
import type { GitRepo } from '../support/git-repo';
import { makeRepository } from '../support/fixture-repo';
import { createIndexEnv, type IndexEnv } from '../support/index-env';
import { SlowEmbedder } from '../support/slow-embedder';
import { FIXTURE_REPO_KEY } from '../support/sync-assert';

describe('concurrent syncs of one ref', () => {
	let env: IndexEnv;
	let repo: GitRepo;

	before(async () => {
		env = await createIndexEnv({ embedder: new SlowEmbedder() });
		repo = await makeRepository();
	});
	after(async () => {
		await env?.close();
		await repo?.dispose();
	});

	it('a run that resolved an older commit and waited for the lock indexes the newest commit', async () => {
		const first = await repo.head();
		await repo.writeFiles({ 'lib/late.js': 'module.exports = function late() {\n\treturn 1;\n};\n' });
		const newest = await repo.commit('newest');
		const source = new LocalGitSource({ path: repo.path, repoKey: FIXTURE_REPO_KEY });
		// A source that answered the older commit at first, as if it had read the ref before the push.
		let answeredStale = false;
		const stale: RepoSource = new Proxy(source, {
			get(target, property, receiver) {
				if (property === 'resolveRef') {
					return async (ref: string) => {
						if (!answeredStale) {
							answeredStale = true;
							return first;
						}
						return target.resolveRef(ref);
					};
				}
				const value = Reflect.get(target, property, receiver);
				return typeof value === 'function' ? value.bind(target) : value;
			},
		});
		try {
			const holder = syncRepository(source, env.deps, { ref: 'main' });
			await new Promise((resolve) => setTimeout(resolve, 150));
			const waiter = await syncRepository(stale, env.deps, { ref: 'main' });
			const held = await holder;
			assert.equal(held.commit, newest);
			assert.equal(waiter.commit, newest, 'the waiting run resolved the ref again');
			assert.equal(waiter.chunksUpserted, 0);
			const row = await env.deps.state.findRef(FIXTURE_REPO_KEY, 'main', env.deps.embedder.modelId);
			assert.equal(row?.commitSha, newest);
		} finally {
			await source.close();
		}
	});
});
