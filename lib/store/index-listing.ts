import type { Pool, RowDataPacket } from 'mysql2/promise';
import type { GitSha, RepoKey } from '../types';

/** An indexed repository as a picker shows it: its key and what is indexed of it. */
export interface IndexedRepository {
	repoKey: RepoKey;
	refs: string[];
	embeddingModels: string[];
	chunkCount: number;
	lastIndexedAt: Date | null;
}

/** One indexed ref of a repository with every embedding model (space) it is indexed with. */
export interface IndexedRefSummary {
	ref: string;
	embeddingModels: string[];
	/** Commit of the newest finished index of the ref; null while no sync has finished. */
	commitSha: GitSha | null;
	chunkCount: number;
	lastIndexedAt: Date | null;
}

/** Options of a listing: a case-insensitive substring of the name, and the most rows returned. */
export interface ListingOptions {
	filter?: string;
	limit?: number;
}

const DEFAULT_LIMIT = 100;

/** `%text%` for LIKE, with LIKE's wildcards and escape character matched literally. */
function containing(text: string): string {
	return `%${text.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

function limitOf(options: ListingOptions): number {
	return Math.max(1, Math.min(Math.floor(options.limit ?? DEFAULT_LIMIT), 1000));
}

/** Read-only listings of the index state for pickers: which repositories, refs and embedding models are indexed. */
export class IndexListing {
	constructor(private readonly pool: Pool) {}

	/** Repositories with at least one indexed ref, by key, optionally those whose key contains `filter`. */
	async repositories(options: ListingOptions = {}): Promise<IndexedRepository[]> {
		const filter = options.filter?.trim() ?? '';
		const [rows] = await this.pool.query<RowDataPacket[]>(
			`SELECT r.repo_key, f.ref, f.embedding_model, f.chunk_count, f.indexed_at
			 FROM repomind_repos r JOIN repomind_refs f ON f.repo_id = r.id
			 WHERE r.id IN (SELECT id FROM (
				SELECT DISTINCT r2.id, r2.repo_key FROM repomind_repos r2 JOIN repomind_refs f2 ON f2.repo_id = r2.id
				${filter ? 'WHERE LOWER(r2.repo_key) LIKE ?' : ''} ORDER BY r2.repo_key LIMIT ?) picked)
			 ORDER BY r.repo_key, f.ref, f.embedding_model`,
			filter ? [containing(filter), limitOf(options)] : [limitOf(options)],
		);
		const byKey = new Map<RepoKey, IndexedRepository>();
		for (const row of rows) {
			let repository = byKey.get(row.repo_key);
			if (!repository) {
				repository = { repoKey: row.repo_key, refs: [], embeddingModels: [], chunkCount: 0, lastIndexedAt: null };
				byKey.set(row.repo_key, repository);
			}
			if (!repository.refs.includes(row.ref)) repository.refs.push(row.ref);
			if (!repository.embeddingModels.includes(row.embedding_model)) repository.embeddingModels.push(row.embedding_model);
			repository.chunkCount += Number(row.chunk_count);
			repository.lastIndexedAt = newest(repository.lastIndexedAt, row.indexed_at);
		}
		return [...byKey.values()];
	}

	/** The indexed refs of one repository, by name, optionally those containing `filter`; only those indexed with `embeddingModel` when given. */
	async refs(repoKey: RepoKey, options: ListingOptions & { embeddingModel?: string } = {}): Promise<IndexedRefSummary[]> {
		const filter = options.filter?.trim() ?? '';
		const params: unknown[] = [repoKey];
		if (filter) params.push(containing(filter));
		if (options.embeddingModel) params.push(options.embeddingModel);
		const [rows] = await this.pool.query<RowDataPacket[]>(
			`SELECT f.ref, f.embedding_model, f.commit_sha, f.chunk_count, f.indexed_at
			 FROM repomind_refs f JOIN repomind_repos r ON r.id = f.repo_id
			 WHERE r.repo_key = ? ${filter ? 'AND LOWER(f.ref) LIKE ?' : ''} ${options.embeddingModel ? 'AND f.embedding_model = ?' : ''}
			 ORDER BY f.ref, f.indexed_at DESC, f.embedding_model`,
			params,
		);
		const byRef = new Map<string, IndexedRefSummary>();
		for (const row of rows) {
			let summary = byRef.get(row.ref);
			if (!summary) {
				if (byRef.size >= limitOf(options)) break;
				summary = { ref: row.ref, embeddingModels: [], commitSha: null, chunkCount: 0, lastIndexedAt: null };
				byRef.set(row.ref, summary);
			}
			summary.embeddingModels.push(row.embedding_model);
			if (row.indexed_at && row.commit_sha && (!summary.lastIndexedAt || row.indexed_at > summary.lastIndexedAt)) {
				summary.commitSha = row.commit_sha;
				summary.chunkCount = Number(row.chunk_count);
			}
			summary.lastIndexedAt = newest(summary.lastIndexedAt, row.indexed_at);
		}
		return [...byRef.values()];
	}

	/** The embedding models (spaces) a repository is indexed with, optionally for one ref. */
	async embeddingModels(repoKey: RepoKey, ref?: string): Promise<string[]> {
		const [rows] = await this.pool.query<RowDataPacket[]>(
			`SELECT DISTINCT f.embedding_model FROM repomind_refs f JOIN repomind_repos r ON r.id = f.repo_id
			 WHERE r.repo_key = ? ${ref === undefined ? '' : 'AND f.ref = ?'} ORDER BY f.embedding_model`,
			ref === undefined ? [repoKey] : [repoKey, ref],
		);
		return rows.map((row) => row.embedding_model as string);
	}
}

function newest(a: Date | null, b: Date | null): Date | null {
	if (!a) return b;
	if (!b) return a;
	return b > a ? b : a;
}
