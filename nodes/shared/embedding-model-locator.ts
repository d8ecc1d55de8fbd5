import type { ILoadOptionsFunctions, INodeListSearchResult, INodeProperties } from 'n8n-workflow';
import { modelChoices, type IndexedModelProvider } from '../../lib/embed/indexed-model';
import { parameterText } from './locator-value';
import { beforeVersion, pickedRepository, REF_PARAMETER, withListing } from './repository-locator';

/** The provider Model fields that become pickers, by the provider each belongs to. */
const MODEL_FIELDS: Record<string, IndexedModelProvider> = { openAiModel: 'openai', huggingFaceModel: 'huggingface', onnxModel: 'onnx' };

/** The provider parameter's value for each provider (the Embedding Provider options). */
const PROVIDERS: Record<string, IndexedModelProvider> = { openAiCompatible: 'openai', huggingFace: 'huggingface', onnx: 'onnx' };

/**
 * Embedding parameters of a node that queries an index: from version `since` on each provider's Model
 * field picks from the models the chosen repository and ref are indexed with (or takes a name);
 * earlier versions keep their text fields.
 */
export function withModelPickers(properties: INodeProperties[], since: number): INodeProperties[] {
	return properties.flatMap((property) => {
		if (!(property.name in MODEL_FIELDS)) return [property];
		const show = property.displayOptions?.show;
		const picked: INodeProperties = {
			displayName: property.displayName,
			name: property.name,
			type: 'resourceLocator',
			default: { mode: 'list', value: '' },
			required: true,
			description: `The model the repository and ref were indexed with: the list shows those of this provider${property.description ? `. ${property.description}` : ''}`,
			displayOptions: { ...property.displayOptions, show: { ...show, '@version': [{ _cnd: { gte: since } }] } },
			modes: [
				{ displayName: 'From List', name: 'list', type: 'list', placeholder: 'Select the model of the index…', typeOptions: { searchListMethod: 'searchEmbeddingModels', searchable: true } },
				{ displayName: 'By Name', name: 'name', type: 'string', placeholder: String(property.default), hint: 'The model name the provider takes' },
			],
		};
		return [...beforeVersion([property], since), picked];
	});
}

/** `listSearch` of the Model pickers (nodes that show them register it). */
export const embeddingModelListSearch = {
	async searchEmbeddingModels(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		const location = pickedRepository(this, 'The list shows the embedding models the repository in Repository is indexed with; with an expression there, type the model By Name');
		const ref = pickedRef(this) ?? location.ref;
		const provider = PROVIDERS[String(this.getCurrentNodeParameter('embeddingProvider') ?? '')] ?? 'unknown';
		const modelIds = await withListing(this, (listing) => listing.embeddingModels(location.repoKey, ref));
		return { results: modelChoices(provider, modelIds, ref ? `${location.repoKey} at ${ref}` : location.repoKey, filter) };
	},
};

/** The ref picked or typed on the node; undefined when empty or an expression (then every indexed ref counts). */
function pickedRef(context: ILoadOptionsFunctions): string | undefined {
	const value = parameterText(context.getCurrentNodeParameter(REF_PARAMETER)).trim();
	return value && !value.startsWith('=') ? value : undefined;
}
