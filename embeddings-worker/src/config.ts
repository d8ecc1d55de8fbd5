import { z } from 'zod';

const count = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const flag = (fallback: boolean) =>
	z
		.union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
		.transform((value) => value === true || value === 'true' || value === '1')
		.default(fallback);

/** Every setting of the worker, with its default. */
export const workerConfigSchema = z
	.object({
		host: z.string().default('127.0.0.1'),
		port: z.coerce.number().int().min(0).max(65535).default(8080),
		apiKey: z.string().min(8, 'the API key needs at least 8 characters').optional(),
		allowUnauthenticated: flag(false),
		backend: z.enum(['onnx', 'huggingface']).default('onnx'),
		model: z.string().min(1).optional(),
		rerankModel: z.string().min(1).optional(),
		device: z.string().default('cpu'),
		dtype: z.string().default('fp32'),
		pooling: z.enum(['mean', 'cls']).default('mean'),
		threads: z.coerce.number().int().positive().optional(),
		modelCopies: z.coerce.number().int().positive().optional(),
		matryoshka: flag(false),
		cacheDir: z.string().optional(),
		allowDownload: flag(false),
		hfToken: z.string().optional(),
		hfEndpointUrl: z.string().url().optional(),
		hfProvider: z.string().optional(),
		maxBatchSize: count(32),
		maxBatchTokens: count(16_384),
		maxWaitMs: z.coerce.number().min(0).default(2),
		maxQueue: count(4096),
		maxClientBatchSize: count(2048),
		maxBodyBytes: count(2 * 1024 * 1024),
		maxInputChars: count(100_000),
		maxInputTokens: z.coerce.number().int().positive().optional(),
		autoTruncate: flag(true),
		shutdownTimeoutMs: count(30_000),
		publicMetrics: flag(false),
		prometheusPort: z.coerce.number().int().min(0).max(65535).optional(),
	})
	.refine((config) => config.model || config.hfEndpointUrl, {
		message: 'give a model (--model or REPOMIND_WORKER_MODEL)',
		path: ['model'],
	})
	.refine((config) => config.apiKey || config.allowUnauthenticated || isLoopback(config.host), {
		message:
			'listening on a non-loopback address without an API key lets anyone on the network use the worker: set --api-key (REPOMIND_WORKER_API_KEY), bind 127.0.0.1, or pass --allow-unauthenticated on a network you trust',
		path: ['apiKey'],
	})
	.refine((config) => config.maxClientBatchSize <= config.maxQueue, {
		message: 'maxClientBatchSize must not exceed maxQueue',
		path: ['maxClientBatchSize'],
	})
	.refine((config) => !config.rerankModel || config.backend === 'onnx', {
		message: 'a rerank model needs the onnx backend',
		path: ['rerankModel'],
	});

/** Whether a listen address accepts connections from this machine only. */
export function isLoopback(host: string): boolean {
	const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
	return bare === 'localhost' || bare === '::1' || /^127(?:\.\d{1,3}){3}$/.test(bare) || bare === '::ffff:127.0.0.1';
}

export type WorkerConfig = z.output<typeof workerConfigSchema>;
export type WorkerConfigInput = z.input<typeof workerConfigSchema>;

/** Validated settings with defaults; throws with every problem named. */
export function parseWorkerConfig(input: WorkerConfigInput): WorkerConfig {
	const result = workerConfigSchema.safeParse(input);
	if (result.success) return result.data;
	const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'config'}: ${issue.message}`);
	throw new Error(`Invalid worker settings: ${problems.join('; ')}`);
}
