import { AuthError, ServiceError } from '../errors';
import type { RerankOptions } from './types';

/** The endpoint a rerank URL means: the given URL when it already ends in /rerank, else `<url>/rerank`. */
export function rerankEndpoint(url: string): string {
	const trimmed = url.trim().replace(/\/+$/, '');
	return trimmed.endsWith('/rerank') ? trimmed : `${trimmed}/rerank`;
}

/**
 * Scores texts against the query with a text-embeddings-inference compatible reranker
 * (`POST /rerank {query, texts}` answering `[{index, score}]`); returns one score per text, in order.
 */
export async function rerankTexts(options: RerankOptions, query: string, texts: string[]): Promise<number[]> {
	if (texts.length === 0) return [];
	const endpoint = rerankEndpoint(options.url);
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
	let response: Response;
	try {
		response = await fetch(endpoint, {
			method: 'POST',
			headers,
			body: JSON.stringify({ query, texts, truncate: true }),
			signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
		});
	} catch (error) {
		const reason = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
		throw new ServiceError(`Reranker at ${endpoint} is unreachable (${reason})`, 'Check the rerank URL and that the server is running', { cause: error });
	}
	const body = await response.text();
	if (response.status === 401 || response.status === 403) {
		throw new AuthError(`Reranker at ${endpoint} rejected the API key (HTTP ${response.status})`, 'Check the rerank API key');
	}
	if (!response.ok) {
		throw new ServiceError(`Reranker at ${endpoint} failed (HTTP ${response.status}): ${body.slice(0, 200)}`, 'Check the rerank server and its logs');
	}
	return scoresFrom(body, texts.length, endpoint);
}

function scoresFrom(body: string, count: number, endpoint: string): number[] {
	let parsed: unknown;
	try {
		parsed = JSON.parse(body);
	} catch {
		parsed = undefined;
	}
	const scores = new Array<number>(count).fill(Number.NEGATIVE_INFINITY);
	const entries = Array.isArray(parsed) ? parsed : [];
	for (const entry of entries as Array<{ index?: unknown; score?: unknown }>) {
		if (Number.isInteger(entry?.index) && typeof entry.score === 'number' && (entry.index as number) < count) {
			scores[entry.index as number] = entry.score;
		}
	}
	if (entries.length === 0 || scores.some((score) => score === Number.NEGATIVE_INFINITY)) {
		throw new ServiceError(`Reranker at ${endpoint} answered without a score for every text: ${body.slice(0, 200)}`, 'The server must implement text-embeddings-inference POST /rerank ({query, texts} -> [{index, score}])');
	}
	return scores;
}
