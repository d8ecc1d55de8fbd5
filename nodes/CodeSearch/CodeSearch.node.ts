import { NodeConnectionTypes, type INodeType, type INodeTypeDescription, type ISupplyDataFunctions, type SupplyData } from 'n8n-workflow';
import { searchCredentials } from '../Retrieve/description';
import { MAX_CHARS, searchInputs, searchMethods, searchNodeProperties, searchSubtitle, supplyCodeSearch, SUPPLY } from './search';

/** The first version with an Embeddings input. */
const EMBEDDINGS_SINCE = 1.1;

/** The first version that picks the repository and ref from the index (1.1 added the Embeddings input). */
const PICKERS_SINCE = 1.2;

/** The first version that picks the embedding model from those the index was built with. */
const MODEL_PICKER_SINCE = 1.3;

// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool -- a sub-node that supplies tools itself
export class CodeSearch implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RepoMind Code Search',
		name: 'repoMindCodeSearch',
		icon: 'file:codeSearch.svg',
		group: ['transform'],
		version: [1, EMBEDDINGS_SINCE, PICKERS_SINCE, MODEL_PICKER_SINCE],
		defaultVersion: MODEL_PICKER_SINCE,
		subtitle: `={{$parameter["supply"] + ": " + ${searchSubtitle}}}`,
		description: 'An indexed repository as tools for an AI Agent (search code, read a file, outline, similar files; read only)',
		defaults: { name: 'RepoMind Code Search' },
		inputs: searchInputs(EMBEDDINGS_SINCE),
		// A saved Code Search may supply a retriever (Use As); new retrievers are RepoMind Code Retriever, whose fixed output n8n's Retriever slot lists.
		outputs: `={{ $parameter.supply === 'retriever' ? [{ type: '${NodeConnectionTypes.AiRetriever}', displayName: 'Retriever' }] : [{ type: '${NodeConnectionTypes.AiTool}', displayName: 'Tools' }] }}`,
		credentials: searchCredentials,
		properties: [SUPPLY, ...searchNodeProperties(PICKERS_SINCE, EMBEDDINGS_SINCE, MODEL_PICKER_SINCE), MAX_CHARS],
	};

	methods = searchMethods;

	async supplyData(this: ISupplyDataFunctions, itemIndex: number): Promise<SupplyData> {
		const supply = this.getNodeParameter('supply', itemIndex, 'tools') === 'retriever' ? 'retriever' : 'tools';
		return await supplyCodeSearch(this, itemIndex, supply, EMBEDDINGS_SINCE);
	}
}
