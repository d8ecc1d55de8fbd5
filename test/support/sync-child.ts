/**
 * Runs one sync in its own process so a test can kill it (SIGKILL) at a chosen point.
 * argv[2]: JSON { mysql, chromaUrl, repoPath, repoKey, ref, embedDelayMs }.
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
}

class SlowEmbedder implements Embedder {
	constructor(private readonly inner: Embedder, private readonly delayMs: number) {}
	get modelId() {
		return this.inner.modelId;
	}
	async embed(texts: string[]) {
		await new Promise((resolve) => setTimeout(resolve, this.delayMs));
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
		embedder: new SlowEmbedder(new HashEmbedder({ dimensions: 64 }), config.embedDelayMs),
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
