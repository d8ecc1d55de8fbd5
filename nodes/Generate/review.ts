import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { hitsFromJson } from '../../lib/generate';
import { InvalidInputError } from '../../lib/errors';
import { reviewChange, triageIssue, type FileContext } from '../../lib/review';
import { settingsFrom, type GenerateOptions } from './connections';

const review = { operation: ['reviewChange'] };
const triage = { operation: ['triageIssue'] };

/** Parameters of Review Change and Triage Issue. */
export const reviewProperties: INodeProperties[] = [
	{ displayName: 'Files Field', name: 'reviewFilesField', type: 'string', default: 'files', displayOptions: { show: review }, description: 'Field with the changed files, their patches and context (RepoMind Retrieve, Change Context)' },
	{ displayName: 'Pull Request Number', name: 'pullRequestNumber', type: 'number', default: 0, displayOptions: { show: review }, description: 'For the prompt and the output; 0 if none' },
	{ displayName: 'Pull Request Title', name: 'pullRequestTitle', type: 'string', default: '', displayOptions: { show: review }, description: 'Untrusted text: it goes to the model fenced as data' },
	{ displayName: 'Pull Request Description', name: 'pullRequestBody', type: 'string', default: '', typeOptions: { rows: 3 }, displayOptions: { show: review }, description: 'Untrusted text: it goes to the model fenced as data' },
	{ displayName: 'Issue Number', name: 'issueNumber', type: 'number', default: 0, displayOptions: { show: triage } },
	{ displayName: 'Issue Title', name: 'issueTitle', type: 'string', default: '', displayOptions: { show: triage }, description: 'Untrusted text: it goes to the model fenced as data' },
	{ displayName: 'Issue Body', name: 'issueBody', type: 'string', default: '', typeOptions: { rows: 3 }, displayOptions: { show: triage }, description: 'Untrusted text: it goes to the model fenced as data' },
	{ displayName: 'Hits Field', name: 'triageHitsField', type: 'string', default: 'hits', displayOptions: { show: triage }, description: 'Field with the chunks RepoMind Retrieve found for the issue' },
];

/** Review the item's change: `{ summary, comments, droppedComments, citations, … }` plus repo, ref and commit of the context. */
export async function reviewItem(context: IExecuteFunctions, itemIndex: number, json: IDataObject, options: GenerateOptions): Promise<IDataObject[]> {
	const field = String(context.getNodeParameter('reviewFilesField', itemIndex, 'files') ?? '').trim() || 'files';
	const files = json[field];
	if (!Array.isArray(files)) throw new InvalidInputError(`The input has no "${field}" list of changed files`, 'Connect RepoMind Retrieve in Change Context mode, or set Files Field');
	const pullRequest = {
		number: (context.getNodeParameter('pullRequestNumber', itemIndex, 0) as number) || undefined,
		title: String(context.getNodeParameter('pullRequestTitle', itemIndex, '') ?? ''),
		body: String(context.getNodeParameter('pullRequestBody', itemIndex, '') ?? ''),
	};
	const result = await reviewChange({ pullRequest, files: files as unknown as FileContext[] }, await settingsFrom(context, itemIndex, options));
	const { sources, ...rest } = result;
	return [{ ...rest, ...(options.includeSources ? { sources } : {}), sourcesUsed: sources.length, repo: json.repo ?? null, ref: json.ref ?? null, commit: json.commit ?? null, pullRequestNumber: pullRequest.number ?? null } as unknown as IDataObject];
}

/** Draft an answer to the item's issue from its hits: `{ answer, relatedFiles, citations, … }`. */
export async function triageItem(context: IExecuteFunctions, itemIndex: number, json: IDataObject, options: GenerateOptions): Promise<IDataObject[]> {
	const field = String(context.getNodeParameter('triageHitsField', itemIndex, 'hits') ?? '').trim() || 'hits';
	const issue = {
		number: (context.getNodeParameter('issueNumber', itemIndex, 0) as number) || undefined,
		title: String(context.getNodeParameter('issueTitle', itemIndex, '') ?? ''),
		body: String(context.getNodeParameter('issueBody', itemIndex, '') ?? ''),
	};
	const result = await triageIssue(issue, hitsFromJson(json[field], field), await settingsFrom(context, itemIndex, options));
	const { sources, ...rest } = result;
	return [{ ...rest, ...(options.includeSources ? { sources } : {}), sourcesUsed: sources.length, repo: json.repo ?? null, ref: json.ref ?? null, commit: json.commit ?? null, issueNumber: issue.number ?? null } as unknown as IDataObject];
}
