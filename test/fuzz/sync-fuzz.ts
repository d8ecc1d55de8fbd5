import { ChromaVectorStore } from '../../lib/vector/chroma';
import { startChroma } from '../support/chroma-server';
import { attachIndexEnv } from '../support/index-env';
import { createTestDatabase } from '../support/mysql-db';
import { Random } from './random';
import { OPERATION_WEIGHTS, REPO_KEY, RefusingEmbedder, World, type Divergence, type Operation } from './world';

export interface FuzzOptions {
	/** Sequence i runs with seed + i; replay one with `--seed <its seed> --sequences 1`. */
	seed: number;
	sequences: number;
	steps: number;
	/** One line per step (and per divergence). */
	log?: (line: string) => void;
}

export interface FuzzSummary {
	seed: number;
	sequences: number;
	steps: number;
	divergences: number;
	operations: Record<string, number>;
	/** Seeds of the sequences that diverged or failed, to replay. */
	failingSeeds: number[];
	firstFailure: { seed: number; step: number; operation: Operation; divergences?: Divergence[]; error?: string } | null;
	durationMs: number;
}

/**
 * Seeded random sequences of pushes, branch changes, crashes and hand-made writes against a real
 * MariaDB and Chroma; after every step each branch's index is compared with a fresh index of its
 * commit (ids, MySQL rows, Chroma records with vectors). A sequence stops at its first divergence.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzSummary> {
	const started = Date.now();
	const summary: FuzzSummary = { seed: options.seed, sequences: options.sequences, steps: 0, divergences: 0, operations: {}, failingSeeds: [], firstFailure: null, durationMs: 0 };
	const [chroma, freshChroma, freshDatabase] = await Promise.all([startChroma(), startChroma(), createTestDatabase('repomind_fuzz_fresh')]);
	const fresh = await attachIndexEnv(freshDatabase, freshChroma, { embedder: new RefusingEmbedder() });
	try {
		for (let sequence = 0; sequence < options.sequences; sequence++) {
			const seed = (options.seed + sequence) >>> 0;
			const random = new Random(seed);
			const database = await createTestDatabase('repomind_fuzz');
			const sut = await attachIndexEnv(database, chroma, { embedder: new RefusingEmbedder() });
			const world = await World.create(random, sut, fresh);
			try {
				for (let step = 1; step <= options.steps; step++) {
					const operation = random.weighted(OPERATION_WEIGHTS);
					summary.operations[operation] = (summary.operations[operation] ?? 0) + 1;
					summary.steps += 1;
					let divergences: Divergence[];
					const timing = { stepMs: 0, checkMs: 0 };
					try {
						let at = Date.now();
						await world.step(operation);
						timing.stepMs = Date.now() - at;
						at = Date.now();
						divergences = await world.check();
						timing.checkMs = Date.now() - at;
					} catch (error) {
						const message = (error as Error).stack ?? String(error);
						options.log?.(JSON.stringify({ seed, step, operation, error: message }));
						summary.failingSeeds.push(seed);
						summary.divergences += 1;
						summary.firstFailure ??= { seed, step, operation, error: message };
						break;
					}
					options.log?.(JSON.stringify({ seed, step, operation, branches: [...world.branches].length, divergences: divergences.length, ...timing }));
					if (divergences.length > 0) {
						options.log?.(JSON.stringify({ seed, step, operation, divergences }));
						summary.failingSeeds.push(seed);
						summary.divergences += divergences.length;
						summary.firstFailure ??= { seed, step, operation, divergences };
						break;
					}
				}
			} finally {
				await world.dispose();
				await sut.pool.end();
				await database.drop();
				await sut.deps.vectors.dropCollection(ChromaVectorStore.collectionName(REPO_KEY, sut.deps.embedder.modelId));
			}
		}
	} finally {
		await fresh.close();
		await chroma.stop();
	}
	summary.durationMs = Date.now() - started;
	return summary;
}
