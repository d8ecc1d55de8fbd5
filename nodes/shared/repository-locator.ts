import {
	NodeOperationError,
	type DisplayCondition,
	type IDisplayOptions,
	type IExecuteFunctions,
	type ILoadOptionsFunctions,
	type INodeListSearchItems,
	type INodeListSearchResult,
	type INodeParameterResourceLocator,
	type INodeProperties,
	type ISupplyDataFunctions,
} from 'n8n-workflow';
import { InvalidInputError } from '../../lib/errors';
import { GITHUB_URL_PATTERN, githubWebUrl, parseRepositoryLocation, REPOSITORY_KEY_PATTERN } from '../../lib/source/repository-key';
import { IndexListing, type IndexedRefSummary, type IndexedRepository } from '../../lib/store/index-listing';
import { migratedPoolFrom } from './connections';
import { isLocator, parameterText } from './locator-value';

/** The parameter names every RepoMind node uses for the picked repository and ref (resource locators). */
export const REPOSITORY_PARAMETER = 'repositoryKey';
export const REF_PARAMETER = 'ref';

/** What a repository and ref picker looks like on one node. */
export interface LocatorOptions {
	/** The first node version that shows the pickers (earlier versions keep their text fields). */
	since: number;
	/** Further show conditions, e.g. the operation. */
	show?: IDisplayOptions['show'];
	required?: boolean;
	/** Only GitHub repositories (Digest reads history from GitHub). */
	githubOnly?: boolean;
	/** Value typed in "By Key" / "By Name" by default (an expression such as `={{ $json.repo }}`); else the list. */
	defaultValue?: string;
	description?: string;
}

const SHORT_SHA = 7;

/** Shown from `since` on: the display conditions of a picker. */
function fromVersion(options: LocatorOptions): IDisplayOptions {
	return { show: { ...options.show, '@version': [{ _cnd: { gte: options.since } }] } };
}

/** The parameters shown only before `since` (a node's text fields that the pickers replace). */
export function beforeVersion(properties: INodeProperties[], since: number): INodeProperties[] {
	const before: DisplayCondition = { _cnd: { lt: since } };
	return properties.map((property) => ({ ...property, displayOptions: { ...property.displayOptions, show: { ...property.displayOptions?.show, '@version': [before] } } }));
}

function defaultOf(options: LocatorOptions, typedMode: string): INodeParameterResourceLocator {
	return (options.defaultValue ? { __rl: true, mode: typedMode, value: options.defaultValue } : { __rl: true, mode: 'list', value: '' }) as INodeParameterResourceLocator;
}

/** The repository picker: indexed repositories from MySQL, a key, or a GitHub URL (or local clone path). */
export function repositoryLocator(options: LocatorOptions): INodeProperties {
	const url = options.githubOnly ? GITHUB_URL_PATTERN : `(${GITHUB_URL_PATTERN})|(^/.*$)`;
	return {
		displayName: 'Repository',
		name: REPOSITORY_PARAMETER,
		type: 'resourceLocator',
		default: defaultOf(options, 'id'),
		required: options.required ?? true,
		description: options.description ?? 'An indexed repository: pick it from the index, or give its key or URL',
		displayOptions: fromVersion(options),
		modes: [
			{ displayName: 'From List', name: 'list', type: 'list', placeholder: 'Select an indexed repository…', typeOptions: { searchListMethod: options.githubOnly ? 'searchGitHubRepositories' : 'searchRepositories', searchable: true } },
			{
				displayName: 'By Key',
				name: 'id',
				type: 'string',
				placeholder: options.githubOnly ? 'github:owner/repo' : 'github:owner/repo or local:app',
				hint: 'The key the index knows the repository by',
				validation: [{ type: 'regex', properties: { regex: options.githubOnly ? '^github:[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$' : REPOSITORY_KEY_PATTERN, errorMessage: options.githubOnly ? 'Not a GitHub repository key: use github:owner/repo' : 'Not a repository key: use github:owner/repo or local:<name or path>' } }],
			},
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: options.githubOnly ? 'https://github.com/owner/repo' : 'https://github.com/owner/repo or /srv/repos/app',
				hint: options.githubOnly ? 'A GitHub repository URL (a /tree/<ref> URL also sets the ref)' : 'A GitHub repository URL (a /tree/<ref> URL also sets the ref), or the absolute path of a local clone',
				validation: [{ type: 'regex', properties: { regex: url, errorMessage: options.githubOnly ? 'Not a GitHub repository URL: use https://github.com/owner/repo' : 'Not a GitHub repository URL or an absolute local path' } }],
			},
		],
	};
}

/** The ref picker: the refs indexed for the chosen repository, or a name. */
export function refLocator(options: LocatorOptions): INodeProperties {
	return {
		displayName: 'Ref',
		name: REF_PARAMETER,
		type: 'resourceLocator',
		default: defaultOf(options, 'name'),
		required: options.required ?? true,
		description: options.description ?? 'Branch, tag or commit of the repository; the list shows the refs indexed for the chosen repository',
		displayOptions: fromVersion(options),
		modes: [
			{ displayName: 'From List', name: 'list', type: 'list', placeholder: 'Select an indexed ref…', typeOptions: { searchListMethod: 'searchRefs', searchable: true } },
			{ displayName: 'By Name', name: 'name', type: 'string', placeholder: 'main', hint: 'A branch, tag or commit' },
		],
	};
}

type ReadContext = Pick<IExecuteFunctions | ISupplyDataFunctions, 'getNodeParameter'>;

/** The repository and ref an item names: a picked or typed key, a URL (its /tree/<ref> fills an empty Ref), or an old text field. */
export function repositoryFrom(context: ReadContext, itemIndex: number, names = { repository: REPOSITORY_PARAMETER, ref: REF_PARAMETER }, fallbackRef = ''): { repoKey: string; ref: string } {
	const raw = context.getNodeParameter(names.repository, itemIndex, '') as unknown;
	const value = isLocator(raw) ? context.getNodeParameter(names.repository, itemIndex, '', { extractValue: true }) : raw;
	const location = locationOf(raw, String(value ?? ''));
	const ref = String(context.getNodeParameter(names.ref, itemIndex, fallbackRef, { extractValue: true }) ?? '').trim();
	if (location.ref && ref && location.ref !== ref) {
		throw new InvalidInputError(`The repository URL names ref "${location.ref}" but Ref is "${ref}"`, "Clear Ref to use the URL's ref, or use a URL without /tree/<ref>");
	}
	return { repoKey: location.repoKey, ref: ref || location.ref || fallbackRef };
}

/** Key (and URL ref) of a parameter value: text fields of earlier versions are taken as typed, a list pick is the index's own key, a typed key or URL is parsed. */
function locationOf(raw: unknown, value: string): { repoKey: string; ref?: string } {
	const text = value.trim();
	if (!isLocator(raw) || raw.mode === 'list' || !text) return { repoKey: text };
	return parseRepositoryLocation(text);
}

/** `listSearch` methods of the pickers (all nodes that show them register these). */
export const repositoryListSearch = {
	async searchRepositories(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		return { results: (await withListing(this, (listing) => listing.repositories({ filter }))).map(repositoryItem) };
	},
	async searchGitHubRepositories(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		const repositories = await withListing(this, (listing) => listing.repositories({ filter }));
		return { results: repositories.filter((repository) => repository.repoKey.startsWith('github:')).map(repositoryItem) };
	},
	async searchRefs(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		const { repoKey } = pickedRepository(this, 'The list shows the refs indexed for the repository in Repository; with an expression there, type the ref By Name');
		return { results: (await withListing(this, (listing) => listing.refs(repoKey, { filter }))).map((summary) => refItem(repoKey, summary)) };
	},
};

/** The repository (and a URL's ref) chosen on the node while a list loads; `instead` says what to do when none is chosen. */
export function pickedRepository(context: ILoadOptionsFunctions, instead: string): { repoKey: string; ref?: string } {
	const raw = context.getCurrentNodeParameter(REPOSITORY_PARAMETER) as unknown;
	let location: { repoKey: string; ref?: string };
	try {
		location = locationOf(raw, parameterText(raw));
	} catch (error) {
		throw new NodeOperationError(context.getNode(), error as Error, { description: (error as InvalidInputError).hint });
	}
	if (!location.repoKey || location.repoKey.startsWith('=')) throw new NodeOperationError(context.getNode(), 'Choose the repository first', { description: instead });
	return location;
}

/** Runs `read` on a listing over a one-connection pool from the node's MySQL credential. */
export async function withListing<T>(context: ILoadOptionsFunctions, read: (listing: IndexListing) => Promise<T>): Promise<T> {
	const pool = await migratedPoolFrom(context as unknown as Pick<IExecuteFunctions, 'getCredentials'>, 1);
	try {
		return await read(new IndexListing(pool));
	} finally {
		await pool.end();
	}
}

function repositoryItem(repository: IndexedRepository): INodeListSearchItems {
	const refs = repository.refs.length === 1 ? `ref ${repository.refs[0]}` : `${repository.refs.length} refs: ${repository.refs.join(', ')}`;
	return { name: repository.repoKey, value: repository.repoKey, url: githubWebUrl(repository.repoKey), description: `${refs}; ${repository.chunkCount} chunks; ${repository.embeddingModels.join(', ')}` };
}

function refItem(repoKey: string, summary: IndexedRefSummary): INodeListSearchItems {
	const commit = summary.commitSha ? `at ${summary.commitSha.slice(0, SHORT_SHA)}` : 'first sync not finished';
	return { name: summary.ref, value: summary.ref, url: githubWebUrl(repoKey, summary.ref), description: `${commit}; embedding model ${summary.embeddingModels.join(', ')}` };
}

/** Expression text for a node subtitle: the repository key of a text field or a picker. */
export const repositorySubtitle = `(typeof $parameter["${REPOSITORY_PARAMETER}"] === "object" ? $parameter["${REPOSITORY_PARAMETER}"].value : $parameter["${REPOSITORY_PARAMETER}"])`;
