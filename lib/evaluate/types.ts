/** Types of RAG evaluation: what an item expects, what it got, and what was measured. */

/** A gold region of a file; 1-based, inclusive lines. */
export interface GoldSpan {
	path: string;
	startLine: number;
	endLine: number;
}

/** What a correct retrieval and answer look like; every field is optional. */
export interface EvalExpected {
	/** Files that hold the answer. */
	paths?: string[];
	/** Line spans that hold the answer (their files count as gold files too). */
	spans?: GoldSpan[];
	/** Chunks that hold the answer (line-level gold, matched by id). */
	chunkIds?: string[];
	/** A reference answer for exact and fuzzy match. */
	answer?: string;
}

/** One retrieved chunk, in rank order. */
export interface EvalHit {
	chunkId?: string;
	path: string;
	startLine: number;
	endLine: number;
	score?: number;
	/** The chunk text; faithfulness needs it. */
	text?: string;
}

/** A citation of the answer (RepoMind Generate's `{ n, chunkId, path, startLine, endLine }`). */
export interface EvalCitation {
	chunkId?: string | null;
	path: string;
	startLine: number | null;
	endLine: number | null;
}

/** Everything known about one question of a dataset after retrieval and generation. */
export interface EvalItemInput {
	/** Stable key of the question in its dataset (used to compare runs); default: the question. */
	id?: string;
	question: string;
	expected: EvalExpected;
	hits: EvalHit[];
	answer?: string;
	citations?: EvalCitation[];
	/** End-to-end latency of retrieval and generation for this item. */
	latencyMs?: number;
}

/** The names of every metric an item can have. */
export const METRIC_NAMES = [
	'fileHitRate',
	'fileRecall',
	'filePrecision',
	'fileMrr',
	'fileNdcg',
	'lineHitRate',
	'lineRecall',
	'linePrecision',
	'lineMrr',
	'lineNdcg',
	'citationPrecision',
	'citationRecall',
	'exactMatch',
	'tokenF1',
	'editSimilarity',
	'faithfulness',
	'answerRelevance',
] as const;

export type MetricName = (typeof METRIC_NAMES)[number];

/** Metric values of one item, each from 0 to 1. */
export type MetricValues = Partial<Record<MetricName, number>>;

/** A metric an item did not get, and why. */
export interface SkippedMetric {
	metric: MetricName;
	reason: string;
}

/** One claim of the answer, as the judge saw it. */
export interface JudgedClaim {
	claim: string;
	supported: boolean;
}

/** The judge's structured verdict. */
export interface JudgeVerdict {
	score: number;
	reason: string;
	claims?: JudgedClaim[];
}

/** A judge call that gave no valid verdict after its retries. */
export interface JudgeFailure {
	metric: 'faithfulness' | 'answerRelevance';
	error: string;
	attempts: number;
}

/** What was measured for one item. */
export interface EvalItemResult {
	id: string;
	question: string;
	k: number;
	metrics: MetricValues;
	skipped: SkippedMetric[];
	verdicts: { faithfulness?: JudgeVerdict; answerRelevance?: JudgeVerdict };
	judgeFailures: JudgeFailure[];
	latencyMs: number | null;
	/** Whether the item had any retrieval gold (paths, spans or chunk ids). */
	hasGold: boolean;
	/** The files of the retrieved hits, best first, without repeats (CLI runs). */
	retrievedPaths?: string[];
	/** Set when the item could not be evaluated at all (e.g. retrieval failed in the CLI). */
	error?: string;
}
