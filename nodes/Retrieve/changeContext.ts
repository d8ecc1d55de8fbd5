import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { InvalidInputError } from '../../lib/errors';
import type { RetrieveDependencies } from '../../lib/retrieve';
import { gatherReviewContext, type FilePatch } from '../../lib/review';
import { repositoryFrom } from '../shared/repository-locator';

const show = { show: { mode: ['changeContext'] } };

/** Parameters of the Change Context mode. */
export const changeContextProperties: INodeProperties[] = [
	{ displayName: 'Files Field', name: 'filesField', type: 'string', default: 'files', displayOptions: show, description: 'The input field with the changed files and their patches (RepoMind Repo Fetch, Diff: { path, status, patch })' },
	{ displayName: 'Definitions per Hunk', name: 'contextDefinitions', type: 'number', default: 3, typeOptions: { minValue: 0, maxValue: 20 }, displayOptions: show, description: 'Chunks that define names the hunk uses' },
	{ displayName: 'Callers per Hunk', name: 'contextCallers', type: 'number', default: 3, typeOptions: { minValue: 0, maxValue: 20 }, displayOptions: show, description: 'Chunks that use names the hunk changes (other files first)' },
	{ displayName: 'Similar Chunks per Hunk', name: 'contextSimilar', type: 'number', default: 2, typeOptions: { minValue: 0, maxValue: 20 }, displayOptions: show, description: 'Code elsewhere that looks like the hunk' },
];

/** One item: `{ repo, ref, commit, files: [{ path, status, patch, context }] }`, context from the index of the ref. */
export async function changeContextItem(context: IExecuteFunctions, itemIndex: number, json: IDataObject, deps: RetrieveDependencies): Promise<IDataObject> {
	const field = String(context.getNodeParameter('filesField', itemIndex, 'files') ?? '').trim() || 'files';
	const files = json[field];
	if (!Array.isArray(files)) throw new InvalidInputError(`The input has no "${field}" list of changed files`, 'Connect RepoMind Repo Fetch with the Diff operation, or set Files Field');
	const patches: FilePatch[] = files.map((file, index) => {
		const entry = (file ?? {}) as IDataObject;
		if (typeof entry.path !== 'string' || !entry.path) throw new InvalidInputError(`${field}[${index}] has no path`);
		return { path: entry.path, status: String(entry.status ?? 'modified'), ...(typeof entry.previousPath === 'string' ? { previousPath: entry.previousPath } : {}), ...(typeof entry.patch === 'string' ? { patch: entry.patch } : {}) };
	});
	const { repoKey, ref } = repositoryFrom(context, itemIndex, undefined, 'main');
	const limit = (name: string, fallback: number) => context.getNodeParameter(name, itemIndex, fallback) as number;
	const options = { definitions: limit('contextDefinitions', 3), callers: limit('contextCallers', 3), similar: limit('contextSimilar', 2) };
	const result = await gatherReviewContext(deps, repoKey, ref, patches, options);
	return { ...result, skipped: json.skipped ?? [] } as unknown as IDataObject;
}
