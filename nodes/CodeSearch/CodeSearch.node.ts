import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type INodeProperties,
	type INodePropertyOptions,
	type INodeType,
	type INodeTypeDescription,
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

/** The first version with an Embeddings input. */
const EMBEDDINGS_SINCE = 1.1;

const SUPPLY: INodeProperties = {
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

const MAX_CHARS: INodeProperties = {
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

/** The first version that picks the repository and ref from the index (1.1 added the Embeddings input). */
const PICKERS_SINCE = 1.2;

/** Version 1 typed the repository key and ref; later versions pick them from the index. */
const repositoryProperties = indexedRepositoryProperties(PICKERS_SINCE);

const searchProperties: INodeProperties[] = retrieveProperties
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

// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool -- a sub-node that supplies tools itself
export class CodeSearch implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RepoMind Code Search',
		name: 'repoMindCodeSearch',
		icon: 'file:codeSearch.svg',
		group: ['transform'],
		version: [1, 1.1, PICKERS_SINCE],
		defaultVersion: PICKERS_SINCE,
		subtitle: `={{$parameter["supply"] + ": " + ${repositorySubtitle}}}`,
		description: 'An indexed repository as tools for an AI Agent or as a retriever for a chain (read only)',
		defaults: { name: 'RepoMind Code Search' },
		inputs: embeddingsInputsSince(EMBEDDINGS_SINCE, 'true', false),
		outputs: `={{ $parameter.supply === 'retriever' ? [{ type: '${NodeConnectionTypes.AiRetriever}', displayName: 'Retriever' }] : [{ type: '${NodeConnectionTypes.AiTool}', displayName: 'Tools' }] }}`,
		credentials: [
			{ name: 'repoMindChromaApi', displayName: 'Chroma Server', required: true },
			// eslint-disable-next-line n8n-nodes-base/node-class-description-credentials-name-unsuffixed -- a database credential, like n8n's mySql; renaming breaks saved workflows
			{ name: 'repoMindMySql', displayName: 'MySQL for Index State', required: true, testedBy: 'repoMindMySqlConnectionTest' },
			{ name: 'repoMindOpenAiApi', displayName: 'Embeddings API', required: true, testedBy: 'repoMindOpenAiConnectionTest', displayOptions: { show: { embeddingProvider: ['openAiCompatible'] } } },
			{ name: 'repoMindHuggingFaceApi', displayName: 'Embeddings API (Hugging Face)', required: true, testedBy: 'repoMindHuggingFaceConnectionTest', displayOptions: { show: { embeddingProvider: ['huggingFace'] } } },
			{ name: 'repoMindEmbeddingsWorkerApi', displayName: 'Embeddings Worker', required: true, testedBy: 'repoMindEmbeddingsWorkerConnectionTest', displayOptions: { show: { embeddingProvider: ['embeddingsWorker'] } } },
			{ name: 'repoMindRerankApi', displayName: 'Rerank Server', required: true, displayOptions: { show: { rerank: [true] } } },
		],
		properties: [SUPPLY, ...repositoryProperties, ...searchProperties, ...embeddingPropertiesSince(EMBEDDINGS_SINCE), MAX_CHARS],
	};

	methods = { credentialTest: repoMindCredentialTests, listSearch: repositoryListSearch };

	async supplyData(this: ISupplyDataFunctions, itemIndex: number): Promise<SupplyData> {
		let stores: Awaited<ReturnType<typeof mysqlStoresFrom>> | undefined;
		try {
			const settings = await retrieveSettingsFrom(this, itemIndex, false);
			if (!settings.repoKey) throw new NodeOperationError(this.getNode(), 'Repository Key is empty', { itemIndex, description: 'Set it to the key the index knows, e.g. github:owner/repo' });
			const [vectors, embedder] = await Promise.all([chromaFrom(this), embedderFrom(this, itemIndex, EMBEDDINGS_SINCE)]);
			stores = await mysqlStoresFrom(this);
			const options = this.getNodeParameter('options', itemIndex, {}) as RetrieveOptions;
			const codeSearch = new CodeSearchCore({ state: stores.state, vectors, embedder }, settings, resultCacheFrom(options, stores.state));
			const supply = this.getNodeParameter('supply', itemIndex, 'tools') as string;
			const observer = observerOf(this);
			const response =
				supply === 'retriever'
					? new CodeSearchRetriever(codeSearch, observer)
					: toolkit(codeSearchTools(codeSearch, { maxChars: this.getNodeParameter('maxChars', itemIndex, 12000) as number }, observer));
			const open = stores;
			return { response, closeFunction: () => open.close() };
		} catch (error) {
			await stores?.close();
			throw reportNodeError(this, error, itemIndex);
		}
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
