import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import type { OpenDigestStore } from '../store';
import { beforeVersion, refLocator, repositoryFrom, repositoryLocator } from '../../shared/repository-locator';
import { DIGEST_PICKERS_SINCE } from './collect';

const show = { operation: ['recordDigest'] };

export const recordProperties: INodeProperties[] = [
	...beforeVersion([
		{ displayName: 'Repository Key', name: 'recordRepoKey', type: 'string', default: '={{ $json.repo }}', required: true, description: 'For example github:owner/repo', displayOptions: { show } },
		{ displayName: 'Ref', name: 'recordRef', type: 'string', default: '={{ $json.ref }}', required: true, displayOptions: { show } },
	], DIGEST_PICKERS_SINCE),
	repositoryLocator({ since: DIGEST_PICKERS_SINCE, show, defaultValue: '={{ $json.repo }}', description: 'The repository the digest covered (Compose Email passes it on in repo)' }),
	refLocator({ since: DIGEST_PICKERS_SINCE, show, defaultValue: '={{ $json.ref }}', description: 'The ref the digest covered (Compose Email passes it on in ref)' }),
	{ displayName: 'Digest Name', name: 'recordDigestName', type: 'string', default: '={{ $json.digest }}', required: true, displayOptions: { show } },
	{ displayName: 'Commit', name: 'recordCommit', type: 'string', default: '={{ $json.head }}', required: true, description: 'The head commit the digest covered; the next digest starts here', displayOptions: { show } },
	{ displayName: 'Commit Count', name: 'recordCommitCount', type: 'number', default: 0, displayOptions: { show } },
	{ displayName: 'File Count', name: 'recordFileCount', type: 'number', default: 0, displayOptions: { show } },
	{ displayName: 'Recipients', name: 'recordRecipients', type: 'string', default: '', displayOptions: { show } },
];

/** Remembers that the digest was sent up to a commit. */
export async function recordOperation(context: IExecuteFunctions, itemIndex: number, open: () => Promise<OpenDigestStore>): Promise<IDataObject[]> {
	const text = (name: string) => String(context.getNodeParameter(name, itemIndex, '') ?? '').trim();
	const names = context.getNode().typeVersion < DIGEST_PICKERS_SINCE ? { repository: 'recordRepoKey', ref: 'recordRef' } : undefined;
	const { repoKey, ref } = repositoryFrom(context, itemIndex, names);
	const entry = {
		repoKey,
		ref,
		digestName: text('recordDigestName'),
		commitSha: text('recordCommit'),
		commitCount: Number(context.getNodeParameter('recordCommitCount', itemIndex, 0)) || 0,
		fileCount: Number(context.getNodeParameter('recordFileCount', itemIndex, 0)) || 0,
		recipients: text('recordRecipients') || null,
	};
	if (!entry.repoKey || !entry.ref || !entry.digestName || !/^[0-9a-f]{40}$/.test(entry.commitSha)) {
		throw new NodeOperationError(context.getNode(), `Cannot record the digest: repository "${entry.repoKey}", ref "${entry.ref}", name "${entry.digestName}" and a 40-hex commit ("${entry.commitSha}") are required`, { itemIndex });
	}
	await (await open()).store.record(entry);
	return [{ recorded: true, ...entry }];
}
