import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { relatedFiles, similarCode, type ChangeHistory, type RetrieveDependencies, type SimilarTarget } from '../../lib/retrieve';
import { GitHubSource, LocalGitSource } from '../../lib/source';
import { githubOwnerRepo } from '../../lib/source/repository-key';
import { repositoryFrom } from '../shared/repository-locator';

const show = { show: { mode: ['similar'] } };
const showFor = (similarTo: string[]) => ({ show: { mode: ['similar'], similarTo } });

/** Parameters of the Similar Code mode. */
export const similarProperties: INodeProperties[] = [
	{
		displayName: 'Similar To',
		name: 'similarTo',
		type: 'options',
		displayOptions: show,
		options: [
			{ name: 'File or Line Range', value: 'range', description: 'An indexed file, or some of its lines' },
			{ name: 'Chunk ID', value: 'chunk', description: 'A chunk from an earlier Retrieve hit' },
			{ name: 'Code or Diff Hunk', value: 'hunk', description: 'Any code text, e.g. the lines of a diff hunk' },
		],
		default: 'range',
	},
	{ displayName: 'File Path', name: 'similarPath', type: 'string', default: '', placeholder: 'src/server.ts', displayOptions: showFor(['range', 'hunk']), description: 'Path relative to the repository root. For a hunk: the file it belongs to, so its own lines are left out (optional).' },
	{ displayName: 'Start Line', name: 'similarStartLine', type: 'number', default: 0, typeOptions: { minValue: 0 }, displayOptions: showFor(['range', 'hunk']), description: '1-based first line; 0 means the whole file' },
	{ displayName: 'End Line', name: 'similarEndLine', type: 'number', default: 0, typeOptions: { minValue: 0 }, displayOptions: showFor(['range', 'hunk']), description: 'Last line (inclusive); 0 means the start line' },
	{ displayName: 'Chunk ID', name: 'similarChunkId', type: 'string', default: '', displayOptions: showFor(['chunk']) },
	{ displayName: 'Code', name: 'similarHunk', type: 'string', default: '', typeOptions: { rows: 6 }, displayOptions: showFor(['hunk']), description: 'The code to match (embedded with the index\'s embedding model)' },
	{ displayName: 'Other Files Only', name: 'otherFilesOnly', type: 'boolean', default: false, displayOptions: show, description: 'Whether to leave out every chunk of the same file' },
	{
		displayName: 'Related Files',
		name: 'relatedFiles',
		type: 'boolean',
		default: false,
		displayOptions: showFor(['range']),
		description: 'Whether to add the files that import this file or that it imports, and the files changed together with it (history: github: repository keys through the GitHub credential, local:/path keys from the clone)',
	},
	{ displayName: 'Commits Scanned', name: 'relatedCommits', type: 'number', default: 50, typeOptions: { minValue: 1, maxValue: 500 }, displayOptions: { show: { mode: ['similar'], similarTo: ['range'], relatedFiles: [true] } }, description: 'How many recent commits are read for co-changes (GitHub: one request each)' },
];

/** One item: `{ ...similar, related? }` for the item's target. */
export async function similarItem(context: IExecuteFunctions, itemIndex: number, deps: RetrieveDependencies, topK: number, filters: IDataObject): Promise<IDataObject> {
	const text = (name: string) => String(context.getNodeParameter(name, itemIndex, '') ?? '').trim();
	const line = (name: string) => (context.getNodeParameter(name, itemIndex, 0) as number) || undefined;
	const kind = context.getNodeParameter('similarTo', itemIndex, 'range') as 'range' | 'chunk' | 'hunk';
	const lines = { startLine: line('similarStartLine'), endLine: line('similarEndLine') ?? line('similarStartLine') };
	const target: SimilarTarget =
		kind === 'chunk' ? { chunkId: text('similarChunkId') } : kind === 'hunk' ? { hunk: text('similarHunk'), path: text('similarPath') || undefined, ...lines } : { path: text('similarPath'), ...lines };
	const { repoKey, ref } = repositoryFrom(context, itemIndex, undefined, 'main');
	const otherFilesOnly = context.getNodeParameter('otherFilesOnly', itemIndex, false) as boolean;
	const similar = await similarCode(deps, { repoKey, ref, target, topK, otherFilesOnly, filters });
	if (kind !== 'range' || !context.getNodeParameter('relatedFiles', itemIndex, false)) return similar as unknown as IDataObject;
	const history = await historyOf(context, itemIndex, repoKey);
	try {
		const commits = context.getNodeParameter('relatedCommits', itemIndex, 50) as number;
		const related = await relatedFiles(deps.state, { repoKey, ref, embeddingModel: deps.embedder.modelId, path: text('similarPath'), history, commits });
		return { ...similar, related } as unknown as IDataObject;
	} finally {
		if (history instanceof LocalGitSource) await history.close();
	}
}

/** The history behind a repository key: GitHub for `github:owner/repo`, the clone for `local:/abs/path`; else none. */
async function historyOf(context: IExecuteFunctions, itemIndex: number, repoKey: string): Promise<ChangeHistory | undefined> {
	const github = githubOwnerRepo(repoKey);
	if (github) {
		const credentials = await context.getCredentials('repoMindGitHubApi', itemIndex).catch(() => undefined);
		return new GitHubSource({ ...github, token: (credentials?.accessToken as string) || undefined, baseUrl: (credentials?.baseUrl as string) || undefined });
	}
	if (repoKey.startsWith('local:/')) return new LocalGitSource({ path: repoKey.slice('local:'.length), repoKey });
	return undefined;
}
