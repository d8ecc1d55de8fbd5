/**
 * Runs one sync in its own process so a test can kill it (SIGKILL) at a chosen point.
 * argv[2]: JSON { mysql, chromaUrl, repoPath, repoKey, ref, embedDelayMs, refuseMarker? }.
 * Prints one JSON progress line per batch on stdout.
 */
import { Chunker } from '../../lib/chunk';
import { HashEmbedder } from '../../lib/embed';
import { FileFilter } from '../../lib/filter';
import { LocalGitSource } from '../../lib/source';
import { EmbeddingCache } from '../../lib/store/embedding-cache';
import { IndexStateStore } from '../../lib/store/index-state';
import { openPool, type MySqlConfig } from '../../lib/store/mysql';
import { syncRepository } from '../../lib/sync';
import type { Embedder } from '../../lib/types';
import { ChromaVectorStore } from '../../lib/vector/chroma';

interface ChildConfig {
	mysql: MySqlConfig;
	chromaUrl: string;
	repoPath: string;
	repoKey: string;
	ref: string;
	embedDelayMs: number;
	/** Texts containing it are refused (HTTP 400), as by RefusingEmbedder in test/fuzz. */
	refuseMarker?: string;
}

class SlowEmbedder implements Embedder {
	constructor(private readonly inner: Embedder, private readonly delayMs: number, private readonly refuseMarker?: string) {}
	get modelId() {
		return this.inner.modelId;
	}
	async embed(texts: string[]) {
		await new Promise((resolve) => setTimeout(resolve, this.delayMs));
		if (this.refuseMarker && texts.some((text) => text.includes(this.refuseMarker!))) throw Object.assign(new Error('input rejected by the content policy'), { status: 400 });
		return this.inner.embed(texts);
	}
}

async function main() {
	const config = JSON.parse(process.argv[2]) as ChildConfig;
	const pool = openPool(config.mysql);
	const source = new LocalGitSource({ path: config.repoPath, repoKey: config.repoKey });
	await syncRepository(source, {
		state: new IndexStateStore(pool),
		cache: new EmbeddingCache(pool),
		vectors: new ChromaVectorStore({ url: config.chromaUrl }),
		embedder: new SlowEmbedder(new HashEmbedder({ dimensions: 64 }), config.embedDelayMs, config.refuseMarker),
		chunker: await Chunker.create({ maxTokens: 200 }),
		filter: new FileFilter(),
	}, { ref: config.ref, batchFiles: 2, onProgress: (progress) => process.stdout.write(`${JSON.stringify(progress)}\n`) });
	await source.close();
	await pool.end();
}

main().catch((error) => {
	process.stderr.write(String(error?.stack ?? error));
	process.exit(1);
});
