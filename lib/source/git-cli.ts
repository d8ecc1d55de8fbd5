import { spawn } from 'node:child_process';
import { ServiceError } from '../errors';

/** Environment for git child processes: no prompts, no pager, stable messages. */
export const gitEnv: NodeJS.ProcessEnv = {
	...process.env,
	GIT_TERMINAL_PROMPT: '0',
	GIT_PAGER: 'cat',
	LC_ALL: 'C',
};

export interface GitResult {
	stdout: Buffer;
	stderr: string;
	exitCode: number;
}

/** Run `git -C repoPath ...args` without a shell; rejects only when git cannot be started. */
export function runGit(repoPath: string, args: string[]): Promise<GitResult> {
	return new Promise((resolve, reject) => {
		const child = spawn('git', ['-C', repoPath, ...args], {
			env: gitEnv,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const stdout: Buffer[] = [];
		const stderr: Buffer[] = [];
		child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
		child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
		child.on('error', (error) => reject(gitSpawnError(error)));
		child.on('close', (code) =>
			resolve({
				stdout: Buffer.concat(stdout),
				stderr: Buffer.concat(stderr).toString('utf8').trim(),
				exitCode: code ?? 1,
			}),
		);
	});
}

/** The error for a git executable that could not be started. */
export function gitSpawnError(error: Error): ServiceError {
	return new ServiceError(
		`Could not run git: ${error.message}`,
		'Install git and make sure it is on the PATH of the n8n process.',
		{ cause: error },
	);
}

/** Split NUL-terminated git output into fields (the trailing empty field is dropped). */
export function splitNul(output: Buffer): string[] {
	const fields = output.toString('utf8').split('\0');
	if (fields.at(-1) === '') fields.pop();
	return fields;
}

/** Whether a string is a full hex object id (SHA-1 or SHA-256). */
export function isObjectId(value: string): boolean {
	return /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(value);
}
