import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import type { ChromaVectorStore, VectorRecord } from '../../../lib/vector/chroma';
import { collectionProperties, writableCollectionOf } from './collection';

export const upsertProperties: INodeProperties[] = [
	...collectionProperties(['upsert']),
	{
		displayName: 'Vector Field',
		name: 'vectorField',
		type: 'string',
		default: 'vector',
		displayOptions: { show: { operation: ['upsert'] } },
	},
];

const METADATA_FIELDS = ['repo', 'ref', 'path', 'language', 'startLine', 'endLine', 'symbol', 'blobSha'] as const;

/** Upserts one chunk item (id, vector, content and chunk metadata) into its collection. */
export async function upsert(context: IExecuteFunctions, itemIndex: number, json: IDataObject, vectors: ChromaVectorStore): Promise<IDataObject[]> {
	const vectorField = context.getNodeParameter('vectorField', itemIndex) as string;
	const vector = json[vectorField];
	if (typeof json.id !== 'string' || !Array.isArray(vector) || vector.length === 0 || typeof json.content !== 'string') {
		throw new NodeOperationError(context.getNode(), `The item needs "id", "content" and a vector in "${vectorField}"`, {
			itemIndex,
			description: 'Connect RepoMind Chunk -> RepoMind Embed -> this node, or map those fields with a Set node',
		});
	}
	const metadata: VectorRecord['metadata'] = {};
	for (const field of METADATA_FIELDS) {
		const value = json[field];
		if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') metadata[field] = value;
		else if (value === null && field === 'symbol') metadata[field] = '';
	}
	const collection = await writableCollectionOf(context, itemIndex, vectors);
	await vectors.upsert(collection, [{ id: json.id, vector: vector as number[], content: json.content, metadata }]);
	return [{ id: json.id, collection, upserted: true }];
}
