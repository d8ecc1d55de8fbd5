import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { fetchChanges, fetchFile, fetchSnapshot, type FetchOptions } from '../../lib/fetch/repo-files';
import { filteredPatches } from '../../lib/review';
import { repoMindCredentialTests } from '../shared/credential-test';
import { filterFrom, sourceFrom } from '../shared/connections';
import { filterOptions, sourceProperties } from '../shared/descriptions';
import { mapItems } from '../shared/items';
import { repositoryMap, repositoryMapProperties } from './repositoryMap';

export class RepoFetch implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RepoMind Repo Fetch',
		name: 'repoMindRepoFetch',
		icon: 'file:repoFetch.svg',
		group: ['input'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Read the files of a GitHub repository or local git clone: a snapshot, the changes between two commits, one file, or a ranked map of its modules',
		defaults: { name: 'Repo Fetch' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [
			{ name: 'repoMindGitHubApi', displayName: 'GitHub Access', required: true, testedBy: 'repoMindGitHubConnectionTest', displayOptions: { show: { source: ['github'] } } },
		],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Changes', value: 'changes', action: 'Read the changes between two commits', description: 'Files added, modified, removed or renamed between two commits' },
					{ name: 'Diff', value: 'diff', action: 'Read the diff of a pull request', description: 'Unified diff per file from the merge base of base and head to head, as a pull request shows it' },
					{ name: 'File', value: 'file', action: 'Read one file', description: 'One file at a ref' },
					{ name: 'Repository Map', value: 'repositoryMap', action: 'Map a repository', description: 'Mermaid diagram of folders, modules and import links, and a ranked, token-budgeted outline for an LLM' },
					{ name: 'Snapshot', value: 'snapshot', action: 'Read every file at a ref', description: 'Every file of the tree at a branch, tag or commit' },
				],
				default: 'snapshot',
			},
			...sourceProperties,
			{
				displayName: 'Ref',
				name: 'ref',
				type: 'string',
				default: 'main',
				required: true,
				description: 'Branch, tag or commit SHA',
				displayOptions: { show: { operation: ['snapshot', 'file', 'repositoryMap'] } },
			},
			{
				displayName: 'Base',
				name: 'base',
				type: 'string',
				default: '',
				required: true,
				placeholder: '={{ $json.before }}',
				description: 'The older commit (or ref)',
				displayOptions: { show: { operation: ['changes', 'diff'] } },
			},
			{
				displayName: 'Head',
				name: 'head',
				type: 'string',
				default: '',
				required: true,
				placeholder: '={{ $json.after }}',
				description: 'The newer commit (or ref)',
				displayOptions: { show: { operation: ['changes', 'diff'] } },
			},
			{
				displayName: 'File Path',
				name: 'path',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'src/index.ts',
				displayOptions: { show: { operation: ['file'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				displayOptions: { hide: { operation: ['repositoryMap', 'diff'] } },
				options: [
					{ displayName: 'Include Content', name: 'withContent', type: 'boolean', default: true, description: 'Whether to download each file\'s text' },
					{ displayName: 'Include Skipped Files', name: 'includeSkipped', type: 'boolean', default: false, description: 'Whether to output files the filters skipped, with the reason' },
				],
			},
			...repositoryMapProperties,
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				options: filterOptions,
			},
		],
	};

	methods = { credentialTest: repoMindCredentialTests };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const output = await mapItems(this, async (itemIndex) => {
			const operation = this.getNodeParameter('operation', itemIndex) as string;
			const options = this.getNodeParameter('options', itemIndex, {}) as FetchOptions;
			const filter = filterFrom(this, itemIndex);
			const source = await sourceFrom(this, itemIndex);
			try {
				if (operation === 'diff') {
					const base = this.getNodeParameter('base', itemIndex) as string;
					const head = this.getNodeParameter('head', itemIndex) as string;
					return [(await filteredPatches(source, base, head, filter)) as unknown as IDataObject];
				}
				if (operation === 'changes') {
					const base = this.getNodeParameter('base', itemIndex) as string;
					const head = this.getNodeParameter('head', itemIndex) as string;
					return (await fetchChanges(source, base, head, filter, options)) as unknown as IDataObject[];
				}
				const ref = this.getNodeParameter('ref', itemIndex) as string;
				if (operation === 'repositoryMap') return await repositoryMap(this, itemIndex, source, filter);
				if (operation === 'file') {
					const path = this.getNodeParameter('path', itemIndex) as string;
					return [(await fetchFile(source, ref, path, filter, options)) as unknown as IDataObject];
				}
				return (await fetchSnapshot(source, ref, filter, options)) as unknown as IDataObject[];
			} finally {
				await source.close?.();
			}
		});
		return [output];
	}
}
