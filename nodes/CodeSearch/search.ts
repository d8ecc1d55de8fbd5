import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type INodeProperties,
	type INodePropertyOptions,
	type ISupplyDataFunctions,
	type SupplyData,
} from 'n8n-workflow';
import { CodeSearch as CodeSearchCore, codeSearchTools, CodeSearchRetriever, type CallObserver } from '../../lib/agent';
import { indexedRepositoryProperties, retrieveProperties } from '../Retrieve/description';
import { resultCacheFrom, retrieveSettingsFrom, type RetrieveOptions } from '../Retrieve/request';
import { embeddingPropertiesSince, embeddingsInputsSince } from '../shared/descriptions';
import { chromaFrom, embedderFrom, mysqlStoresFrom } from '../shared/connections';
import { repoMindCredentialTests } from '../shared/credential-test';
import { reportNodeError } from '../shared/errors';
import { repositoryListSearch, repositorySubtitle } from '../shared/repository-locator';
import { embeddingModelListSearch, withModelPickers } from '../shared/embedding-model-locator';

export const SUPPLY: INodeProperties = {
	displayName: 'Use As',
	name: 'supply',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Tools for an AI Agent', value: 'tools', description: 'Search code, read a file, repository outline, similar files' },
		{ name: 'Retriever', value: 'retriever', description: 'Documents for a Question and Answer Chain' },
	],
	default: 'tools',
};

export const MAX_CHARS: INodeProperties = {
	displayName: 'Max Characters per Tool Answer',
	name: 'maxChars',
	type: 'number',
	default: 12000,
	typeOptions: { minValue: 500 },
	displayOptions: { show: { supply: ['tools'] } },
	description: 'Longer tool answers are cut at whole results so the agent prompt stays bounded',
};

/** Retrieve's parameters that Code Search shares: how to rank (the agent or chain asks the question); the repository pickers are its own (they came in version 1.2 here). */
const SHARED = new Set(['mode', 'topK', 'filters', 'rerank', 'options']);
const SEARCH_MODES = new Set(['hybrid', 'vector', 'lexical']);

/** Whether an option stays: only the search modes (other modes are tools here or work on items), no item shaping. */
function keptOption(property: INodeProperties, option: NonNullable<INodeProperties['options']>[number]): boolean {
	if (property.name === 'mode') return SEARCH_MODES.has(String((option as INodePropertyOptions).value));
	return !(property.name === 'options' && (option as INodeProperties).name === 'outputPerHit');
}

/** Whether Retrieve shows the property in its current version (version 1 kept the rerank URL in Options). */
function inCurrentRetrieve(property: INodeProperties): boolean {
	const versions = property.displayOptions?.show?.['@version'];
	return !versions || !versions.includes(1);
}

/** How to rank, as in Retrieve (the agent or chain asks the question). */
export const searchProperties: INodeProperties[] = retrieveProperties
	.filter((property) => SHARED.has(property.name) && inCurrentRetrieve(property))
	.map((property) => {
		const kept: INodeProperties = { ...property, displayOptions: withoutKeys(property.displayOptions, ['@version', 'mode']) };
		if (!kept.displayOptions) delete kept.displayOptions;
		return kept.options ? { ...kept, options: kept.options.filter((option) => keptOption(kept, option)) } : kept;
	});

/** Display conditions without those on the given parameters (Code Search's versions differ from Retrieve's; it has no Similar Code mode). */
function withoutKeys(displayOptions: INodeProperties['displayOptions'], keys: string[]): INodeProperties['displayOptions'] {
	if (!displayOptions) return undefined;
	const strip = (conditions?: Record<string, unknown>) => {
		const left = Object.entries(conditions ?? {}).filter(([name]) => !keys.includes(name));
		return left.length ? Object.fromEntries(left) : undefined;
	};
	const show = strip(displayOptions.show);
	const hide = strip(displayOptions.hide);
	return show || hide ? { ...(show && { show }), ...(hide && { hide }) } as INodeProperties['displayOptions'] : undefined;
}

/** The search parameters of a RepoMind search sub-node: repository pickers from `pickersSince`, Embeddings input from `embeddingsSince`, embedding model pickers from `modelPickerSince`. */
export function searchNodeProperties(pickersSince: number, embeddingsSince: number, modelPickerSince: number): INodeProperties[] {
	return [...indexedRepositoryProperties(pickersSince), ...searchProperties, ...withModelPickers(embeddingPropertiesSince(embeddingsSince), modelPickerSince)];
}

/** The optional Embeddings input of a search sub-node (it has no main input). */
export const searchInputs = (embeddingsSince: number) => embeddingsInputsSince(embeddingsSince, 'true', false);

export const searchMethods = { credentialTest: repoMindCredentialTests, listSearch: { ...repositoryListSearch, ...embeddingModelListSearch } };

export const searchSubtitle = repositorySubtitle;

/** What a RepoMind search sub-node supplies: the agent tools or a LangChain retriever over one indexed repository. */
export async function supplyCodeSearch(context: ISupplyDataFunctions, itemIndex: number, supply: 'tools' | 'retriever', embeddingsSince: number): Promise<SupplyData> {
	let stores: Awaited<ReturnType<typeof mysqlStoresFrom>> | undefined;
	try {
		const settings = await retrieveSettingsFrom(context, itemIndex, false);
		if (!settings.repoKey) throw new NodeOperationError(context.getNode(), 'Repository Key is empty', { itemIndex, description: 'Set it to the key the index knows, e.g. github:owner/repo' });
		const [vectors, embedder] = await Promise.all([chromaFrom(context), embedderFrom(context, itemIndex, embeddingsSince)]);
		stores = await mysqlStoresFrom(context);
		const options = context.getNodeParameter('options', itemIndex, {}) as RetrieveOptions;
		const codeSearch = new CodeSearchCore({ state: stores.state, vectors, embedder }, settings, resultCacheFrom(options, stores.state));
		const observer = observerOf(context);
		const response =
			supply === 'retriever'
				? new CodeSearchRetriever(codeSearch, observer)
				: toolkit(codeSearchTools(codeSearch, { maxChars: context.getNodeParameter('maxChars', itemIndex, 12000) as number }, observer));
		const open = stores;
		return { response, closeFunction: () => open.close() };
	} catch (error) {
		await stores?.close();
		throw reportNodeError(context, error, itemIndex);
	}
}

/** Shows each call's input and output on the node in n8n's editor, as n8n's own sub-nodes do. */
function observerOf(context: ISupplyDataFunctions): CallObserver {
	return (kind, input) => {
		const type = kind === 'retriever' ? NodeConnectionTypes.AiRetriever : NodeConnectionTypes.AiTool;
		const { index } = context.addInputData(type, [[{ json: input as IDataObject }]]);
		return (output) =>
			context.addOutputData(type, index, output instanceof Error ? new NodeOperationError(context.getNode(), output) : [[{ json: output as IDataObject }]]);
	};
}

/** n8n recognises several tools from one node by this shape (n8n-core's StructuredToolkit checks it, not the class). */
function toolkit<T>(tools: T[]): { tools: T[]; getTools(): T[] } {
	return { tools, getTools: () => tools };
}
