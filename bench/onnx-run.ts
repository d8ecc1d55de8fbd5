import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createEmbedder } from '../lib/embed';
import { FileFilter } from '../lib/filter';
import type { FileGate } from '../lib/sync';
import type { SkippedFile, TreeEntry } from '../lib/types';
import type { IndexEnv } from '../test/support/index-env';
import { writeTinyOnnxModel } from '../test/support/tiny-onnx-model';
import { timedSync, type TimedSync } from './timed-sync';

export const ONNX_MODEL_DESCRIPTION = 'tiny test model (random weights, bag-of-words)';
const ONNX_DIMENSIONS = 384;

/** The default filter restricted to a set of paths (the rest is reported as not included). */
export class SubsetGate implements FileGate {
	constructor(
		private readonly inner: FileFilter,
		private readonly paths: Set<string> | null,
	) {}

	/** The inner decision for paths of the subset, `not-included` for the others. */
	checkEntry(entry: TreeEntry): SkippedFile | null {
		if (this.paths && !this.paths.has(entry.path)) return { path: entry.path, reason: 'not-included', detail: 'outside the benchmark subset' };
		return this.inner.checkEntry(entry);
	}

	/** The inner content check. */
	checkContent(path: string, content: Buffer): { text: string } | SkippedFile {
		return this.inner.checkContent(path, content);
	}
}

export interface OnnxRunOptions {
	env: IndexEnv;
	repoPath: string;
	repoKey: string;
	/** Paths the default filter keeps, in tree order. */
	paths: string[];
	/** Sample texts to measure the model's speed on before choosing the subset. */
	sampleTexts: string[];
	/** Estimated time of the same index without embedding work. */
	nonEmbedMs: number;
	/** Distinct texts the full set needs embedded. */
	textsToEmbed: number;
	budgetMs: number;
	log: (line: string) => void;
}

export interface OnnxRunResult {
	sync: TimedSync;
	subsetFiles: number;
	msPerText: number;
	estimatedFullMs: number;
}

/** Full index with the local ONNX embedder (tiny test model), on an evenly spread subset if the full set would exceed the budget. */
export async function onnxFullIndex(options: OnnxRunOptions): Promise<OnnxRunResult> {
	const root = mkdtempSync(join(tmpdir(), 'repomind-bench-onnx-'));
	try {
		const model = writeTinyOnnxModel(join(root, 'tiny-bow-384'), { dimensions: ONNX_DIMENSIONS });
		const embedder = createEmbedder({ provider: 'onnx', model: model.folder });
		await embedder.embed(options.sampleTexts.slice(0, 8));
		const started = performance.now();
		await embedder.embed(options.sampleTexts);
		const msPerText = (performance.now() - started) / options.sampleTexts.length;
		const estimatedFullMs = options.nonEmbedMs + msPerText * options.textsToEmbed;
		const fraction = Math.min(1, options.budgetMs / estimatedFullMs);
		const subset = fraction < 1 ? new Set(options.paths.filter((_, i) => Math.floor(i * fraction) !== Math.floor((i + 1) * fraction) )) : null;
		const subsetFiles = subset?.size ?? options.paths.length;
		options.log(`onnx: ${msPerText.toFixed(2)} ms per text, full set estimated ${Math.round(estimatedFullMs / 1000)} s; indexing ${subsetFiles} files`);
		const sync = await timedSync(options.env, {
			repoPath: options.repoPath,
			repoKey: options.repoKey,
			ref: 'main',
			overrides: { embedder, filter: new SubsetGate(new FileFilter(), subset) },
			log: options.log,
		});
		return { sync, subsetFiles, msPerText, estimatedFullMs };
	} finally {
		rmSync(root, { recursive: true, force: true });
	}
}
