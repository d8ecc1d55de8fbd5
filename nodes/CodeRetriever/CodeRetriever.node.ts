import { NodeConnectionTypes, type INodeType, type INodeTypeDescription, type ISupplyDataFunctions, type SupplyData } from 'n8n-workflow';
import { searchCredentials } from '../Retrieve/description';
import { searchInputs, searchMethods, searchNodeProperties, searchSubtitle, supplyCodeSearch } from '../CodeSearch/search';

/** The first version that picks the embedding model from those the index was built with. */
const MODEL_PICKER_SINCE = 1.1;

/**
 * An indexed repository as a LangChain retriever, for the Question and Answer Chain and other root
 * nodes with a Retriever slot. Its own node (not Code Search's "Use As") because n8n's editor offers
 * in a Retriever slot only nodes whose outputs are a fixed `ai_retriever` list.
 */
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool -- a retriever sub-node, not a tool
export class CodeRetriever implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RepoMind Code Retriever',
		name: 'repoMindCodeRetriever',
		icon: 'file:codeRetriever.svg',
		group: ['transform'],
		version: [1, MODEL_PICKER_SINCE],
		defaultVersion: MODEL_PICKER_SINCE,
		subtitle: `={{${searchSubtitle}}}`,
		description: 'An indexed repository as a retriever for a chain: code chunks with path, lines and score (read only)',
		defaults: { name: 'RepoMind Code Retriever' },
		inputs: searchInputs(1),
		outputs: [{ type: NodeConnectionTypes.AiRetriever, displayName: 'Retriever' }],
		credentials: searchCredentials,
		properties: searchNodeProperties(1, 1, MODEL_PICKER_SINCE),
	};

	methods = searchMethods;

	async supplyData(this: ISupplyDataFunctions, itemIndex: number): Promise<SupplyData> {
		return await supplyCodeSearch(this, itemIndex, 'retriever', 1);
	}
}
