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
	return [...scores]
		.sort(([idA, a], [idB, b]) => b.score - a.score || a.bestRank - b.bestRank || (idA < idB ? -1 : idA > idB ? 1 : 0))
		.map(([id, { score }]) => ({ id, score }));
}
