import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { sharedChunker } from '../shared/connections';
import { mapItems } from '../shared/items';

// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool -- splits file items from Repo Fetch; nothing an AI agent could call
export class Chunk implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RepoMind Chunk',
		name: 'repoMindChunk',
		icon: 'file:chunk.svg',
		group: ['transform'],
		version: 1,
		subtitle: '={{"max " + $parameter["maxTokens"] + " tokens"}}',
		description: 'Split file items into code-aware chunks (declarations, Markdown sections, line windows) with exact line ranges',
		defaults: { name: 'Chunk' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Max Tokens per Chunk',
				name: 'maxTokens',
				type: 'number',
				default: 400,
				typeOptions: { minValue: 32 },
				description: 'Upper bound of the text sent to the embedder, header included (cl100k tokens)',
			},
			{
				displayName: 'Overlap Lines',
				name: 'overlapLines',
				type: 'number',
				default: 3,
				typeOptions: { minValue: 0 },
				description: 'Lines repeated between consecutive windows when a declaration is too long for one chunk',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const output = await mapItems(this, async (itemIndex, item) => {
			const chunker = await sharedChunker({
				maxTokens: this.getNodeParameter('maxTokens', itemIndex) as number,
				overlapLines: this.getNodeParameter('overlapLines', itemIndex) as number,
			});
			const file = item.json;
			if (file.status === 'removed' || file.skipReason) return [];
			if (typeof file.content !== 'string' || typeof file.path !== 'string') {
				throw new NodeOperationError(this.getNode(), 'The item has no "path" and "content" text to chunk', {
					itemIndex,
					description: 'Connect a RepoMind Repo Fetch node with "Include Content" on, or set path, content, repo, ref and blobSha fields',
				});
			}
			const chunks = chunker.chunk({
				repoKey: String(file.repo ?? 'unknown'),
				ref: String(file.ref ?? ''),
				path: file.path,
				blobSha: String(file.blobSha ?? ''),
				content: file.content,
				language: typeof file.language === 'string' ? file.language : undefined,
			});
			return chunks.map(({ repoKey, ...chunk }) => ({ ...chunk, repo: repoKey, commit: file.commit ?? null }) as unknown as IDataObject);
		});
		return [output];
	}
}
