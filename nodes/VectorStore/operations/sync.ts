import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { syncRepository, type SyncProgress } from '../../../lib/sync';
import type { ChromaVectorStore } from '../../../lib/vector/chroma';
import { embedderFrom, filterFrom, sharedChunker, sourceFrom, type IndexStores } from '../../shared/connections';
import { embeddingPropertiesSince, filterOptions, sourceProperties } from '../../shared/descriptions';

/** The first version with an Embeddings input (Sync Repository embeds through it). */
export const EMBEDDINGS_SINCE = 1.1;

const show = { operation: ['syncRepository'] };

const withShow = (properties: INodeProperties[], operation = show.operation): INodeProperties[] =>
	properties.map((property) => ({
		...property,
		displayOptions: { show: { ...property.displayOptions?.show, operation } },
	}));

export const syncProperties: INodeProperties[] = [
	// Delete Ref Index asks the same source whether the ref still exists.
	...withShow(sourceProperties, ['syncRepository', 'deleteRefIndex']),
	{ displayName: 'Ref', name: 'syncRef', type: 'string', default: 'main', required: true, description: 'Branch, tag or commit SHA to index', displayOptions: { show } },
	...withShow(embeddingPropertiesSince(EMBEDDINGS_SINCE)),
	{ displayName: 'Filters', name: 'filters', type: 'collection', placeholder: 'Add Filter', default: {}, options: filterOptions, displayOptions: { show } },
	{
		displayName: 'Include Skipped Files',
		name: 'includeSkipped',
		type: 'boolean',
		default: true,
		description: 'Whether the output lists every file that was not indexed, with its reason',
		displayOptions: { show },
	},
];

/** Makes the index of (repository, ref, model) exactly match the ref; one report item. */
export async function syncOperation(context: IExecuteFunctions, itemIndex: number, vectors: ChromaVectorStore, stores: IndexStores): Promise<IDataObject[]> {
	const source = await sourceFrom(context, itemIndex);
	const ref = context.getNodeParameter('syncRef', itemIndex) as string;
	try {
		const report = await syncRepository(source, {
			state: stores.state,
			cache: stores.cache,
			vectors,
			embedder: await embedderFrom(context, itemIndex, EMBEDDINGS_SINCE),
			chunker: await sharedChunker(),
			filter: filterFrom(context, itemIndex),
		}, {
			ref,
			signal: context.getExecutionCancelSignal?.(),
			onProgress: (progress) => reportProgress(context, `${source.repoKey}@${ref}`, progress),
		});
		const includeSkipped = context.getNodeParameter('includeSkipped', itemIndex, true) as boolean;
		return [{ ...report, skipped: includeSkipped ? (report.skipped as unknown as IDataObject[]) : [] }];
	} finally {
		await source.close?.();
	}
}

/** One progress line in the n8n log (and the editor's browser console on manual runs). */
function reportProgress(context: IExecuteFunctions, target: string, progress: SyncProgress): void {
	const message = `RepoMind sync ${target}: ${progress.phase}, ${progress.filesDone}/${progress.filesTotal} files, ${progress.chunksUpserted} chunks, ${progress.embedded} embedded`;
	context.logger?.info(message, { ...progress, target });
	try {
		context.sendMessageToUI(message);
	} catch {
		// not every execution mode has an editor to send to
	}
}
