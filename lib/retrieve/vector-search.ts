import type { Where } from 'chromadb';
import type { ChromaVectorStore, VectorHit } from '../vector/chroma';
import type { ScoredId } from './lexical-search';
import type { RetrieveScope } from './scope';

/** Above this many allowed paths the path filter runs after the query instead of in Chroma's `where`. */
export const MAX_PATHS_IN_WHERE = 1000;
const OVERFETCH = 10;
const MAX_FETCH = 2000;

/** Where to search: the collection, the ref, and how many refs share the collection. */
export interface VectorTarget {
	collection: string;
	ref: string;
	refsInCollection: number;
}

/**
 * Nearest chunks of the ref to the vector, best first, score = 1 - cosine distance. Without other
 * filters the ref is checked on the results instead of in `where` (a Chroma `where` matching most of a
 * collection makes the query several times slower); a short answer falls back to the filtered query.
 */
export async function searchVectors(vectors: ChromaVectorStore, target: VectorTarget, vector: number[], limit: number, scope: RetrieveScope): Promise<ScoredId[]> {
	const paths = scope.paths;
	const pathsInWhere = paths !== null && paths.length <= MAX_PATHS_IN_WHERE;
	const allowed = paths === null || pathsInWhere ? null : new Set(paths);
	const keep = (hits: VectorHit[]) =>
		hits
			.filter((hit) => hit.metadata.ref === target.ref && (allowed === null || allowed.has(String(hit.metadata.path))))
			.slice(0, limit)
			.map((hit) => ({ id: hit.id, score: 1 - hit.distance }));
	if (!scope.language && paths === null) {
		const fetch = Math.min(limit * target.refsInCollection, MAX_FETCH);
		const hits = await vectors.query(target.collection, vector, fetch);
		const kept = keep(hits);
		if (kept.length >= limit || hits.length < fetch) return kept;
	}
	const conditions: Where[] = [{ ref: target.ref }];
	if (scope.language) conditions.push({ language: scope.language });
	if (pathsInWhere) conditions.push({ path: { $in: paths } });
	const fetch = allowed === null ? limit : Math.min(limit * OVERFETCH, MAX_FETCH);
	const where = conditions.length === 1 ? conditions[0] : { $and: conditions };
	return keep(await vectors.query(target.collection, vector, fetch, where));
}
