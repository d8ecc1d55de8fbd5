import { createEmbedder, type BatchingEmbedder } from '../../lib/embed';
import { GitHubSource } from '../../lib/source';
import { syncRepository } from '../../lib/sync';
import { startChatServer, type ChatServer } from './chat-server';
import { startChroma, type ChromaServer } from './chroma-server';
import { startEmbeddingServer, type EmbeddingServer } from './embedding-server';
import { makeRepository, SAMPLE_REPO } from './fixture-repo';
import type { GitRepo } from './git-repo';
import { startGitHubServer, type GitHubServer } from './github-server';
import { attachIndexEnv, createIndexEnv, snapshotIndex, type IndexEnv, type IndexSnapshot } from './index-env';
import { createTestDatabase, type TestDatabase } from './mysql-db';

export interface StandInOptions {
	/** The key the embeddings stand-in asks for. */
	embedKey: string;
	/** The key the chat stand-in asks for (default `sk-chat-test`). */
	chatKey?: string;
}

/**
 * What a RepoMind workflow talks to in an end-to-end test: the fixture repository behind a GitHub
 * stand-in, embedding and chat stand-ins (OpenAI- and Ollama-shaped), a real Chroma server and a
 * MySQL database of its own.
 */
export interface StandIns {
	embedKey: string;
	chatKey: string;
	repo: GitRepo;
	github: GitHubServer;
	embeddings: EmbeddingServer;
	chat: ChatServer;
	chroma: ChromaServer;
	database: TestDatabase;
	/** The OpenAI-compatible base URL of the embeddings stand-in. */
	embeddingsBaseUrl: string;
	/** The embedder the nodes build for text-embedding-3-small on the embeddings stand-in. */
	embedder(): BatchingEmbedder;
	/** The fixture repository read through the GitHub stand-in. */
	githubSource(): GitHubSource;
	/** The index in this Chroma and database, read and written in-process; close() ends its pool. */
	attachIndex(): Promise<IndexEnv>;
	/** attachIndex() with `main` of the fixture repository indexed in-process. */
	indexRepository(): Promise<IndexEnv>;
	/** A fresh in-process index of `ref`, in a database and Chroma of its own (dropped again): its snapshot. */
	freshSnapshot(ref: string): Promise<IndexSnapshot>;
	/** End the pools of indexRepository(), stop the servers, drop the database, delete the repository. */
	close(): Promise<void>;
}

/** Start every stand-in; if one fails to start, the others are stopped again. */
export async function startStandIns(options: StandInOptions): Promise<StandIns> {
	const { embedKey, chatKey = 'sk-chat-test' } = options;
	const repo = await makeRepository();
	const started = await Promise.allSettled([
		startGitHubServer({ repoPath: repo.path, owner: SAMPLE_REPO.owner, repo: SAMPLE_REPO.repo, token: SAMPLE_REPO.token }),
		startEmbeddingServer({ dimensions: 32, apiKey: embedKey }),
		startChatServer({ apiKey: chatKey }),
		startChroma(),
		createTestDatabase(),
	] as const);
	const [github, embeddings, chat, chroma, database] = started.map((result) => (result.status === 'fulfilled' ? result.value : undefined)) as [GitHubServer?, EmbeddingServer?, ChatServer?, ChromaServer?, TestDatabase?];
	const indexes: IndexEnv[] = [];
	const close = async () => {
		await Promise.all(indexes.map((index) => index.pool.end()));
		await Promise.all([github?.close(), embeddings?.close(), chat?.close(), chroma?.stop(), database?.drop()]);
		await repo.dispose();
	};
	const failed = started.find((result) => result.status === 'rejected');
	if (failed) {
		await close();
		throw failed.reason;
	}
	const embeddingsBaseUrl = `${embeddings!.url}/v1`;
	const standIns: StandIns = {
		embedKey,
		chatKey,
		repo,
		github: github!,
		embeddings: embeddings!,
		chat: chat!,
		chroma: chroma!,
		database: database!,
		embeddingsBaseUrl,
		embedder: () => createEmbedder({ provider: 'openai', model: 'text-embedding-3-small', apiKey: embedKey, baseURL: embeddingsBaseUrl }),
		githubSource: () => new GitHubSource({ owner: SAMPLE_REPO.owner, repo: SAMPLE_REPO.repo, token: SAMPLE_REPO.token, baseUrl: github!.baseUrl }),
		attachIndex: async () => {
			const index = await attachIndexEnv(database!, chroma!, { embedder: standIns.embedder(), chunker: {} });
			indexes.push(index);
			return index;
		},
		indexRepository: async () => {
			const index = await standIns.attachIndex();
			await syncRepository(standIns.githubSource(), index.deps, { ref: 'main' });
			return index;
		},
		freshSnapshot: async (ref) => {
			const fresh = await createIndexEnv({ embedder: standIns.embedder(), chunker: {} });
			try {
				await syncRepository(standIns.githubSource(), fresh.deps, { ref });
				return await snapshotIndex(fresh, SAMPLE_REPO.key, ref);
			} finally {
				await fresh.close();
			}
		},
		close,
	};
	return standIns;
}
