import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HashEmbedder } from '../../lib/embed';
import { textHash } from '../../lib/ids';
import { EmbeddingCache, EmbeddingSpaceError } from '../../lib/store/embedding-cache';
import type { Embedder } from '../../lib/types';
import type { GitRepo } from '../support/git-repo';
import { makeRepository } from '../support/fixture-repo';
import { createIndexEnv, type IndexEnv } from '../support/index-env';
import { FIXTURE_REPO_KEY, syncLocal } from '../support/sync-assert';

/** The hash embedder under another id, as an embedder of an older release would have named it. */
const named = (modelId: string, legacyModelIds?: string[], dimensions = 64): Embedder & { dimensions: number } => {
	const inner = new HashEmbedder({ dimensions });
	return { modelId, legacyModelIds, dimensions, embed: (texts) => inner.embed(texts) };
};

describe('embedding space: cache dimensions and adopted indexes', () => {
	let env: IndexEnv;
	let repo: GitRepo;
	before(async () => {
		[env, repo] = await Promise.all([createIndexEnv(), makeRepository()]);
	});
	after(async () => {
		await env?.close();
		await repo?.dispose();
	});

	it('refuses cached vectors whose dimension is not the one the embedder answers', async () => {
		const cache = new EmbeddingCache(env.pool);
		await cache.put('openai:shared-name', [[textHash('old text'), [0.1, 0.2, 0.3]]]);
		const items = (...texts: string[]) => texts.map((text) => ({ key: textHash(text), text }));
		await assert.rejects(cache.embed(named('openai:shared-name', undefined, 4), items('old text', 'new text')), EmbeddingSpaceError);
		await assert.rejects(cache.embed(named('openai:shared-name', undefined, 4), items('old text')), /holds 3-d vectors for openai:shared-name, but the embedder answers 4-d/);
		assert.equal((await cache.embed(named('openai:shared-name', undefined, 3), items('old text'))).cacheHits, 1);
	});

	it('an index made under an older model id is adopted by the new id: same ref row, same collection, synced in place', async () => {
		env.deps = { ...env.deps, embedder: named('openai:m') };
		const first = await syncLocal(env, repo);
		env.deps = { ...env.deps, embedder: named('openai:m@gpu-box:8080/v1', ['openai:m']) };
		const second = await syncLocal(env, repo);
		assert.equal(second.collection, first.collection);
		assert.equal(second.filesChanged, 0, 'nothing to re-index: the adopted rows are current');
		const refs = await env.deps.state.listRefs(FIXTURE_REPO_KEY);
		assert.deepEqual(refs.map((row) => [row.embeddingModel, row.collection]), [['openai:m@gpu-box:8080/v1', first.collection]]);
		const held = await env.deps.vectors.listIds(first.collection, { ref: 'main' });
		assert.equal(held.length, refs[0].chunkCount);
	});
});
