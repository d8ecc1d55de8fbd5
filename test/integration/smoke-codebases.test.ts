import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = join(__dirname, '..', '..', 'bench', 'smoke-codebases.ts');

describe('smoke:codebases (slice: highlight.js from the npm registry)', () => {
	it('indexes the package end to end with no failed run, and the no-op after it agrees', { timeout: 240_000 }, async () => {
		const { stdout } = await run(process.execPath, ['--import', 'tsx', SCRIPT, '--slice'], { maxBuffer: 64 * 1024 * 1024 });
		const summary = JSON.parse(stdout.trim().split('\n').pop()!);
		assert.equal(summary.runsFailed, 0, stdout);
		assert.equal(summary.noopInconsistent, 0, stdout);
		assert.ok(summary.files > 1000 && summary.indexed > 1000, stdout);
		for (const entry of summary.results.flatMap((result: { failed: Array<{ path: string; step: string; error: string }> }) => result.failed)) {
			assert.ok(entry.path && entry.step && entry.error, 'every ledger entry has its reason');
		}
	});
});
