import { ChromaClient, ChromaNotFoundError, type Collection, type Metadata, type Where } from 'chromadb';
import { ServiceError } from '../errors';
import { sha256Hex } from '../util/hash';

/** Where the Chroma server is and how to authenticate. */
export interface ChromaConfig {
	/** e.g. http://127.0.0.1:8000 */
	url: string;
	/** Extra headers, e.g. `{ Authorization: 'Bearer …' }` or `{ 'X-Chroma-Token': '…' }`. */
	headers?: Record<string, string>;
	tenant?: string;
	database?: string;
}

/**
 * One vector with its id, text and metadata. The text is stored as the metadata field `content`, not
 * as the Chroma document: Chroma builds a full-text index over documents, which took half to two
 * thirds of upsert time (bench:sync), and RepoMind's lexical search runs in MySQL. Documents written
 * by earlier versions are still read as the content.
 */
export interface VectorRecord {
	id: string;
	vector: number[];
	content: string;
	metadata: Record<string, string | number | boolean>;
}

export interface VectorHit {
	id: string;
	distance: number;
	content: string | null;
	metadata: Record<string, string | number | boolean | null>;
}

type StoredMetadata = Record<string, string | number | boolean | null>;

/** The content (metadata `content`, or an earlier version's document) and the rest of the metadata. */
function splitContent(stored: StoredMetadata | null | undefined, document: string | null | undefined): { content: string | null; metadata: StoredMetadata } {
	const { content, ...metadata } = stored ?? {};
	return { content: typeof content === 'string' ? content : (document ?? null), metadata };
}

const PAGE = 1000;

/** Collection metadata that marks a collection whose records a sync keeps equal to MySQL. */
const MANAGED_KEY = 'managedBy';
const MANAGED_VALUE = 'repomind-sync';

/** Chroma through the official client: collections created with no embedding function, vectors passed in. */
export class ChromaVectorStore {
	private readonly client: ChromaClient;
	private readonly collections = new Map<string, Collection>();
	private maxBatch: number | undefined;

	constructor(readonly config: ChromaConfig) {
		const url = new URL(config.url);
		this.client = new ChromaClient({
			host: url.hostname,
			port: url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 8000,
			ssl: url.protocol === 'https:',
			headers: config.headers,
			tenant: config.tenant,
			database: config.database,
		});
	}

	/** Collection name for a (repository, embedding model): readable prefix, hash for uniqueness. */
	static collectionName(repoKey: string, modelId: string): string {
		const slug = repoKey.replace(/^[a-z]+:/, '').replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(-40);
		return `repomind-${slug || 'repo'}-${sha256Hex(repoKey, modelId).slice(0, 12)}`;
	}

	/** Checks the server answers its heartbeat. */
	async heartbeat(): Promise<void> {
		await this.call('heartbeat', () => this.client.heartbeat());
	}

	/** The collection, created (cosine space, no embedding function) when missing. */
	async collection(name: string, metadata?: Record<string, string>): Promise<Collection> {
		const known = this.collections.get(name);
		if (known) return known;
		const collection = await this.call('open collection', () =>
			this.client.getOrCreateCollection({
				name,
				metadata,
				embeddingFunction: null,
				configuration: { hnsw: { space: 'cosine' } },
			}),
		);
		this.collections.set(name, collection);
		return collection;
	}

	/** The collection if it exists, without creating it (asked by name: listing pages at 100). */
	async findCollection(name: string): Promise<Collection | null> {
		const found = await this.call('get collection', () =>
			this.client.getCollection({ name }).catch((error: unknown) => {
				if (error instanceof ChromaNotFoundError) return null;
				throw error;
			}),
		);
		if (found) this.collections.set(name, found);
		else this.collections.delete(name);
		return found;
	}

	/**
	 * Marks the collection (created when missing) as kept by a sync, so hand-made upserts and deletes
	 * are refused. True when it was not marked before: records it holds may not be the sync's.
	 */
	async markManaged(name: string, metadata: Record<string, string>): Promise<boolean> {
		const collection = await this.collection(name, { ...metadata, [MANAGED_KEY]: MANAGED_VALUE });
		if (collection.metadata?.[MANAGED_KEY] === MANAGED_VALUE) return false;
		const marked = { ...(collection.metadata ?? {}), ...metadata, [MANAGED_KEY]: MANAGED_VALUE };
		await this.call('modify collection', () => collection.modify({ metadata: marked }));
		return true;
	}

	/** True when a sync keeps the collection (it exists and is marked). */
	async isManaged(name: string): Promise<boolean> {
		const collection = await this.findCollection(name);
		return collection?.metadata?.[MANAGED_KEY] === MANAGED_VALUE;
	}

	/** Upserts records in batches within the server's maximum. */
	async upsert(name: string, records: VectorRecord[]): Promise<void> {
		if (records.length === 0) return;
		const collection = await this.collection(name);
		const batch = await this.batchSize();
		for (let i = 0; i < records.length; i += batch) {
			const slice = records.slice(i, i + batch);
			await this.call('upsert', () =>
				collection.upsert({
					ids: slice.map((record) => record.id),
					embeddings: slice.map((record) => record.vector),
					metadatas: slice.map((record) => ({ ...record.metadata, content: record.content }) as Metadata),
				}),
			);
		}
	}

	/** Deletes records by id. */
	async deleteIds(name: string, ids: string[]): Promise<void> {
		if (ids.length === 0) return;
		const collection = await this.collection(name);
		const batch = await this.batchSize();
		for (let i = 0; i < ids.length; i += batch) {
			await this.call('delete', () => collection.delete({ ids: ids.slice(i, i + batch) }));
		}
	}

	/** Deletes every record whose metadata matches. */
	async deleteWhere(name: string, where: Where): Promise<void> {
		const collection = await this.collection(name);
		await this.call('delete', () => collection.delete({ where }));
	}

	/** Every id whose metadata matches (paged). */
	async listIds(name: string, where?: Where): Promise<string[]> {
		const collection = await this.collection(name);
		const ids: string[] = [];
		for (let offset = 0; ; offset += PAGE) {
			const page = await this.call('get', () => collection.get({ where, include: [], limit: PAGE, offset }));
			ids.push(...page.ids);
			if (page.ids.length < PAGE) return ids;
		}
	}

	/** Records by id, with vectors, content and metadata. */
	async getRecords(name: string, ids: string[]): Promise<VectorRecord[]> {
		const collection = await this.collection(name);
		const page = await this.call('get', () =>
			collection.get({ ids, include: ['embeddings', 'documents', 'metadatas'] as never }),
		);
		return page.ids.map((id, i) => {
			const { content, metadata } = splitContent(page.metadatas?.[i] as StoredMetadata, page.documents?.[i]);
			return { id, vector: Array.from(page.embeddings?.[i] ?? []), content: content ?? '', metadata: metadata as VectorRecord['metadata'] };
		});
	}

	/** Nearest neighbours of one vector. */
	async query(name: string, vector: number[], nResults: number, where?: Where): Promise<VectorHit[]> {
		const collection = await this.collection(name);
		const result = await this.call('query', () =>
			collection.query({
				queryEmbeddings: [vector],
				nResults,
				where,
				include: ['documents', 'metadatas', 'distances'] as never,
			}),
		);
		return (result.ids[0] ?? []).map((id, i) => ({
			id,
			distance: result.distances?.[0]?.[i] ?? Number.NaN,
			...splitContent(result.metadatas?.[0]?.[i] as StoredMetadata, result.documents?.[0]?.[i]),
		}));
	}

	/** Number of records in the collection. */
	async count(name: string): Promise<number> {
		const collection = await this.collection(name);
		return this.call('count', () => collection.count());
	}

	/** Deletes a whole collection (no error when it does not exist). */
	async dropCollection(name: string): Promise<void> {
		this.collections.delete(name);
		await this.client.deleteCollection({ name }).catch(() => undefined);
	}

	private async batchSize(): Promise<number> {
		if (this.maxBatch === undefined) {
			const serverMax = await this.call('max batch size', () => this.client.getMaxBatchSize());
			this.maxBatch = Math.max(1, Math.min(serverMax, 1000));
		}
		return this.maxBatch;
	}

	private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
		try {
			return await fn();
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			const hint = 'Check the Chroma URL, authentication, tenant and database in the Chroma credential and that the server is running';
			if (isConnectionFailure(error)) {
				throw new ServiceError(`Chroma at ${new URL(this.config.url).host} is unreachable (${what} failed: ${firstLine(message)})`, hint, { cause: error });
			}
			throw new ServiceError(`Chroma ${what} failed at ${this.config.url}: ${message}`, hint, { cause: error });
		}
	}
}

function isConnectionFailure(error: unknown): boolean {
	for (let current = error as { message?: string; code?: string; cause?: unknown } | undefined, depth = 0; current && depth < 5; current = current.cause as typeof current, depth++) {
		if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|ECONNRESET/.test(String(current.code ?? ''))) return true;
		if (/Failed to connect to chromadb|fetch failed|ECONNREFUSED/.test(String(current.message ?? ''))) return true;
	}
	return false;
}

function firstLine(text: string): string {
	return text.split(/[.\n]/)[0];
}
