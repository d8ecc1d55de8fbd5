import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import { composeDigestEmail, type DigestChanges, type DigestSummary } from '../../../lib/digest';

const show = { operation: ['composeEmail'] };

export const composeProperties: INodeProperties[] = [
	{
		displayName: 'Changes',
		name: 'digestChanges',
		type: 'json',
		default: "={{ $('Collect Changes').item.json }}",
		required: true,
		description: 'The item of "Collect Changes Since Last Digest"; the input item may carry the summary of RepoMind Generate ("summary", "areas")',
		displayOptions: { show },
	},
	{ displayName: 'Subject Prefix', name: 'subjectPrefix', type: 'string', default: '[RepoMind]', displayOptions: { show } },
];

/** Subject, text and HTML of the digest e-mail, with the fields Record Digest Sent needs. */
export function composeOperation(context: IExecuteFunctions, itemIndex: number, json: IDataObject): IDataObject[] {
	const raw = context.getNodeParameter('digestChanges', itemIndex);
	const changes = (typeof raw === 'string' ? JSON.parse(raw) : raw) as DigestChanges;
	if (!changes || typeof changes.head !== 'string' || !Array.isArray(changes.changes)) {
		throw new NodeOperationError(context.getNode(), 'Changes is not the output of "Collect Changes Since Last Digest"', { itemIndex, description: 'Point Changes at that node, e.g. {{ $(\'Collect Changes\').item.json }}' });
	}
	const summary: DigestSummary | null = typeof json.summary === 'string' ? { summary: json.summary, areas: json.areas as DigestSummary['areas'] } : null;
	const email = composeDigestEmail(changes, summary, { subjectPrefix: context.getNodeParameter('subjectPrefix', itemIndex, '[RepoMind]') as string });
	return [{
		...email,
		repo: changes.repo,
		ref: changes.ref,
		digest: changes.digest,
		head: changes.head,
		changed: changes.changed,
		commitCount: changes.totalCommits || changes.commits.length,
		fileCount: changes.changes.length,
	}];
}
