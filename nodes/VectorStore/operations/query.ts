import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import type { Where } from 'chromadb';
import type { ChromaVectorStore } from '../../../lib/vector/chroma';
import { collectionOf, collectionProperties } from './collection';

const show = { operation: ['query'] };

export const queryProperties: INodeProperties[] = [
	...collectionProperties(['query']),
	{ displayName: 'Vector Field', name: 'queryVectorField', type: 'string', default: 'vector', description: 'Field of the input item holding the query vector', displayOptions: { show } },
	{ displayName: 'Limit', name: 'limit', type: 'number', default: 50, typeOptions: { minValue: 1, maxValue: 1000 }, description: 'Max number of results to return', displayOptions: { show } },
	{ displayName: 'Ref', name: 'queryRef', type: 'string', default: '', description: 'Only this branch, tag or commit; empty: every ref', displayOptions: { show } },
	{ displayName: 'Language', name: 'queryLanguage', type: 'string', default: '', placeholder: 'typescript', description: 'Only chunks of this language', displayOptions: { show } },
];

/** Nearest chunks to the item's vector: one output item per hit. */
export async function queryByVector(context: IExecuteFunctions, itemIndex: number, json: IDataObject, vectors: ChromaVectorStore): Promise<IDataObject[]> {
	const field = context.getNodeParameter('queryVectorField', itemIndex) as string;
	const vector = json[field];
	if (!Array.isArray(vector) || vector.length === 0 || !vector.every((value) => typeof value === 'number')) {
		throw new NodeOperationError(context.getNode(), `No query vector in field "${field}"`, { itemIndex, description: 'Embed the question with RepoMind Embed (same provider and model as the index) first' });
	}
	const conditions: Where[] = [];
	const ref = (context.getNodeParameter('queryRef', itemIndex, '') as string).trim();
	const language = (context.getNodeParameter('queryLanguage', itemIndex, '') as string).trim();
	if (ref) conditions.push({ ref });
	if (language) conditions.push({ language });
	const where = conditions.length === 0 ? undefined : conditions.length === 1 ? conditions[0] : { $and: conditions };
	const collection = collectionOf(context, itemIndex);
	const hits = await vectors.query(collection, vector as number[], context.getNodeParameter('limit', itemIndex) as number, where);
	return hits.map((hit, rank) => ({ rank: rank + 1, id: hit.id, score: 1 - hit.distance, distance: hit.distance, ...hit.metadata, content: hit.content }));
}
