import type { Where } from 'chromadb';
import type { ChromaVectorStore } from '../vector/chroma';
import type { ScoredId } from './lexical-search';
import type { RetrieveScope } from './scope';

/** Above this many allowed paths the path filter runs after the query instead of in Chroma's `where`. */
export const MAX_PATHS_IN_WHERE = 1000;
const OVERFETCH = 10;
const MAX_FETCH = 2000;

/** Nearest chunks of the ref to the vector, best first, with score = 1 - cosine distance. */
export async function searchVectors(vectors: ChromaVectorStore, collection: string, ref: string, vector: number[], limit: number, scope: RetrieveScope): Promise<ScoredId[]> {
	const conditions: Where[] = [{ ref }];
	if (scope.language) conditions.push({ language: scope.language });
	const paths = scope.paths;
	const inWhere = paths !== null && paths.length <= MAX_PATHS_IN_WHERE;
	if (inWhere) conditions.push({ path: { $in: paths } });
	const where = conditions.length === 1 ? conditions[0] : { $and: conditions };
	const fetch = paths === null || inWhere ? limit : Math.min(limit * OVERFETCH, MAX_FETCH);
	const hits = await vectors.query(collection, vector, fetch, where);
	const allowed = paths === null || inWhere ? null : new Set(paths);
	return hits
		.filter((hit) => allowed === null || allowed.has(String(hit.metadata.path)))
		.slice(0, limit)
		.map((hit) => ({ id: hit.id, score: 1 - hit.distance }));
}
