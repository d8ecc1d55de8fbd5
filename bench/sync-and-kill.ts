import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { IndexEnv } from '../test/support/index-env';

const ROOT = join(__dirname, '..');
const CHILD = join(ROOT, 'test', 'support', 'sync-child.ts');

export interface KilledSync {
	/** The child died by SIGKILL (false when it finished first). */
	killed: boolean;
	filesDone: number;
	filesTotal: number;
}

interface ChildProgress {
	phase: string;
	filesDone: number;
	filesTotal: number;
}

/** Runs test/support/sync-child.ts on the environment; SIGKILLs it when half its files are done. */
export function syncAndKillHalfway(
	env: IndexEnv,
	repoPath: string,
	repoKey: string,
): Promise<KilledSync> {
	const config = {
		mysql: env.database.config,
		chromaUrl: env.chroma.url,
		repoPath,
		repoKey,
		ref: 'main',
		embedDelayMs: 100,
	};
	const args = ['--import', 'tsx', CHILD, JSON.stringify(config)];
	const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
	let stderr = '';
	child.stderr.on('data', (data: Buffer) => (stderr = (stderr + data.toString()).slice(-4000)));
	return new Promise((resolve, reject) => {
		let buffered = '';
		let at = { filesDone: 0, filesTotal: 0 };
		child.stdout.on('data', (data: Buffer) => {
			buffered += data.toString();
			const lines = buffered.split('\n');
			buffered = lines.pop()!;
			for (const line of lines) {
				const progress = JSON.parse(line) as ChildProgress;
				if (at.filesDone > 0 || progress.phase !== 'indexing' || progress.filesDone === 0) continue;
				if (progress.filesDone * 2 >= progress.filesTotal) {
					at = { filesDone: progress.filesDone, filesTotal: progress.filesTotal };
					child.kill('SIGKILL');
				}
			}
		});
		child.on('exit', (code, signal) => {
			if (signal === 'SIGKILL' || code === 0) resolve({ killed: signal === 'SIGKILL', ...at });
			else reject(new Error(`sync child failed (${code}): ${stderr}`));
		});
	});
}
