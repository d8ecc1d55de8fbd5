import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HashEmbedder } from '../../lib/embed';
import { retrieve, type RetrieveDependencies, type RetrieveRequest } from '../../lib/retrieve';
import { makeRepository } from '../support/fixture-repo';
import type { GitRepo } from '../support/git-repo';
import { createIndexEnv, type IndexEnv } from '../support/index-env';
import { FIXTURE_REPO_KEY, syncLocal } from '../support/sync-assert';

const QUESTIONS = ['parse the pattern', 'shard path of a blob', 'escape regular expression characters', 'watch files for changes', 'cache the repository'];

/**
 * InnoDB keeps new full-text entries in a cache and merges them into the index in the background; its
 * relevance (document counts) moves when that happens, so a query's order changed within a minute of
 * indexing. OPTIMIZE TABLE does the merge at once, standing in for the minute.
 */
describe('lexical ranking right after indexing and after InnoDB merged its full-text cache', () => {
	let env: IndexEnv;
	let repo: GitRepo;
	let deps: RetrieveDependencies;
	const rankings = async (extra: Partial<RetrieveRequest>) => {
		const out: Array<Array<[string, number]>> = [];
		for (const question of QUESTIONS) {
			const result = await retrieve(deps, { question, repoKey: FIXTURE_REPO_KEY, ref: 'main', mode: 'lexical', topK: 10, ...extra });
			out.push(result.hits.map((hit) => [hit.chunkId, hit.score]));
		}
		return out;
	};

	before(async () => {
		env = await createIndexEnv({ embedder: new HashEmbedder({ dimensions: 64 }) });
		repo = await makeRepository();
		await syncLocal(env, repo);
		// A second sync deletes and rewrites rows: InnoDB keeps their old entries until it merges.
		await repo.deleteFiles(['README.md']);
		await repo.writeFiles({ 'lib/extra.js': 'function parsePatternCache(pattern) {\n  return escapeRegex(pattern);\n}\n' });
		await repo.commit('second');
		await syncLocal(env, repo);
		deps = { state: env.deps.state, vectors: env.deps.vectors, embedder: env.deps.embedder };
	});
	after(async () => {
		await env?.close();
		await repo?.dispose();
	});

	it('BM25 over our own term statistics gives the same order and scores before and after the merge', async () => {
		const bm25Before = await rankings({});
		const innodbBefore = await rankings({ lexicalScoring: 'innodb' });
		await env.pool.query('OPTIMIZE TABLE repomind_chunks');
		const bm25After = await rankings({});
		const innodbAfter = await rankings({ lexicalScoring: 'innodb' });
		assert.deepEqual(bm25After, bm25Before);
		assert.notDeepEqual(innodbAfter, innodbBefore, 'InnoDB relevance moved with the merge (what made the ranking unstable)');
	});
});
