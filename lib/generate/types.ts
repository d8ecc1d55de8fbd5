/** Types shared by prompt construction, citation checking and the generate operations. */

/** One retrieved chunk, as RepoMind Retrieve emits it in `hits`. */
export interface RetrievedHit {
	chunkId: string;
	repo?: string;
	ref?: string;
	path: string;
	startLine: number;
	endLine: number;
	symbol?: string | null;
	language?: string;
	score?: number;
	scores?: Record<string, number | null>;
	text: string;
}

/** A piece of text put before the model as untrusted data, labelled `[n] path:start-end`. */
export interface SourceBlock {
	/** Chunk id when the text is an indexed chunk. */
	chunkId?: string;
	path: string;
	/** 1-based, inclusive; absent for text without a line span (a diff). */
	startLine?: number;
	endLine?: number;
	symbol?: string | null;
	/** Extra words on the label, e.g. `modified`, `diff`. */
	note?: string;
	text: string;
	/** When it does not fit, keep its first lines instead of leaving it out (one long file). */
	truncatable?: boolean;
}

/** A source as it went into the prompt, with its citation number. */
export interface NumberedSource extends SourceBlock {
	n: number;
	/** Whether only the first lines fit. */
	truncated?: boolean;
}

/** A citation the answer made to something retrieved. */
export interface Citation {
	n: number;
	chunkId: string | null;
	path: string;
	startLine: number | null;
	endLine: number | null;
}

export type InvalidCitationReason = 'not-retrieved' | 'malformed';

/** A citation removed from the answer, and why. */
export interface InvalidCitation {
	/** The citation as the model wrote it, e.g. `[99]` or `[src/x.ts:3-9]`. */
	text: string;
	reason: InvalidCitationReason;
}
