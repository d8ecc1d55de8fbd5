/** One ranking to fuse: ids best first, and how much it counts. */
export interface WeightedRanking {
	weight: number;
	ids: string[];
}

export interface FusedId {
	id: string;
	score: number;
}

/** Default k of reciprocal rank fusion (Cormack et al. 2009). */
export const RRF_K = 60;

/** How hybrid mode fuses the two rankings: min-max normalised scores (default) or reciprocal ranks. */
export type FusionMethod = 'convex' | 'rrf';
export const FUSION_METHODS: FusionMethod[] = ['convex', 'rrf'];

/**
 * Default weights per method. Convex 0.2 / 0.8 was chosen by measurement on the mysql2 and nodemailer
 * question sets with the hashing and the static embedder (docs/retrieval-quality.md): the full-text
 * ranking is the stronger half on code, and the vector ranking adds what it misses.
 */
export const DEFAULT_FUSION_WEIGHTS: Record<FusionMethod, { vector: number; lexical: number }> = {
	convex: { vector: 0.2, lexical: 0.8 },
	rrf: { vector: 1, lexical: 1 },
};

/**
 * Weighted reciprocal rank fusion: score(d) = sum of weight / (k + rank), ranks 1-based. Ties go to
 * the id with the better best rank, then to the smaller id, so the order is deterministic.
 */
export function fuseRankings(rankings: WeightedRanking[], k = RRF_K): FusedId[] {
	const scores = new Map<string, { score: number; bestRank: number }>();
	for (const ranking of rankings) {
		ranking.ids.forEach((id, index) => {
			const entry = scores.get(id) ?? { score: 0, bestRank: Number.POSITIVE_INFINITY };
			entry.score += ranking.weight / (k + index + 1);
			entry.bestRank = Math.min(entry.bestRank, index + 1);
			scores.set(id, entry);
		});
	}
	return sortFused(scores);
}

/** One scored ranking to fuse: best first, and how much it counts. */
export interface WeightedScores {
	weight: number;
	hits: Array<{ id: string; score: number }>;
}

/**
 * Convex combination of min-max normalised scores: each ranking's scores are mapped to [0, 1] (its best
 * hit 1, its last 0; one hit or equal scores all 1), and a hit's fused score is the sum of weight x
 * normalised score over the rankings it appears in (absent = 0). With weights that sum to 1 the fused
 * score is in [0, 1]. Unlike RRF it keeps how far apart the scores are, so a ranking's clear winner is
 * not dragged down by the other ranking's noise. Ties as in fuseRankings.
 */
export function fuseScores(rankings: WeightedScores[]): FusedId[] {
	const scores = new Map<string, { score: number; bestRank: number }>();
	for (const ranking of rankings) {
		if (ranking.hits.length === 0) continue;
		const best = ranking.hits[0].score;
		const last = ranking.hits[ranking.hits.length - 1].score;
		ranking.hits.forEach(({ id, score }, index) => {
			const normalised = best > last ? (score - last) / (best - last) : 1;
			const entry = scores.get(id) ?? { score: 0, bestRank: Number.POSITIVE_INFINITY };
			entry.score += ranking.weight * normalised;
			entry.bestRank = Math.min(entry.bestRank, index + 1);
			scores.set(id, entry);
		});
	}
	return sortFused(scores);
}

function sortFused(scores: Map<string, { score: number; bestRank: number }>): FusedId[] {
	return [...scores]
		.sort(([idA, a], [idB, b]) => b.score - a.score || a.bestRank - b.bestRank || (idA < idB ? -1 : idA > idB ? 1 : 0))
		.map(([id, { score }]) => ({ id, score }));
}
