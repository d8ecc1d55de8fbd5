/** A candidate for maximal marginal relevance: its relevance and its embedding. */
export interface MmrCandidate {
	id: string;
	relevance: number;
	vector: number[];
}

/** Cosine similarity (0 when either vector is all zeros). */
export function cosine(a: number[], b: number[]): number {
	let dot = 0;
	let normA = 0;
	let normB = 0;
	for (let i = 0; i < a.length; i++) {
		dot += a[i] * b[i];
		normA += a[i] * a[i];
		normB += b[i] * b[i];
	}
	return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

/**
 * Orders up to `limit` candidates by maximal marginal relevance (Carbonell & Goldstein 1998):
 * each step takes argmax of lambda * rel(d) - (1 - lambda) * max cosine(d, chosen). Relevance is
 * min-max normalised to [0, 1] first; ties go to the earlier candidate.
 */
export function mmrOrder(candidates: MmrCandidate[], lambda: number, limit: number): string[] {
	const relevances = candidates.map((candidate) => candidate.relevance);
	const min = Math.min(...relevances);
	const span = Math.max(...relevances) - min;
	const relevance = relevances.map((value) => (span === 0 ? 1 : (value - min) / span));
	const remaining = candidates.map((_, index) => index);
	const maxSimilarity = candidates.map(() => Number.NEGATIVE_INFINITY);
	const chosen: string[] = [];
	while (chosen.length < limit && remaining.length > 0) {
		let best = 0;
		let bestValue = Number.NEGATIVE_INFINITY;
		remaining.forEach((index, position) => {
			const redundancy = chosen.length === 0 ? 0 : maxSimilarity[index];
			const value = lambda * relevance[index] - (1 - lambda) * redundancy;
			if (value > bestValue) {
				bestValue = value;
				best = position;
			}
		});
		const [picked] = remaining.splice(best, 1);
		chosen.push(candidates[picked].id);
		for (const index of remaining) {
			maxSimilarity[index] = Math.max(maxSimilarity[index], cosine(candidates[index].vector, candidates[picked].vector));
		}
	}
	return chosen;
}
