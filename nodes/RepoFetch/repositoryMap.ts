import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { FileFilter } from '../../lib/filter';
import { buildRepoMap, type RepoMapOptions } from '../../lib/repomap';
import type { RepoSource } from '../../lib/types';
import { splitList } from '../shared/items';

const show = { show: { operation: ['repositoryMap'] } };

/** Parameters of the Repository Map operation. */
export const repositoryMapProperties: INodeProperties[] = [
	{
		displayName: 'Map Options',
		name: 'mapOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Diagram Folder Depth',
				name: 'maxFolderDepth',
				type: 'number',
				default: 2,
				typeOptions: { minValue: 0 },
				description: 'Folder levels drawn as nested boxes; deeper folders fold into their ancestor',
			},
			{
				displayName: 'Diagram Modules',
				name: 'maxDiagramNodes',
				type: 'number',
				default: 30,
				typeOptions: { minValue: 1 },
				description: 'How many of the best-ranked modules the Mermaid diagram draws',
			},
			{
				displayName: 'Focus Paths',
				name: 'focusPaths',
				type: 'string',
				default: '',
				placeholder: 'src/server.ts',
				description: 'Comma- or newline-separated files the ranking leans towards, e.g. the file being explained',
			},
			{
				displayName: 'Outline Token Budget',
				name: 'maxTokens',
				type: 'number',
				default: 1024,
				typeOptions: { minValue: 16 },
				description: 'Upper bound of the outline in tokens (cl100k_base)',
			},
			{
				displayName: 'Symbols per File',
				name: 'maxSymbolsPerFile',
				type: 'number',
				default: 12,
				typeOptions: { minValue: 0 },
				description: 'Declarations listed under each file of the outline, most referenced first',
			},
		],
	},
];

/** The repository map of one ref: `{ repo, ref, commit, mermaid, outline, files, edges, tokens }`. */
export async function repositoryMap(
	context: IExecuteFunctions,
	itemIndex: number,
	source: RepoSource,
	filter: FileFilter,
): Promise<IDataObject[]> {
	const ref = context.getNodeParameter('ref', itemIndex) as string;
	const raw = context.getNodeParameter('mapOptions', itemIndex, {}) as Omit<RepoMapOptions, 'focusPaths'> & { focusPaths?: string };
	const options: RepoMapOptions = { ...raw, focusPaths: splitList(raw.focusPaths) };
	const map = await buildRepoMap(source, ref, filter, options);
	return [map as unknown as IDataObject];
}
