import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { freePort } from '../support/ports';
import { expectedTinyVector } from '../support/tiny-onnx-model';
import { WORKER_KEY, callWorker, closeTo, writeTinyModels, type TinyModels } from '../support/worker-server';

const CLI = join(__dirname, '..', '..', 'embeddings-worker', 'src', 'cli.ts');

/** Starts the CLI as a child process; resolves with its output so far once it listens. */
function startCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; output: () => string; exited: Promise<number | null> }> {
	const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`the worker did not start: ${output}`)), 30_000);
		child.stdout?.on('data', () => {
			if (!output.includes('listening on')) return;
			clearTimeout(timer);
			resolve({ child, output: () => output, exited });
		});
		void exited.then((code) => reject(new Error(`the worker exited with ${code}: ${output}`)));
	});
}

describe('repomind-embeddings-worker CLI', () => {
	let models: TinyModels;
	before(() => {
		models = writeTinyModels();
	});
	after(() => models.remove());

	test('--model and --port with the key from the environment; SIGTERM finishes the queued request, then exits 0', async () => {
		const port = await freePort();
		const { child, output, exited } = await startCli(['--model', models.embed.folder, '--port', String(port), '--max-wait-ms', '1500'], { REPOMIND_WORKER_API_KEY: WORKER_KEY });
		const url = `http://127.0.0.1:${port}`;
		assert.match(output(), new RegExp(`listening on ${url}: tiny-embed \\(64-d, cpu, fp32\\)`));
		assert.equal((await callWorker(url, '/info', { key: null })).status, 401);

		const started = Date.now();
		const inFlight = callWorker(url, '/embed', { body: { inputs: ['parse file', 'commit tree'] } });
		await new Promise((resolve) => setTimeout(resolve, 300));
		child.kill('SIGTERM');
		const answer = await inFlight;
		assert.equal(answer.status, 200);
		const [first, second] = answer.body as number[][];
		assert.ok(closeTo(first, expectedTinyVector(models.embed, ['parse', 'file'])));
		assert.ok(closeTo(second, expectedTinyVector(models.embed, ['commit', 'tree'])));
		assert.ok(Date.now() - started < 1400, 'draining runs the queue without waiting out max-wait-ms');
		assert.equal(await exited, 0);
		assert.match(output(), /SIGTERM: finishing in-flight requests\nstopped\n$/);
		await assert.rejects(fetch(`${url}/health`), { message: 'fetch failed' });
	});

	test('without a model it exits 1 and says what is missing', async () => {
		const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, REPOMIND_WORKER_MODEL: '' } });
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		const code = await new Promise((resolve) => child.once('exit', resolve));
		assert.equal(code, 1);
		assert.equal(stderr, 'repomind-embeddings-worker: Invalid worker settings: model: give a model (--model or REPOMIND_WORKER_MODEL)\n');
	});
});
