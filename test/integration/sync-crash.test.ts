import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RowDataPacket } from 'mysql2/promise';
import { deleteRefIndex } from '../../lib/sync';
import { ChromaVectorStore } from '../../lib/vector/chroma';
import { makeRepository, PICOMATCH } from '../support/fixture-repo';
import type { GitRepo } from '../support/git-repo';
import { createIndexEnv, type IndexEnv, type IndexSnapshot } from '../support/index-env';
import { assertMatchesFresh, assertMySqlClaimsOnlyWhatChromaHas, FIXTURE_REPO_KEY, freshSnapshot, syncLocal } from '../support/sync-assert';

const FIXTURES = join(__dirname, '..', 'fixtures', 'chunker');
const CHILD = join(__dirname, '..', 'support', 'sync-child.ts');

/** Commit B: modified files, a deleted file and new files on top of the indexed commit A. */
async function commitChanges(repo: GitRepo): Promise<void> {
	const utils = readFileSync(join(PICOMATCH, 'lib', 'utils.js'), 'utf8');
	const examples = readdirSync(FIXTURES).filter((name) => !name.endsWith('.md'));
	for (const name of examples) {
		await repo.writeFiles({ [`examples/${name}`]: `${readFileSync(join(FIXTURES, name), 'utf8')}
// changed in B
` });
	}
	await repo.writeFiles({
		'lib/utils.js': utils.replace('exports.', 'exports.repomindMarker = true;\nexports.'),
		'lib/new-a.js': 'function alpha(value) {\n\treturn value * 2;\n}\nmodule.exports = { alpha };\n',
		'lib/new-b.js': 'function beta(value) {\n\treturn value + 2;\n}\nmodule.exports = { beta };\n',
	});
	await repo.deleteFiles(['lib/constants.js']);
	await repo.commit('B');
}

/** Runs a sync in a child process and SIGKILLs it once `filesDone` reaches the threshold. */
function syncAndKill(env: IndexEnv, repo: GitRepo, killAtFilesDone: number): Promise<{ killed: boolean }> {
	const config = { mysql: env.database.config, chromaUrl: env.chroma.url, repoPath: repo.path, repoKey: FIXTURE_REPO_KEY, ref: 'main', embedDelayMs: 150 };
	const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
	let stderr = '';
	child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
	return new Promise((resolve, reject) => {
		let buffered = '';
		let killed = false;
		child.stdout.on('data', (data: Buffer) => {
			buffered += data.toString();
			const lines = buffered.split('\n');
			buffered = lines.pop()!;
			for (const line of lines) {
				const progress = JSON.parse(line) as { phase: string; filesDone: number };
				if (!killed && progress.phase === 'indexing' && progress.filesDone >= killAtFilesDone) {
					killed = child.kill('SIGKILL');
				}
			}
		});
		child.on('exit', (code, signal) => {
			if (signal === 'SIGKILL' || code === 0) resolve({ killed: signal === 'SIGKILL' });
			else reject(new Error(`sync child failed (${code}): ${stderr}`));
		});
	});
}

/** Makes the Nth call of one method of a real service throw, once. */
function failOnCall<T extends object>(target: T, method: keyof T & string, call: number): T {
	let calls = 0;
	return new Proxy(target, {
		get(object, property, receiver) {
			const value = Reflect.get(object, property, receiver);
			if (property !== method || typeof value !== 'function') return typeof value === 'function' ? value.bind(object) : value;
			return async (...args: unknown[]) => {
				calls += 1;
				if (calls === call) throw new Error(`injected failure in ${method} #${call}`);
				return value.apply(object, args);
			};
		},
	});
}

describe('a sync that dies at any point is repaired by the next run', () => {
	let repo: GitRepo;
	let expected: IndexSnapshot;

	before(async () => {
		repo = await makeRepository();
		await repo.branch('indexed-a');
		await commitChanges(repo);
		expected = await freshSnapshot(repo, 'main');
	});
	after(async () => repo?.dispose());

	/** A fresh environment indexed at commit A, then the scenario, then checks and a clean re-run. */
	async function scenario(name: string, breakIt: (env: IndexEnv) => Promise<void>) {
		const env = await createIndexEnv();
		try {
			await syncAtCommit(env, repo, await repo.head('indexed-a'));
			await breakIt(env);
			await assertMySqlClaimsOnlyWhatChromaHas(env);
			const report = await syncLocal(env, repo, 'main');
			assert.equal(report.reconciled, true, `${name}: the re-run reconciles`);
			await assertMatchesFresh(env, repo, 'main', expected);
			const again = await syncLocal(env, repo, 'main');
			assert.equal(again.embedded + again.chunksUpserted + again.chunksDeleted, 0, `${name}: then a no-op`);
		} finally {
			await env.close();
		}
	}

	for (const killAt of [2, 5, 8]) {
		it(`SIGKILL after ${killAt} files`, async () => {
			await scenario(`kill@${killAt}`, async (env) => {
				const { killed } = await syncAndKill(env, repo, killAt);
				assert.equal(killed, true, 'the child was killed mid-run');
				const [runs] = await env.pool.query<RowDataPacket[]>("SELECT status FROM repomind_index_runs ORDER BY id DESC LIMIT 1");
				assert.equal(runs[0].status, 'running', 'the killed run never finished');
			});
		});
	}

	const faults: Array<[string, 'vectors' | 'state', string, number]> = [
		['Chroma upsert fails', 'vectors', 'upsert', 2],
		['MySQL write fails after the Chroma upsert', 'state', 'writeFiles', 2],
		['Chroma delete of stale chunks fails after the MySQL write', 'vectors', 'deleteIds', 1],
		['removing deleted files fails in Chroma', 'vectors', 'deleteIds', 4],
		['marking the ref indexed fails', 'state', 'markIndexed', 1],
	];
	for (const [name, service, method, call] of faults) {
		it(name, async () => {
			await scenario(name, async (env) => {
				const deps = { ...env.deps, [service]: failOnCall(env.deps[service] as object, method as never, call) };
				await assert.rejects(syncLocal({ ...env, deps } as IndexEnv, repo, 'main'), /injected failure/);
				const [runs] = await env.pool.query<RowDataPacket[]>("SELECT status, error FROM repomind_index_runs ORDER BY id DESC LIMIT 1");
				assert.equal(runs[0].status, 'failed');
				assert.match(runs[0].error, /injected failure/);
			});
		});
	}

	it('deleting a ref index that fails in Chroma leaves MySQL claiming nothing Chroma lacks; the next sync repairs', async () => {
		const env = await createIndexEnv();
		try {
			await syncLocal(env, repo, 'main');
			const failing = failOnCall(env.deps.vectors, 'deleteWhere', 1);
			await assert.rejects(deleteRefIndex(env.deps.state, failing, FIXTURE_REPO_KEY, 'main'), /injected failure/);
			await assertMySqlClaimsOnlyWhatChromaHas(env);
			const report = await syncLocal(env, repo, 'main');
			assert.equal(report.reconciled, true);
			assert.equal(report.embedded, 0, 'vectors come from the cache');
			await assertMatchesFresh(env, repo, 'main', expected);
			assert.equal((await deleteRefIndex(env.deps.state, env.deps.vectors, FIXTURE_REPO_KEY, 'main')).deleted.length, 1);
			const row = await env.deps.state.findRef(FIXTURE_REPO_KEY, 'main', env.deps.embedder.modelId);
			assert.equal(row, null);
			assert.deepEqual(await env.deps.vectors.listIds(ChromaVectorStore.collectionName(FIXTURE_REPO_KEY, env.deps.embedder.modelId), { ref: 'main' }), []);
		} finally {
			await env.close();
		}
	});
});

/** Indexes commit `sha` as ref `main` (the ref name is what chunk ids carry). */
async function syncAtCommit(env: IndexEnv, repo: GitRepo, sha: string): Promise<void> {
	const head = await repo.head('main');
	await repo.git('update-ref', 'refs/heads/main', sha);
	try {
		await syncLocal(env, repo, 'main');
	} finally {
		await repo.git('update-ref', 'refs/heads/main', head);
	}
}
