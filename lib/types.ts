/** Shared domain types of the RepoMind core library. Nothing here depends on n8n. */

/** A stable key for a repository, e.g. `github:octocat/hello-world` or `local:/srv/repos/app`. */
export type RepoKey = string;
/** A 40-hex git object id (commit, tree or blob). */
export type GitSha = string;
/** Deterministic chunk id: hex digest of (repo, ref, path, blob SHA, line span, chunker version). */
export type ChunkId = string;

/** One file of a tree at a commit, as git knows it. */
export interface TreeEntry {
	path: string;
	blobSha: GitSha;
	/** Size in bytes. */
	size: number;
	/** Git file mode, e.g. `100644`, `100755`, `120000` (symlink). */
	mode: string;
}

export type ChangeStatus = 'added' | 'modified' | 'removed' | 'renamed' | 'unchanged';

/** One file changed between two commits. */
export interface FileChange {
	status: Exclude<ChangeStatus, 'unchanged'>;
	path: string;
	/** The old path of a renamed file. */
	previousPath?: string;
	/** The blob at the head commit; absent for removed files. */
	blobSha?: GitSha;
	/** The blob at the base commit; absent for added files. */
	previousBlobSha?: GitSha;
}

/** A repository that can be read at any commit: GitHub through Octokit, or a local git clone. */
export interface RepoSource {
	/** Stable key of the repository, used in chunk ids and in MySQL. */
	readonly repoKey: RepoKey;
	/** Resolve a branch, tag or commit SHA to a commit SHA. Throws `RepoNotFoundError` / `RefNotFoundError`. */
	resolveRef(ref: string): Promise<GitSha>;
	/** Every blob (regular file or symlink) reachable from the commit's tree, with its blob SHA and size. */
	listTree(commit: GitSha): Promise<TreeEntry[]>;
	/** The raw bytes of a blob. `path` is informational (error messages, some transports). */
	readBlob(blobSha: GitSha, path: string): Promise<Buffer>;
	/** Files changed between two commits (renames detected). */
	compare(base: GitSha, head: GitSha): Promise<FileChange[]>;
}

/** A file that was not indexed, and why. */
export interface SkippedFile {
	path: string;
	reason: SkipReason;
	detail?: string;
}

export type SkipReason =
	| 'excluded-by-glob'
	| 'not-included'
	| 'default-excluded'
	| 'too-large'
	| 'binary'
	| 'secret-file'
	| 'secret-content'
	| 'symlink'
	| 'empty'
	| 'path-too-long';

/** A piece of a file that is embedded and indexed on its own. */
export interface Chunk {
	id: ChunkId;
	repoKey: RepoKey;
	ref: string;
	path: string;
	blobSha: GitSha;
	language: string;
	/** 1-based, inclusive. */
	startLine: number;
	/** 1-based, inclusive. */
	endLine: number;
	/** The enclosing declaration (e.g. `Parser.parse`, `## Install`), or null. */
	symbol: string | null;
	/** The exact source lines startLine..endLine joined with `\n`. */
	content: string;
	/** What is sent to the embedder: a short header (path, symbol) and the content. */
	embeddingText: string;
	/**
	 * Key of the embedding cache: `textHash(embeddingText)`, the exact text embedded. The header names
	 * the path, so a renamed or copied file gets its own vectors, as a fresh index would.
	 */
	contentHash: string;
	/** Token estimate of embeddingText. */
	tokens: number;
}

/** Input of the chunker: one file's text and identity. */
export interface SourceFile {
	repoKey: RepoKey;
	ref: string;
	path: string;
	blobSha: GitSha;
	content: string;
	/** Overrides detection from the path. */
	language?: string;
}

export interface ChunkerOptions {
	/** Upper bound of tokens per chunk (of embeddingText). Default 400. */
	maxTokens?: number;
	/** Lines repeated between consecutive windows when a block has to be split. Default 3. */
	overlapLines?: number;
}

/** Anything that turns texts into vectors. */
export interface Embedder {
	/** Identifies model and provider in the cache and in collection names, e.g. `openai:text-embedding-3-small`. */
	readonly modelId: string;
	/** Ids this embedder had in older releases: indexes made under them are adopted (see IndexStateStore.adoptLegacyModel). */
	readonly legacyModelIds?: string[];
	/** Embed texts; returns one vector per text, in order. */
	embed(texts: string[]): Promise<number[][]>;
}
