import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { InvalidInputError } from '../../lib/errors';
import { formatTriageComment, TRIAGE_MARKER, type GitHubReviewPoster, type ReviewComment } from '../../lib/review';

const SHA = /^[0-9a-f]{40}$/;

/** Posts one item: the review of RepoMind Generate (Review Change) or the triage of an issue (Triage Issue). */
export async function postItem(context: IExecuteFunctions, itemIndex: number, json: IDataObject, poster: GitHubReviewPoster): Promise<IDataObject> {
	const text = (name: string) => String(context.getNodeParameter(name, itemIndex, '') ?? '').trim();
	const number = context.getNodeParameter('number', itemIndex, 0) as number;
	const target = { owner: text('owner'), repo: text('repository'), number };
	if (!target.owner || !target.repo || !Number.isInteger(number) || number < 1) {
		throw new InvalidInputError('Owner, repository and a pull request or issue number are required', 'Map them from RepoMind GitHub Trigger: owner, repository, number');
	}
	if (context.getNodeParameter('operation', itemIndex) === 'postReview') {
		const headSha = text('headSha');
		if (!SHA.test(headSha)) throw new InvalidInputError(`Head SHA "${headSha}" is not a commit SHA`, 'Map it from the trigger: {{ $json.head.sha }}');
		const result = await poster.postReview({
			...target,
			headSha,
			summary: String(json.summary ?? ''),
			comments: (json.comments ?? []) as unknown as ReviewComment[],
			droppedComments: (json.droppedComments ?? []) as never,
			context: typeof json.ref === 'string' ? { ref: json.ref, commit: typeof json.commit === 'string' ? json.commit : null } : undefined,
		});
		return { ...result, droppedComments: json.droppedComments ?? [] } as unknown as IDataObject;
	}
	const commit = String(json.commit ?? '');
	if (!SHA.test(commit)) throw new InvalidInputError('The input has no indexed commit (commit)', 'Connect RepoMind Generate (Triage Issue) after RepoMind Retrieve: links point at the indexed commit');
	const webUrl = await poster.webUrl(target.owner, target.repo);
	const body = formatTriageComment({ webUrl, commit, relatedFiles: (json.relatedFiles ?? []) as never, answer: String(json.answer ?? ''), citations: (json.citations ?? []) as never });
	const result = await poster.postIssueComment(target, TRIAGE_MARKER, body);
	return { ...result, relatedFiles: json.relatedFiles ?? [] } as unknown as IDataObject;
}
