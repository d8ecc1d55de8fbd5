import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HashEmbedder } from '../../lib/embed';
import { gatherReviewContext } from '../../lib/review';
import { LocalGitSource } from '../../lib/source';
import { syncRepository } from '../../lib/sync';
import type { GitRepo } from '../support/git-repo';
import { createIndexEnv, type IndexEnv } from '../support/index-env';
import { makeShopRepository } from '../support/review-repo';

describe('review context from a real index (MySQL + Chroma) and a real diff', () => {
	let env: IndexEnv;
	let shop: { repo: GitRepo; base: string; head: string };
	let source: LocalGitSource;

	before(async () => {
		[env, shop] = await Promise.all([createIndexEnv({ embedder: new HashEmbedder({ dimensions: 128 }) }), makeShopRepository()]);
		source = new LocalGitSource({ path: shop.repo.path, repoKey: 'local:shop' });
		await syncRepository(source, env.deps, { ref: 'main' });
	});
	after(async () => {
		await source?.close();
		await env?.close();
		await shop?.repo.dispose();
	});

	it('the diff of the pull request, with definitions it uses and callers in unchanged files', async () => {
		const patches = await source.diffPatches(shop.base, shop.head);
		assert.deepEqual(patches.map((patch) => [patch.path, patch.status]), [['src/shop.ts', 'modified']]);
		assert.match(patches[0].patch ?? '', /^@@ -1,7 \+1,9 @@/);
		const deps = { state: env.deps.state, vectors: env.deps.vectors, embedder: env.deps.embedder };
		const context = await gatherReviewContext(deps, 'local:shop', 'main', patches);
		assert.equal(context.commit, shop.base);
		const hits = context.files[0].context.map((hit) => `${hit.relation} ${hit.name ?? ''} ${hit.path}`);
		assert.ok(hits.includes('definition applyFee src/fees.ts'), hits.join('; '));
		assert.ok(hits.includes('caller charge src/checkout.ts'), hits.join('; '));
		assert.ok(context.files[0].context.every((hit) => hit.path !== 'src/shop.ts' || hit.startLine > 7), hits.join('; '));
	});
});
