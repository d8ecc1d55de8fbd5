import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
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
