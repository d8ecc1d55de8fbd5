import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/** Install the n8n harness if needed (about 3 min the first time) and return its folder. */
export function ensureHarness(): string {
	const script = resolve(__dirname, 'harness/install.sh');
	const output = execFileSync('bash', [script], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	return output.trim().split('\n').pop() ?? '';
}
