import { InvalidInputError } from '../errors';
import { sourceOfHit } from '../generate/hits';
import { generate, type GeneratedText, type GenerateSettings } from '../generate/operations';
import type { RetrievedHit } from '../generate/types';

export interface IssueInfo {
	number?: number;
	/** Untrusted. */
	title: string;
	/** Untrusted. */
	body?: string;
}

/** A file related to an issue, with the lines that matched. */
export interface RelatedSpan {
	path: string;
	startLine: number;
	endLine: number;
	/** Whether the draft answer cites it. */
	cited: boolean;
}

export interface TriageResult extends GeneratedText {
	relatedFiles: RelatedSpan[];
}

/** A draft answer to an issue from retrieved code (the issue fenced as untrusted data), and the files it concerns, cited ones first. */
export async function triageIssue(issue: IssueInfo, hits: RetrievedHit[], settings: GenerateSettings, maxFiles = 5): Promise<TriageResult> {
	if (!issue.title?.trim() && !issue.body?.trim()) throw new InvalidInputError('The issue has no title or body', 'Pass the issue from RepoMind GitHub Trigger (title, body)');
	const issueSource = { path: 'issue', note: 'title and body, written by its author', text: `${issue.title ?? ''}\n\n${issue.body ?? ''}`.trim(), truncatable: true };
	const request = `Draft an answer to ${issue.number ? `issue #${issue.number}` : 'the issue'} (source [1]) from the code sources.`;
	const result = await generate('triageIssue', request, [issueSource, ...hits.map(sourceOfHit)], settings);
	const cited = new Set(result.citations.map((citation) => citation.n));
	const spans = result.sources.filter((source) => source.n > 1 && source.startLine !== undefined);
	const ordered = [...spans.filter((source) => cited.has(source.n)), ...spans.filter((source) => !cited.has(source.n))];
	const relatedFiles: RelatedSpan[] = [];
	for (const source of ordered) {
		if (relatedFiles.length >= maxFiles) break;
		if (relatedFiles.some((file) => file.path === source.path)) continue;
		relatedFiles.push({ path: source.path, startLine: source.startLine!, endLine: source.endLine!, cited: cited.has(source.n) });
	}
	return { ...result, relatedFiles };
}
