#!/usr/bin/env node
import { parseArgs } from 'node:util';
import type { WorkerConfigInput } from './config';
import { EmbeddingsWorker } from './server';

/** Settings and their flags; each is also read from REPOMIND_WORKER_<NAME_IN_SNAKE_CASE>. */
const SETTINGS = [
	'host', 'port', 'api-key', 'allow-unauthenticated', 'backend', 'model', 'rerank-model', 'device', 'dtype', 'pooling', 'threads',
	'cache-dir', 'allow-download', 'hf-token', 'hf-endpoint-url', 'hf-provider', 'max-batch-size',
	'max-batch-tokens', 'max-wait-ms', 'max-queue', 'max-client-batch-size', 'max-body-bytes',
	'max-input-chars', 'max-input-tokens', 'auto-truncate', 'shutdown-timeout-ms', 'model-copies', 'matryoshka',
	'public-metrics', 'prometheus-port',
] as const;

const BOOLEAN_SETTINGS: ReadonlySet<string> = new Set(['allow-download', 'allow-unauthenticated']);

const USAGE = `Usage: repomind-embeddings-worker --model <folder or hub name> [--port 8080] [options]
Options (each also as an environment variable REPOMIND_WORKER_<NAME>, e.g. REPOMIND_WORKER_API_KEY):
  --host 127.0.0.1  --api-key <key>  --allow-unauthenticated (no key on a non-loopback host)
  --backend onnx|huggingface  --rerank-model <folder or name>
  --device cpu|cuda  --dtype fp32|fp16|q8  --pooling mean|cls  --threads <n>  --cache-dir <dir>
  --allow-download  --hf-token <token> (or HF_TOKEN)  --hf-endpoint-url <url>  --hf-provider <name>
  --model-copies <n>  --matryoshka true|false  --max-batch-size 32  --max-batch-tokens 16384
  --max-wait-ms 2  --max-queue 4096  --max-client-batch-size 2048  --max-body-bytes 2097152
  --max-input-chars 100000  --max-input-tokens <n>  --auto-truncate true|false
  --shutdown-timeout-ms 30000  --public-metrics true|false  --prometheus-port <port>
See docs/embeddings-worker.md.`;

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
const envName = (flag: string) => `REPOMIND_WORKER_${flag.replace(/-/g, '_').toUpperCase()}`;

/** Worker settings from command-line flags, then environment variables (flags win). */
export function configFromCommandLine(argv: string[], env: NodeJS.ProcessEnv): WorkerConfigInput {
	const options = Object.fromEntries(SETTINGS.map((name) => [name, { type: BOOLEAN_SETTINGS.has(name) ? 'boolean' : 'string' }] as const));
	const { values } = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true });
	if (values.help) {
		console.log(USAGE);
		process.exit(0);
	}
	const config: Record<string, unknown> = {};
	for (const name of SETTINGS) {
		const value = (values as Record<string, unknown>)[name] ?? env[envName(name)];
		if (value !== undefined && value !== '') config[camel(name)] = value;
	}
	config.hfToken ??= env.HF_TOKEN || undefined;
	return config as WorkerConfigInput;
}

async function main(): Promise<void> {
	const worker = await EmbeddingsWorker.start(configFromCommandLine(process.argv.slice(2), process.env));
	const { modelId, dimension, device, dtype, rerankModelId } = worker.info;
	const rerank = rerankModelId ? `, rerank ${rerankModelId}` : '';
	console.log(`repomind-embeddings-worker listening on ${worker.url}: ${modelId} (${dimension}-d, ${device}, ${dtype}${rerank})`);
	const stop = (signal: string) => {
		console.log(`${signal}: finishing in-flight requests`);
		worker.close().then(
			() => {
				console.log('stopped');
				process.exit(0);
			},
			(error: unknown) => {
				console.error(`shutdown failed: ${(error as Error).message}`);
				process.exit(1);
			},
		);
	};
	process.once('SIGTERM', () => stop('SIGTERM'));
	process.once('SIGINT', () => stop('SIGINT'));
}

if (require.main === module) {
	main().catch((error: unknown) => {
		console.error(`repomind-embeddings-worker: ${error instanceof Error ? error.message : String(error)}`);
		process.exit(1);
	});
}
