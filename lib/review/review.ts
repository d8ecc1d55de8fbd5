import { InvalidInputError, ServiceError } from '../errors';
import type { TokenUsage } from '../generate/chat';
import { checkCitations } from '../generate/citations';
import type { GenerateSettings } from '../generate/operations';
import { buildPrompt } from '../generate/prompt';
import type { Citation, InvalidCitation, NumberedSource, SourceBlock } from '../generate/types';
import type { ContextHit, FileContext } from './context';
import { anchorKey, commentableLines, parsePatch, renderHunk, type DiffSide } from './diff';

/** The pull request being reviewed; title and body are untrusted. */
export interface PullRequestInfo {
	number?: number;
	title?: string;
	body?: string;
}

export interface ReviewChangeInput {
	pullRequest: PullRequestInfo;
	/** Changed files with their patches and the context of their hunks (RepoMind Retrieve, Change Context). */
	files: FileContext[];
}

/** A review comment on a line of the diff, with the sources it relied on. */
export interface ReviewComment {
	path: string;
	line: number;
	side: DiffSide;
	body: string;
	citations: Citation[];
}

export type DroppedReason = 'not-in-diff' | 'unknown-file' | 'malformed';

/** A comment the model wrote that cannot be posted, and why. */
export interface DroppedComment {
	path: string | null;
	line: number | null;
	side: string | null;
	body: string;
	reason: DroppedReason;
}

export interface ReviewResult {
	summary: string;
	comments: ReviewComment[];
	droppedComments: DroppedComment[];
	/** Citations of the summary and the comments, one per source. */
	citations: Citation[];
	invalidCitations: InvalidCitation[];
	/** True when the model's reply was not the JSON asked for: it is kept as the summary, without comments. */
	malformedReply: boolean;
	/** Hunks that did not fit the context window (comments on them cannot be anchored). */
	hunksOmitted: number;
	usage: TokenUsage;
	latencyMs: number;
	model: string;
	sources: NumberedSource[];
	sourcesOmitted: number;
}

const RELATION_NOTE: Record<ContextHit['relation'], (name: string | null) => string> = {
	definition: (name) => `definition of ${name}`,
	caller: (name) => `uses ${name}`,
	similar: () => 'similar code',
};

/** Review a change: hunks and their context go in fenced; comments come back anchored to diff lines (others dropped and reported), each with its citations. */
export async function reviewChange(input: ReviewChangeInput, settings: GenerateSettings): Promise<ReviewResult> {
	const files = input.files.filter((file) => file.patch?.trim());
	if (files.length === 0) throw new InvalidInputError('There is no diff to review', 'Pass files with their patch, e.g. from RepoMind Repo Fetch, Diff, through RepoMind Retrieve, Change Context');
	const started = performance.now();
	const pull = input.pullRequest;
	const sources: SourceBlock[] = [{ path: 'pull request', note: 'title and description, written by its author', text: `${pull.title ?? ''}\n\n${pull.body ?? ''}`.trim() || '(empty)', truncatable: true }];
	const anchors = new Set<string>();
	let hunkCount = 0;
	for (const file of files) {
		const hunks = parsePatch(file.patch!);
		commentableLines(file.path, hunks).forEach((key) => anchors.add(key));
		hunks.forEach((hunk, h) => sources.push({ path: file.path, note: `diff hunk ${h + 1} of ${hunks.length}, ${file.status}`, text: renderHunk(hunk) }));
		hunkCount += hunks.length;
	}
	const seen = new Set<string>();
	for (const hit of files.flatMap((file) => file.context ?? [])) {
		if (seen.has(hit.chunkId)) continue;
		seen.add(hit.chunkId);
		sources.push({ chunkId: hit.chunkId, path: hit.path, startLine: hit.startLine, endLine: hit.endLine, symbol: hit.symbol, text: hit.text, note: RELATION_NOTE[hit.relation]?.(hit.name) });
	}
	const number = pull.number ? `pull request #${pull.number}` : 'the change';
	const request = `Review ${number}: ${files.length} changed files, ${hunkCount} diff hunks. Its title and description are source [1].`;
	const prompt = buildPrompt({ task: 'reviewChange', request, sources, contextWindow: settings.contextWindow, maxAnswerTokens: settings.maxTokens, fenceToken: settings.fenceToken });
	const completion = await settings.model.complete(prompt.messages, { temperature: settings.temperature, maxTokens: settings.maxTokens, signal: settings.signal });
	if (!completion.text.trim()) throw new ServiceError(`${settings.model.modelId} returned an empty review`, 'Raise Max Tokens, or try again');
	const reply = parseReply(completion.text);
	const citations = new Map<number, Citation>();
	const invalidCitations: InvalidCitation[] = [];
	const cite = (text: string) => {
		const checked = checkCitations(text, prompt.sources);
		checked.citations.forEach((citation) => citations.set(citation.n, citation));
		invalidCitations.push(...checked.invalidCitations);
		return checked;
	};
	const reviewed = new Set(files.map((file) => file.path));
	const comments: ReviewComment[] = [];
	const droppedComments: DroppedComment[] = [];
	for (const raw of reply.comments) {
		const comment = readComment(raw);
		if (typeof comment === 'string') {
			droppedComments.push({ path: null, line: null, side: null, body: comment, reason: 'malformed' });
			continue;
		}
		const reason = !reviewed.has(comment.path) ? 'unknown-file' : anchors.has(anchorKey(comment.path, comment.side, comment.line)) ? null : 'not-in-diff';
		if (reason) {
			droppedComments.push({ ...comment, reason });
			continue;
		}
		const checked = cite(comment.body);
		comments.push({ ...comment, body: checked.answer, citations: checked.citations });
	}
	const summary = cite(reply.summary).answer;
	return {
		summary,
		comments,
		droppedComments,
		citations: [...citations.values()].sort((a, b) => a.n - b.n),
		invalidCitations,
		malformedReply: reply.malformed,
		hunksOmitted: hunkCount - prompt.sources.filter((source) => source.note?.startsWith('diff hunk')).length,
		usage: completion.usage,
		latencyMs: Math.round(performance.now() - started),
		model: completion.model,
		sources: prompt.sources,
		sourcesOmitted: prompt.omitted,
	};
}

/** The JSON object of the reply (in a code block or bare); a reply without one becomes the summary. */
function parseReply(text: string): { summary: string; comments: unknown[]; malformed: boolean } {
	const start = text.indexOf('{');
	const end = text.lastIndexOf('}');
	if (start >= 0 && end > start) {
		try {
			const json = JSON.parse(text.slice(start, end + 1)) as { summary?: unknown; comments?: unknown };
			if (json && typeof json === 'object') {
				return { summary: typeof json.summary === 'string' ? json.summary : '', comments: Array.isArray(json.comments) ? json.comments : [], malformed: !Array.isArray(json.comments) };
			}
		} catch {
			// not JSON: kept as the summary below
		}
	}
	return { summary: text.trim(), comments: [], malformed: true };
}

function readComment(raw: unknown): { path: string; line: number; side: DiffSide; body: string } | string {
	const json = (raw ?? {}) as Record<string, unknown>;
	const body = typeof json.body === 'string' ? json.body.trim() : '';
	const line = typeof json.line === 'string' ? Number(json.line) : json.line;
	const side = json.side === undefined ? 'RIGHT' : String(json.side).toUpperCase();
	if (typeof json.path !== 'string' || !Number.isInteger(line) || (side !== 'RIGHT' && side !== 'LEFT') || !body) return body || JSON.stringify(raw);
	return { path: json.path.replace(/^\.?\//, ''), line: line as number, side, body };
}
