import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { RowDataPacket } from 'mysql2/promise';
import { RefNotFoundError } from '../../lib/errors';
import { HashEmbedder } from '../../lib/embed';
import { LocalGitSource } from '../../lib/source';
import { LockLostError, refLockName } from '../../lib/store/ref-lock';
import { deleteRefIndex, syncRepository, SyncCancelledError } from '../../lib/sync';
import type { Embedder } from '../../lib/types';
import { ChromaVectorStore } from '../../lib/vector/chroma';
import { handleDelivery, signPayload, WebhookDeliveryStore, ZERO_SHA, type DeliveryConfig, type PushOutput } from '../../lib/webhook';
import { VectorStore } from '../../nodes/VectorStore/VectorStore.node.js';
import { runNode } from '../support/fake-execute';
import { GitRepo } from '../support/git-repo';
import { snapshotIndex, type IndexEnv, type IndexSnapshot } from '../support/index-env';
import { editContent, newFile, POISON, togglePoison } from './content';
import type { Random } from './random';

export const REPO_KEY = 'github:fuzz/repo';
const SECRET = 'fuzz-webhook-secret';
const CHILD = join(__dirname, '..', 'support', 'sync-child.ts');
const MAX_POISONED = 2;
const DELIVERY: DeliveryConfig = { secret: SECRET, repositories: ['fuzz/repo'], branches: [], includeTags: false, otherEvents: 'ignore' };

/** The hash embedder behind an API that refuses (HTTP 400) any text carrying the poison marker. */
export class RefusingEmbedder implements Embedder {
	readonly inner = new HashEmbedder({ dimensions: 64 });
	readonly modelId = this.inner.modelId;
	async embed(texts: string[]): Promise<number[][]> {
		if (texts.some((text) => text.includes(POISON))) throw Object.assign(new Error('input rejected by the content policy'), { status: 400 });
		return this.inner.embed(texts);
	}
}

/** The operations a step can be, with how often each is chosen. */
export const OPERATION_WEIGHTS = {
	edit: 16,
	add: 8,
	delete: 6,
	rename: 7,
	copy: 5,
	poison: 4,
	branchCreate: 5,
	branchDelete: 4,
	branchRecreate: 4,
	forcePush: 6,
	redeliver: 7,
	chunkerBump: 3,
	filterBump: 3,
	sigkill: 3,
	lockKill: 4,
	cancel: 4,
	nodeWrite: 4,
};
export type Operation = keyof typeof OPERATION_WEIGHTS;

/** Where the index differs from a fresh index of the same commit. */
export interface Divergence {
	ref: string;
	what: string;
}

/**
 * One fuzz sequence's world: a real git repository with branches, the index under test (its own
 * MySQL database, a Chroma server) driven the way the push workflow drives it (signed webhook
 * deliveries -> Sync Repository or Delete Ref Index), and a second environment where any commit is
 * indexed from scratch for comparison.
 */
export class World {
	readonly branches = new Set<string>(['main']);
	readonly gone = new Set<string>();
	private readonly deliveries: Array<{ id: string; body: string; deleted: boolean }> = [];
	private readonly freshCache = new Map<string, IndexSnapshot>();
	private branchCount = 0;
	private checkedOut = 'main';

	private constructor(
		private readonly random: Random,
		readonly repo: GitRepo,
		private readonly sut: IndexEnv,
		private readonly fresh: IndexEnv,
		private readonly source: LocalGitSource,
	) {}

	static async create(random: Random, sut: IndexEnv, fresh: IndexEnv): Promise<World> {
		const repo = await GitRepo.create({ prefix: 'repomind-fuzz-' });
		const taken = new Set<string>();
		const files: Record<string, string> = {};
		for (let i = 0; i < random.int(6, 12); i++) {
			const file = newFile(random, taken);
			taken.add(file.path);
			files[file.path] = file.content;
		}
		await repo.writeFiles(files);
		await repo.commit('initial');
		const world = new World(random, repo, sut, fresh, new LocalGitSource({ path: repo.path, repoKey: REPO_KEY }));
		await world.push('main', ZERO_SHA, await repo.head());
		return world;
	}

	async dispose(): Promise<void> {
		await this.source.close();
		await this.repo.dispose();
	}

	/** Runs one operation; returns what went unexpectedly (empty when the step behaved). */
	async step(operation: Operation): Promise<void> {
		const branch = this.random.pick([...this.branches]);
		switch (operation) {
			case 'edit':
				return this.change(branch, async (files) => {
					const path = this.random.pick(files);
					await this.repo.writeFiles({ [path]: editContent(this.random, path, await this.read(path)) });
				});
			case 'add':
				return this.change(branch, async (files) => {
					const taken = new Set(files);
					for (let i = 0; i < this.random.int(1, 3); i++) {
						const file = newFile(this.random, taken);
						taken.add(file.path);
						await this.repo.writeFiles({ [file.path]: file.content });
					}
				});
			case 'delete':
				return this.change(branch, async (files) => {
					if (files.length > 2) await this.repo.deleteFiles([this.random.pick(files)]);
				});
			case 'rename':
				return this.change(branch, async (files) => {
					const from = this.random.pick(files);
					const to = newFile(this.random, new Set(files)).path.replace(/\.[a-z]+$/, from.slice(from.lastIndexOf('.')));
					const edited = this.random.chance(0.3) ? editContent(this.random, from, await this.read(from)) : undefined;
					await this.repo.renameFile(from, to, edited);
				});
			case 'copy':
				return this.change(branch, async (files) => {
					const from = this.random.pick(files);
					const to = newFile(this.random, new Set(files)).path.replace(/\.[a-z]+$/, from.slice(from.lastIndexOf('.')));
					await this.repo.writeFiles({ [to]: await this.read(from) });
				});
			case 'poison':
				return this.change(branch, async (files) => {
					const path = this.random.pick(files);
					await this.repo.writeFiles({ [path]: togglePoison(await this.read(path)) });
				});
			case 'branchCreate':
				return this.createBranch(`feature-${++this.branchCount}`, branch);
			case 'branchDelete':
				return this.deleteBranch();
			case 'branchRecreate':
				if (this.gone.size === 0) return this.createBranch(`feature-${++this.branchCount}`, branch);
				return this.createBranch(this.random.pick([...this.gone]), branch);
			case 'forcePush':
				return this.forcePush(branch);
			case 'redeliver': {
				// Half the time an old "branch deleted": the case that must not delete a branch created again.
				const deletions = this.deliveries.filter((delivery) => delivery.deleted);
				return this.deliver(this.random.pick(deletions.length && this.random.chance(0.5) ? deletions : this.deliveries));
			}
			case 'chunkerBump':
			case 'filterBump':
				return this.versionBump(branch, operation === 'chunkerBump' ? 'chunker_version' : 'filter_version');
			case 'sigkill':
				return this.interrupted(branch, 'sigkill');
			case 'lockKill':
				return this.interrupted(branch, 'lockKill');
			case 'cancel':
				return this.interrupted(branch, 'cancel');
			case 'nodeWrite':
				return this.nodeWrite(branch);
		}
	}

	/** Compares the index of every branch with a fresh index of its commit, and checks deleted branches left nothing. */
	async check(): Promise<Divergence[]> {
		const divergences: Divergence[] = [];
		const model = this.sut.deps.embedder.modelId;
		const branches = [...this.branches].sort();
		const heads = await Promise.all(branches.map((branch) => this.repo.head(branch)));
		// The index's own snapshots are read while the fresh ones are built (one at a time, in the other environment).
		const mine = Promise.all(branches.map((branch) => snapshotIndex(this.sut, REPO_KEY, branch).catch((error: Error) => error)));
		const rows = Promise.all(branches.map((branch) => this.sut.deps.state.findRef(REPO_KEY, branch, model)));
		const expected: IndexSnapshot[] = [];
		for (const [i, branch] of branches.entries()) expected.push(await this.freshSnapshot(branch, heads[i]));
		const [snapshots, refRows] = await Promise.all([mine, rows]);
		for (const [i, branch] of branches.entries()) {
			const snapshot = snapshots[i];
			if (snapshot instanceof Error) {
				divergences.push({ ref: branch, what: snapshot.message });
				continue;
			}
			const row = refRows[i];
			if (row?.commitSha !== heads[i] || !row.indexedAt) divergences.push({ ref: branch, what: `index at ${row?.commitSha} (current: ${Boolean(row?.indexedAt)}), branch at ${heads[i]}` });
			for (const part of Object.keys(expected[i]) as Array<keyof IndexSnapshot>) {
				if (!isDeepStrictEqual(snapshot[part], expected[i][part])) divergences.push({ ref: branch, what: `${part} differ from a fresh index: ${firstDifference(snapshot[part], expected[i][part])}` });
			}
		}
		for (const name of this.gone) {
			if (await this.sut.deps.state.findRef(REPO_KEY, name, model)) divergences.push({ ref: name, what: 'a deleted branch still has its ref row' });
		}
		const held = (await this.sut.deps.vectors.listIds(ChromaVectorStore.collectionName(REPO_KEY, model))).sort();
		const expectedIds = expected.flatMap((snapshot) => snapshot.chromaIds).sort();
		if (!isDeepStrictEqual(held, expectedIds)) divergences.push({ ref: '*', what: `the collection holds ${held.length} records, the branches' fresh indexes ${expectedIds.length}: ${firstDifference(held, expectedIds)}` });
		return divergences;
	}

	/** Commits a change to the branch and delivers its push. */
	private async change(branch: string, edit: (files: string[]) => Promise<void>): Promise<void> {
		const before = await this.checkout(branch);
		await edit((await this.repo.git('ls-files')).split('\n').filter(Boolean));
		// Three refused files before any success read as a broken embedding service (lib/sync/write-batch.ts): keep two at most.
		const poisoned = (await this.repo.git('grep', '-l', '--cached', POISON).catch(() => '')).split('\n').filter(Boolean);
		for (const path of poisoned.slice(MAX_POISONED)) await this.repo.writeFiles({ [path]: togglePoison(await this.repo.git('show', `:${path}`)) });
		await this.push(branch, before, await this.repo.commit(`change on ${branch}`));
	}

	private async createBranch(name: string, from: string): Promise<void> {
		const at = await this.repo.head(this.random.chance(0.3) ? `${from}~${this.random.int(0, 1)}` : from).catch(() => this.repo.head(from));
		await this.repo.branch(name, { at });
		this.branches.add(name);
		this.gone.delete(name);
		await this.push(name, ZERO_SHA, at);
	}

	private async deleteBranch(): Promise<void> {
		const candidates = [...this.branches].filter((name) => name !== 'main');
		if (candidates.length === 0) return;
		const name = this.random.pick(candidates);
		const tip = await this.repo.head(name);
		await this.checkout('main');
		await this.repo.git('branch', '-D', name);
		this.branches.delete(name);
		this.gone.add(name);
		await this.push(name, tip, ZERO_SHA);
	}

	private async forcePush(branch: string): Promise<void> {
		const before = await this.checkout(branch);
		const back = await this.repo.head(`${branch}~${this.random.int(1, 3)}`).catch(() => null);
		if (!back) return;
		await this.repo.resetHard(back);
		let after = back;
		if (this.random.chance(0.5)) {
			const files = (await this.repo.git('ls-files')).split('\n').filter(Boolean);
			const path = this.random.pick(files);
			await this.repo.writeFiles({ [path]: editContent(this.random, path, await this.read(path)) });
			after = await this.repo.commit(`rewritten ${branch}`);
		}
		await this.push(branch, before, after, true);
	}

	/** An upgrade that changed the chunker or the filter: the ref's rows are of the older version. */
	private async versionBump(branch: string, column: 'chunker_version' | 'filter_version'): Promise<void> {
		const row = await this.sut.deps.state.findRef(REPO_KEY, branch, this.sut.deps.embedder.modelId);
		if (!row) return;
		await this.sut.pool.query(`UPDATE repomind_refs SET ${column} = ${column} - 1 WHERE id = ?`, [row.id]);
		if (column === 'chunker_version') await this.sut.pool.query("UPDATE repomind_chunks SET content = CONCAT('old chunker: ', content) WHERE ref_id = ?", [row.id]);
		await this.run(branch);
	}

	/** A run that dies (SIGKILL), loses its lock session (KILL) or is cancelled part-way; then the next push's run. */
	private async interrupted(branch: string, how: 'sigkill' | 'lockKill' | 'cancel'): Promise<void> {
		const before = await this.checkout(branch);
		const files = (await this.repo.git('ls-files')).split('\n').filter(Boolean);
		for (let i = 0; i < this.random.int(2, 5); i++) {
			const path = this.random.pick(files);
			await this.repo.writeFiles({ [path]: editContent(this.random, path, await this.read(path)) });
		}
		const after = await this.repo.commit(`change on ${branch}, interrupted`);
		const at = this.random.int(1, 3);
		if (how === 'sigkill') await this.syncAndKill(branch, at);
		else if (how === 'lockKill') await this.syncLosingLock(branch, at);
		else await this.syncCancelled(branch, at);
		await this.assertClaimsOnlyWhatChromaHas(branch);
		await this.push(branch, before, after);
	}

	private async syncAndKill(branch: string, killAtLine: number): Promise<void> {
		const config = { mysql: this.sut.database.config, chromaUrl: this.sut.chroma.url, repoPath: this.repo.path, repoKey: REPO_KEY, ref: branch, embedDelayMs: 20, refuseMarker: POISON };
		const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
		let stderr = '';
		child.stderr.on('data', (data: Buffer) => (stderr = (stderr + data.toString()).slice(-4000)));
		let lines = 0;
		child.stdout.on('data', (data: Buffer) => {
			lines += data.toString().split('\n').length - 1;
			if (lines >= killAtLine) child.kill('SIGKILL');
		});
		const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal])));
		if (signal !== 'SIGKILL' && code !== 0) throw new Error(`sync child failed (${code}): ${stderr}`);
	}

	private async syncLosingLock(branch: string, atUpsert: number): Promise<void> {
		let upserts = 0;
		const vectors = this.sut.deps.vectors;
		const key = { repoKey: REPO_KEY, ref: branch, embeddingModel: this.sut.deps.embedder.modelId };
		const killing = new Proxy(vectors, {
			get: (target, property, receiver) => {
				const value = Reflect.get(target, property, receiver);
				if (property !== 'upsert') return typeof value === 'function' ? value.bind(target) : value;
				return async (...args: Parameters<ChromaVectorStore['upsert']>) => {
					if (++upserts === atUpsert) {
						const [[row]] = await this.sut.pool.query<RowDataPacket[]>('SELECT IS_USED_LOCK(?) AS holder', [refLockName(key)]);
						if (row.holder) await this.sut.pool.query('KILL ?', [row.holder]);
					}
					return target.upsert(...args);
				};
			},
		});
		await syncRepository(this.source, { ...this.sut.deps, vectors: killing }, { ref: branch, batchFiles: 1 }).catch((error) => {
			if (!(error instanceof LockLostError)) throw error;
		});
	}

	private async syncCancelled(branch: string, atFiles: number): Promise<void> {
		const controller = new AbortController();
		const onProgress = ({ filesDone }: { filesDone: number }) => (filesDone >= atFiles ? controller.abort() : undefined);
		await syncRepository(this.source, this.sut.deps, { ref: branch, batchFiles: 1, signal: controller.signal, onProgress }).catch((error) => {
			if (!(error instanceof SyncCancelledError)) throw error;
		});
	}

	/** The Vector Store node's Create or Update / Delete into the collection the sync keeps: must be refused. */
	private async nodeWrite(branch: string): Promise<void> {
		const model = this.sut.deps.embedder.modelId;
		const item = { id: 'hand-made-0001', content: 'by hand', vector: Array.from({ length: 64 }, (_, i) => (i === 0 ? 1 : 0)), repo: REPO_KEY, ref: branch, path: 'src/by-hand.js', embeddingModel: model };
		const [id] = await this.sut.deps.vectors.listIds(ChromaVectorStore.collectionName(REPO_KEY, model), { ref: branch });
		const parameters = this.random.pick([{ operation: 'upsert' }, { operation: 'delete', deleteBy: 'ids', ids: id ?? 'none' }, { operation: 'delete', deleteBy: 'path', paths: 'src/by-hand.js' }]);
		const result = await runNode(new VectorStore(), { items: [item], parameters, credentials: { repoMindChromaApi: { url: this.sut.chroma.url, authType: 'none' } } });
		if (!result.error || !/kept in sync with the repository/.test(result.error.message)) throw new Error(`the node's ${parameters.operation} into a managed collection was not refused: ${result.error?.message ?? 'it succeeded'}`);
	}

	private async assertClaimsOnlyWhatChromaHas(branch: string): Promise<void> {
		const row = await this.sut.deps.state.findRef(REPO_KEY, branch, this.sut.deps.embedder.modelId);
		if (!row) return;
		const held = new Set(await this.sut.deps.vectors.listIds(row.collection, { ref: branch }));
		const missing = (await this.sut.deps.state.allChunkIds(row.id)).filter((id) => !held.has(id));
		if (missing.length) throw new Error(`after an interrupted run MySQL claims ${missing.length} chunks of ${branch} that Chroma lacks`);
	}

	private async checkout(branch: string): Promise<string> {
		if (this.checkedOut !== branch) await this.repo.checkout(branch);
		this.checkedOut = branch;
		return this.repo.head(branch);
	}

	private async read(path: string): Promise<string> {
		return this.repo.git('show', `HEAD:${path}`);
	}

	/** A signed push delivery for the change, handled as the push workflow handles it. */
	private async push(branch: string, before: string, after: string, forced = false): Promise<void> {
		const payload = {
			ref: `refs/heads/${branch}`,
			before,
			after,
			created: before === ZERO_SHA,
			deleted: after === ZERO_SHA,
			forced,
			commits: [],
			head_commit: null,
			repository: { full_name: 'fuzz/repo' },
			pusher: { name: 'fuzz' },
		};
		const delivery = { id: randomUUID(), body: JSON.stringify(payload), deleted: payload.deleted };
		this.deliveries.push(delivery);
		await this.deliver(delivery);
	}

	private async deliver(delivery: { id: string; body: string }): Promise<void> {
		const headers = { 'x-github-event': 'push', 'x-github-delivery': delivery.id, 'x-hub-signature-256': signPayload(delivery.body, SECRET) };
		const deliveries = new WebhookDeliveryStore(this.sut.pool);
		const ports = {
			rememberDelivery: (record: Parameters<WebhookDeliveryStore['remember']>[0]) => deliveries.remember(record),
			lastIndexedCommit: (repoKey: string, ref: string) => this.sut.deps.state.lastIndexedCommit(repoKey, ref),
		};
		const outcome = await handleDelivery({ headers, rawBody: Buffer.from(delivery.body), body: JSON.parse(delivery.body) }, DELIVERY, ports);
		if (outcome.status >= 300) throw new Error(`delivery answered ${outcome.status}: ${JSON.stringify(outcome.body)}`);
		if (outcome.push) await this.act(outcome.push as PushOutput);
	}

	/** What workflows/github-push-reindex.json does with an accepted push. */
	private async act(push: PushOutput): Promise<void> {
		if (push.deleted) {
			await deleteRefIndex(this.sut.deps.state, this.sut.deps.vectors, REPO_KEY, push.ref, { source: this.source });
			return;
		}
		await this.run(push.ref);
	}

	private async run(branch: string): Promise<void> {
		await syncRepository(this.source, this.sut.deps, { ref: branch, batchFiles: this.random.int(1, 8) }).catch((error) => {
			if (!(error instanceof RefNotFoundError)) throw error; // an old push of a branch deleted since
		});
	}

	/** A fresh index of the branch's commit in the comparison environment (cached per commit). */
	private async freshSnapshot(branch: string, head: string): Promise<IndexSnapshot> {
		const key = `${branch}@${head}`;
		const cached = this.freshCache.get(key);
		if (cached) return cached;
		await this.fresh.pool.query('DELETE FROM repomind_repos');
		await this.fresh.pool.query('DELETE FROM repomind_embedding_cache');
		await this.fresh.deps.vectors.dropCollection(ChromaVectorStore.collectionName(REPO_KEY, this.fresh.deps.embedder.modelId));
		await syncRepository(this.source, this.fresh.deps, { ref: branch });
		const snapshot = await snapshotIndex(this.fresh, REPO_KEY, branch);
		this.freshCache.set(key, snapshot);
		return snapshot;
	}
}

/** A short description of where two values first differ. */
function firstDifference(mine: unknown, expected: unknown): string {
	if (Array.isArray(mine) && Array.isArray(expected)) {
		const length = Math.max(mine.length, expected.length);
		for (let i = 0; i < length; i++) {
			if (!isDeepStrictEqual(mine[i], expected[i])) return `#${i} of ${mine.length} vs ${expected.length}: ${JSON.stringify(mine[i])?.slice(0, 200)} vs ${JSON.stringify(expected[i])?.slice(0, 200)}`;
		}
	}
	return `${JSON.stringify(mine)?.slice(0, 200)} vs ${JSON.stringify(expected)?.slice(0, 200)}`;
}
