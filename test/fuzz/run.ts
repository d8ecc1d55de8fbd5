/**
 * `npm run fuzz:sync [-- --seed N --sequences N --steps N --quiet]`: the randomized model-based test
 * of sync exactness (test/fuzz/world.ts). Prints a line per step on stderr and one JSON summary line
 * last on stdout; exits 1 when any sequence diverged (its seed is in failingSeeds, to replay).
 */
import { parseArgs } from 'node:util';
import { runFuzz } from './sync-fuzz';

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			seed: { type: 'string', default: String(Number(process.env.REPOMIND_FUZZ_SEED ?? Date.now() % 1_000_000)) },
			sequences: { type: 'string', default: '10' },
			steps: { type: 'string', default: '50' },
			quiet: { type: 'boolean', default: false },
		},
	});
	const summary = await runFuzz({
		seed: Number(values.seed),
		sequences: Number(values.sequences),
		steps: Number(values.steps),
		log: values.quiet ? undefined : (line) => process.stderr.write(`${line}\n`),
	});
	const { seed, sequences, steps, divergences, operations, failingSeeds, firstFailure, durationMs } = summary;
	process.stdout.write(`${JSON.stringify({ seed, sequences, steps, divergences, operations, failingSeeds, firstFailure, durationMs })}\n`);
	process.exitCode = divergences > 0 ? 1 : 0;
}

main().catch((error) => {
	process.stderr.write(`${(error as Error).stack ?? error}\n`);
	process.exit(2);
});
