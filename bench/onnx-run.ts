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
/** Measured on this machine: a full index takes 1.4 to 1.7 times the naive estimate (Chroma competes). */
const ESTIMATE_MARGIN = 1.6;

/** The default filter restricted to a set of paths (the others are reported as not included). */
export class SubsetGate implements FileGate {
	constructor(
		private readonly inner: FileFilter,
		private readonly paths: Set<string> | null,
	) {}

	/** The inner decision for paths of the subset, `not-included` for the others. */
	checkEntry(entry: TreeEntry): SkippedFile | null {
		if (!this.paths || this.paths.has(entry.path)) return this.inner.checkEntry(entry);
		return { path: entry.path, reason: 'not-included', detail: 'outside the benchmark subset' };
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
	/** Embedding texts to time the model on before choosing the subset. */
	sampleTexts: string[];
	/** Time of the same index without its embedding work. */
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

/** Every `fraction` of the paths, spread evenly (all of them for 1). */
function evenSubset(paths: string[], fraction: number): Set<string> | null {
	if (fraction >= 1) return null;
	const step = (i: number) => Math.floor(i * fraction);
	return new Set(paths.filter((_, i) => step(i) !== step(i + 1)));
}

/**
 * Full index with the local ONNX embedder on the tiny test model (384 dimensions), on an evenly
 * spread subset of the files when the full set is estimated to exceed the budget.
 */
export async function onnxFullIndex(options: OnnxRunOptions): Promise<OnnxRunResult> {
	const root = mkdtempSync(join(tmpdir(), 'repomind-bench-onnx-'));
	try {
		const model = writeTinyOnnxModel(join(root, 'tiny-bow-384'), { dimensions: ONNX_DIMENSIONS });
		const embedder = createEmbedder({ provider: 'onnx', model: model.folder });
		await embedder.embed(options.sampleTexts.slice(0, 8));
		const started = performance.now();
		await embedder.embed(options.sampleTexts);
		const msPerText = (performance.now() - started) / options.sampleTexts.length;
		const naiveMs = options.nonEmbedMs + msPerText * options.textsToEmbed;
		const estimatedFullMs = Math.round(naiveMs * ESTIMATE_MARGIN);
		const subset = evenSubset(options.paths, options.budgetMs / estimatedFullMs);
		const subsetFiles = subset?.size ?? options.paths.length;
		const estimate = `${msPerText.toFixed(2)} ms per text, full set estimated ${estimatedFullMs} ms`;
		options.log(`onnx: ${estimate}; indexing ${subsetFiles} files`);
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
