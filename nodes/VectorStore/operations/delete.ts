import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import type { ChromaVectorStore } from '../../../lib/vector/chroma';
import { splitList } from '../../shared/items';
import { collectionProperties, writableCollectionOf } from './collection';

const show = { operation: ['delete'] };

export const deleteProperties: INodeProperties[] = [
	...collectionProperties(['delete']),
	{
		displayName: 'Delete By',
		name: 'deleteBy',
		type: 'options',
		options: [
			{ name: 'Path', value: 'path', description: 'Every chunk of the given files' },
			{ name: 'IDs', value: 'ids', description: 'Chunks by ID' },
		],
		default: 'path',
		displayOptions: { show },
	},
	{
		displayName: 'Paths',
		name: 'paths',
		type: 'string',
		default: '={{ $json.path }}',
		description: 'Comma- or newline-separated file paths',
		displayOptions: { show: { ...show, deleteBy: ['path'] } },
	},
	{
		displayName: 'Ref',
		name: 'ref',
		type: 'string',
		default: '',
		description: 'Only chunks of this branch, tag or commit; empty: every ref',
		displayOptions: { show: { ...show, deleteBy: ['path'] } },
	},
	{
		displayName: 'IDs',
		name: 'ids',
		type: 'string',
		default: '={{ $json.id }}',
		description: 'Comma- or newline-separated chunk IDs',
		displayOptions: { show: { ...show, deleteBy: ['ids'] } },
	},
];

/** Deletes chunks of files (optionally of one ref) or chunks by id. */
export async function deleteChunks(context: IExecuteFunctions, itemIndex: number, vectors: ChromaVectorStore): Promise<IDataObject[]> {
	const collection = await writableCollectionOf(context, itemIndex, vectors);
	if (context.getNodeParameter('deleteBy', itemIndex) === 'ids') {
		const ids = splitList(context.getNodeParameter('ids', itemIndex) as string);
		if (ids.length === 0) throw new NodeOperationError(context.getNode(), 'No chunk ids given', { itemIndex });
		await vectors.deleteIds(collection, ids);
		return [{ collection, deletedIds: ids }];
	}
	const paths = splitList(context.getNodeParameter('paths', itemIndex) as string);
	if (paths.length === 0) throw new NodeOperationError(context.getNode(), 'No paths given', { itemIndex, description: 'Set "Paths" to one or more file paths' });
	const ref = (context.getNodeParameter('ref', itemIndex, '') as string).trim();
	const pathFilter = paths.length === 1 ? { path: paths[0] } : { path: { $in: paths } };
	await vectors.deleteWhere(collection, ref ? { $and: [pathFilter, { ref }] } : pathFilter);
	return [{ collection, deletedPaths: paths, ref: ref || null }];
}
