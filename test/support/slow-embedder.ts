import { HashEmbedder } from '../../lib/embed';
import type { Embedder } from '../../lib/types';

/** The hash embedder (64 dimensions), slowed down so a sync holds its ref's lock for a while. */
export class SlowEmbedder implements Embedder {
	readonly inner = new HashEmbedder({ dimensions: 64 });
	readonly modelId = this.inner.modelId;
	constructor(private readonly delayMs = 300) {}
	async embed(texts: string[]) {
		await new Promise((resolve) => setTimeout(resolve, this.delayMs));
		return this.inner.embed(texts);
	}
}
