import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { configFromCommandLine } from '../../embeddings-worker/src/cli';
import { parseWorkerConfig, type WorkerConfigInput } from '../../embeddings-worker/src/config';

describe('worker settings', () => {
	test('flags win over REPOMIND_WORKER_* variables; HF_TOKEN is read; defaults fill the rest', () => {
		const env = { REPOMIND_WORKER_PORT: '9000', REPOMIND_WORKER_API_KEY: 'env-key-123456', REPOMIND_WORKER_MAX_WAIT_MS: '7', HF_TOKEN: 'hf_token_abc' };
		const input = configFromCommandLine(['--model', './models/minilm', '--port', '8081', '--allow-download', '--max-batch-size', '16'], env);
		assert.deepEqual(input, { port: '8081', apiKey: 'env-key-123456', model: './models/minilm', allowDownload: true, maxBatchSize: '16', maxWaitMs: '7', hfToken: 'hf_token_abc' });
		const config = parseWorkerConfig(input);
		assert.deepEqual(
			{ ...config },
			{
				host: '127.0.0.1', port: 8081, apiKey: 'env-key-123456', allowUnauthenticated: false, backend: 'onnx', model: './models/minilm', device: 'cpu', dtype: 'fp32', pooling: 'mean', matryoshka: false,
				allowDownload: true, hfToken: 'hf_token_abc', maxBatchSize: 16, maxBatchTokens: 16384, maxWaitMs: 7, maxQueue: 4096, maxClientBatchSize: 2048,
				maxBodyBytes: 2097152, maxInputChars: 100000, autoTruncate: true, shutdownTimeoutMs: 30000, publicMetrics: false,
			},
		);
	});

	test('every problem is named', () => {
		assert.throws(
			() => parseWorkerConfig({ port: 'eighty', apiKey: 'short', maxQueue: 8, maxClientBatchSize: 16 } as unknown as WorkerConfigInput),
			{ message: 'Invalid worker settings: port: Expected number, received nan; apiKey: the API key needs at least 8 characters' },
		);
		assert.throws(() => parseWorkerConfig({ maxQueue: 8, maxClientBatchSize: 16 }), {
			message: 'Invalid worker settings: model: give a model (--model or REPOMIND_WORKER_MODEL); maxClientBatchSize: maxClientBatchSize must not exceed maxQueue',
		});
		assert.throws(() => parseWorkerConfig({ model: 'm', backend: 'huggingface', rerankModel: 'r' }), {
			message: 'Invalid worker settings: rerankModel: a rerank model needs the onnx backend',
		});
	});

	test('a non-loopback bind needs an API key unless explicitly allowed', () => {
		const refused = /apiKey: listening on a non-loopback address without an API key/;
		for (const host of ['0.0.0.0', '::', '192.168.1.5', 'worker.example.com']) {
			assert.throws(() => parseWorkerConfig(configFromCommandLine(['--model', 'm', '--host', host], {})), { message: refused });
			assert.equal(parseWorkerConfig(configFromCommandLine(['--model', 'm', '--host', host, '--api-key', 'key-12345678'], {})).host, host);
			assert.equal(parseWorkerConfig(configFromCommandLine(['--model', 'm', '--host', host, '--allow-unauthenticated'], {})).allowUnauthenticated, true);
			const fromEnv = { REPOMIND_WORKER_HOST: host, REPOMIND_WORKER_ALLOW_UNAUTHENTICATED: 'true' };
			assert.equal(parseWorkerConfig(configFromCommandLine(['--model', 'm'], fromEnv)).allowUnauthenticated, true);
		}
		for (const host of ['127.0.0.1', '127.0.0.2', 'localhost', '::1', '[::1]']) {
			assert.equal(parseWorkerConfig(configFromCommandLine(['--model', 'm', '--host', host], {})).host, host);
		}
	});

	test('an unknown flag is refused', () => {
		assert.throws(() => configFromCommandLine(['--modle', 'x'], {}), { code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' });
	});
});
