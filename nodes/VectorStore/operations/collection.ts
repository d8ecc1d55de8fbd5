import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import { ChromaVectorStore } from '../../../lib/vector/chroma';

/** Which collection: the one RepoMind derives from repository and embedding model, or a name. */
export const collectionProperties = (operations: string[]): INodeProperties[] => [
	{
		displayName: 'Repository Key',
		name: 'repoKey',
		type: 'string',
		default: '={{ $json.repo }}',
		required: true,
		description: 'The "repo" field of RepoMind items, e.g. github:owner/repo or local:name',
		displayOptions: { show: { operation: operations } },
	},
	{
		displayName: 'Embedding Model',
		name: 'embeddingModel',
		type: 'string',
		default: '={{ $json.embeddingModel }}',
		required: true,
		description: 'Model ID as RepoMind Embed writes it, e.g. openai:text-embedding-3-small',
		displayOptions: { show: { operation: operations } },
	},
];

/** The collection name for an item. */
export function collectionOf(context: IExecuteFunctions, itemIndex: number): string {
	const repoKey = String(context.getNodeParameter('repoKey', itemIndex)).trim();
	const model = String(context.getNodeParameter('embeddingModel', itemIndex)).trim();
	return ChromaVectorStore.collectionName(repoKey, model);
}

/**
 * The collection for an item's write (upsert or delete), refused when a sync keeps it: a record
 * written or deleted by hand would make the index differ from the repository without MySQL knowing.
 */
export async function writableCollectionOf(context: IExecuteFunctions, itemIndex: number, vectors: ChromaVectorStore): Promise<string> {
	const collection = collectionOf(context, itemIndex);
	if (await vectors.isManaged(collection)) {
		throw new NodeOperationError(context.getNode(), `Collection ${collection} is kept in sync with the repository by Sync Repository; writing to it by hand is refused`, {
			itemIndex,
			description: 'Change the repository through git and run Sync Repository (or Delete Ref Index), or write hand-made chunks under another Repository Key',
		});
	}
	return collection;
}
