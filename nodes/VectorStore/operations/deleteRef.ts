import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import type { ChromaVectorStore } from '../../../lib/vector/chroma';
import { deleteRefIndex } from '../../../lib/sync/delete-ref-index';
import { sourceFrom, type IndexStores } from '../../shared/connections';

const show = { operation: ['deleteRefIndex'] };

export const deleteRefProperties: INodeProperties[] = [
	{
		displayName: 'Repository Key',
		name: 'deleteRepoKey',
		type: 'string',
		default: '={{ $json.repo }}',
		required: true,
		description: 'For example github:owner/repo (the "repo" field of RepoMind items and of the GitHub Trigger)',
		displayOptions: { show },
	},
	{
		displayName: 'Ref',
		name: 'deleteRef',
		type: 'string',
		default: '={{ $json.ref }}',
		required: true,
		description: 'The branch or tag whose index is removed (every embedding model)',
		displayOptions: { show },
	},
	{
		displayName: 'Keep If Ref Exists',
		name: 'keepIfRefExists',
		type: 'boolean',
		default: true,
		description: 'Whether to ask the source first and keep the index when the ref still exists there (e.g. an old "branch deleted" event redelivered after the branch was created again)',
		displayOptions: { show },
	},
];

/** Removes a ref's index: its chunks from Chroma, its rows and state from MySQL; one item per index removed. */
export async function deleteRefOperation(context: IExecuteFunctions, itemIndex: number, vectors: ChromaVectorStore, stores: IndexStores): Promise<IDataObject[]> {
	const repoKey = String(context.getNodeParameter('deleteRepoKey', itemIndex)).trim();
	const ref = String(context.getNodeParameter('deleteRef', itemIndex)).trim();
	if (!repoKey || !ref) throw new NodeOperationError(context.getNode(), 'Repository Key and Ref are both required', { itemIndex });
	const source = context.getNodeParameter('keepIfRefExists', itemIndex, true) ? await sourceFrom(context, itemIndex) : undefined;
	try {
		if (source && source.repoKey !== repoKey) {
			throw new NodeOperationError(context.getNode(), `Repository Key ${repoKey} is not the source's repository ${source.repoKey}`, { itemIndex, description: 'Point the source at the repository whose index is deleted, or turn off "Keep If Ref Exists"' });
		}
		const { deleted, keptBecause } = await deleteRefIndex(stores.state, vectors, repoKey, ref, { source });
		return [{ repo: repoKey, ref, deleted: deleted.length > 0, keptBecause, indexes: deleted as unknown as IDataObject[], chunksDeleted: deleted.reduce((sum, index) => sum + index.chunks, 0) }];
	} finally {
		await source?.close?.();
	}
}
