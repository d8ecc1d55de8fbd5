import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runFuzz } from '../fuzz/sync-fuzz';

// The short, seeded CI run of `npm run fuzz:sync` (test/fuzz): every step compared with a fresh index.
const SEED = 20261201;
const STEPS = 30;

describe('sync exactness under random operations (seeded fuzz)', () => {
	it(`${STEPS} steps from seed ${SEED}: the index equals a fresh index after every step`, async () => {
		const summary = await runFuzz({ seed: SEED, sequences: 1, steps: STEPS });
		assert.equal(summary.steps, STEPS, JSON.stringify(summary.firstFailure));
		assert.equal(summary.divergences, 0, `replay with: npm run fuzz:sync -- --seed ${SEED} --sequences 1 --steps ${STEPS}\n${JSON.stringify(summary.firstFailure, null, 2)}`);
	});
});
