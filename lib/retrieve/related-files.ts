import { InvalidInputError } from '../errors';
import { mapFiles, type ImportEdge } from '../repomap';
import type { IndexStateStore } from '../store/index-state';
import type { GitSha, RepoKey } from '../types';
import { fileTexts, isMappedFile } from './code-graph';
import { findIndex } from './index-lookup';

/** The files one commit touched. */
export interface CommitFiles {
	sha: GitSha;
	paths: string[];
}

/** A repository's history: the files of the latest commits reachable from a commit. */
export interface ChangeHistory {
	/** Up to `limit` commits reachable from `commit`, newest first, merges left out. */
	recentChanges(commit: GitSha, limit: number): Promise<CommitFiles[]>;
}

export type RelatedReason = 'imports-it' | 'imported-by-it' | 'changed-together';

/** A file related to the target, and why. */
export interface RelatedFile {
	path: string;
	/** `imports-it`: this file imports the target; `imported-by-it`: the target imports this file. */
	reasons: RelatedReason[];
	/** Commits (of those scanned) that changed this file together with the target. */
	coChanges: number;
	/** 1 per import link, plus the share of the target's commits that also changed this file. */
	score: number;
}

export interface RelatedFilesRequest {
	repoKey: RepoKey;
	ref: string;
	/** The index is per embedding model: the model the ref was synced with. */
	embeddingModel: string;
	path: string;
	/** Where co-changes come from; without it only import links are reported. */
	history?: ChangeHistory;
	/** Commits scanned for co-changes (default 50). */
	commits?: number;
	/** Files returned (default 20). */
	limit?: number;
}

export interface RelatedFilesResult {
	repo: RepoKey;
	ref: string;
	commit: GitSha | null;
	path: string;
	/** Commits scanned, and how many of them changed the target. */
	commitsScanned: number;
	commitsWithFile: number;
	files: RelatedFile[];
}

/** Files that import the target or that it imports (the repository map of the indexed commit), plus files changed together with it. */
export async function relatedFiles(state: IndexStateStore, request: RelatedFilesRequest): Promise<RelatedFilesResult> {
	const path = request.path?.trim();
	if (!path) throw new InvalidInputError('No file path given', 'Pass the path of an indexed file, e.g. src/app.ts');
	const { index } = await findIndex(state, request.repoKey, request.ref, request.embeddingModel);
	const files = await state.loadFiles(index.id);
	if (!files.has(path)) throw new InvalidInputError(`"${path}" is not a file of ${request.repoKey}@${request.ref}`, 'Check the path (relative to the repository root, case-sensitive)');
	const mapped = [...files.values()].filter((file) => file.chunkCount > 0 && isMappedFile(file.path));
	const texts = fileTexts(await state.chunksOfPaths(index.id, mapped.map((file) => file.path)));
	const commit = index.commitSha ?? '';
	const map = await mapFiles(texts, { repo: request.repoKey, ref: request.ref, commit });
	const history = request.history && commit ? await request.history.recentChanges(commit, request.commits ?? 50) : [];
	const ranked = rankRelatedFiles(path, map.edges, history, request.limit ?? 20);
	return { repo: request.repoKey, ref: request.ref, commit: index.commitSha, path, commitsScanned: history.length, ...ranked };
}

/** Import neighbours and co-changed files of `path`, best first. */
export function rankRelatedFiles(path: string, edges: ImportEdge[], history: CommitFiles[], limit: number): { commitsWithFile: number; files: RelatedFile[] } {
	const related = new Map<string, RelatedFile>();
	const entry = (other: string) => related.get(other) ?? related.set(other, { path: other, reasons: [], coChanges: 0, score: 0 }).get(other)!;
	for (const edge of edges) {
		if (edge.to === path && edge.from !== path) entry(edge.from).reasons.push('imports-it');
		if (edge.from === path && edge.to !== path) entry(edge.to).reasons.push('imported-by-it');
	}
	const withFile = history.filter((commit) => commit.paths.includes(path));
	for (const commit of withFile) {
		for (const other of new Set(commit.paths)) if (other !== path) entry(other).coChanges += 1;
	}
	for (const file of related.values()) {
		if (file.coChanges > 0) file.reasons.push('changed-together');
		file.score = file.reasons.filter((reason) => reason !== 'changed-together').length + file.coChanges / Math.max(1, withFile.length);
	}
	const files = [...related.values()].sort((a, b) => b.score - a.score || (a.path < b.path ? -1 : 1)).slice(0, limit);
	return { commitsWithFile: withFile.length, files };
}
