import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddingsWorker, type WorkerConfigInput } from '../../embeddings-worker/src';
import type { TinyOnnxModel } from './tiny-onnx-model';
import { writeTinyOnnxModel } from './tiny-onnx-model';
import { writeTinyCrossEncoder } from './worker-models';

export const WORKER_KEY = 'worker-test-KEY-7f3a9c1e5b';

/** The tiny embedding model and tiny cross-encoder, written once into a temporary folder. */
export interface TinyModels {
	embed: TinyOnnxModel;
	rerank: ReturnType<typeof writeTinyCrossEncoder>;
	remove(): void;
}

/** Writes both tiny models (offline, deterministic). */
export function writeTinyModels(): TinyModels {
	const root = mkdtempSync(join(tmpdir(), 'repomind-worker-models-'));
	return {
		embed: writeTinyOnnxModel(join(root, 'tiny-embed')),
		rerank: writeTinyCrossEncoder(join(root, 'tiny-rerank')),
		remove: () => rmSync(root, { recursive: true, force: true }),
	};
}

/** A worker on a free port serving the tiny models with the test key; settings can be overridden. */
export function startTinyWorker(models: TinyModels, overrides: WorkerConfigInput = {}): Promise<EmbeddingsWorker> {
	const config: WorkerConfigInput = { model: models.embed.folder, rerankModel: models.rerank.folder, port: 0, apiKey: WORKER_KEY, ...overrides };
	return EmbeddingsWorker.start(config, { processMetrics: false });
}

export interface WorkerAnswer {
	status: number;
	headers: Headers;
	body: unknown;
}

/** One HTTP request to the worker: JSON body (or raw text), bearer key unless `key` is null. */
export async function callWorker(url: string, path: string, options: { body?: unknown; raw?: string; key?: string | null; method?: string } = {}): Promise<WorkerAnswer> {
	const headers: Record<string, string> = { 'Content-Type': 'application/json' };
	const key = options.key === undefined ? WORKER_KEY : options.key;
	if (key !== null) headers.Authorization = `Bearer ${key}`;
	const hasBody = options.body !== undefined || options.raw !== undefined;
	const response = await fetch(`${url}${path}`, {
		method: options.method ?? (hasBody ? 'POST' : 'GET'),
		headers,
		body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
	});
	const text = await response.text();
	const isJson = response.headers.get('content-type')?.startsWith('application/json');
	return { status: response.status, headers: response.headers, body: isJson ? JSON.parse(text) : text };
}

/** The value of one sample in Prometheus text, e.g. `repomind_worker_texts_total{kind="embed"}`; 0 when absent. */
export function metricValue(metrics: string, sample: string): number {
	const line = metrics.split('\n').find((candidate) => candidate.startsWith(`${sample} `));
	return line ? Number(line.slice(sample.length + 1)) : 0;
}

/** Asserts two vectors agree to `tolerance` in every component. */
export function closeTo(actual: number[], expected: number[], tolerance = 1e-6): boolean {
	return actual.length === expected.length && actual.every((value, i) => Math.abs(value - expected[i]) <= tolerance);
}
