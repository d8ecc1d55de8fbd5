import { STRIP_NEWLINES_SUFFIX } from './model-id';

/** The embedders RepoMind can tell apart by the embedding model id they give an index. */
export type IndexedModelProvider = 'openai' | 'huggingface' | 'onnx' | 'hash' | 'static' | 'worker' | 'subNode' | 'unknown';

/** An index's embedding model id read back: which embedder made it and the name its Model field takes. */
export interface IndexedModel {
	modelId: string;
	provider: IndexedModelProvider;
	/** The model as the id names it (for a local ONNX folder: the folder's name only). */
	model?: string;
	/** The value the provider's Model field takes to give this id again; absent when the id does not tell it. */
	modelField?: string;
	dimensions?: number;
	/** `host[:port]/path` of the server the index was embedded through, when the id names it. */
	endpoint?: string;
	/** Why the id does not map back to a Model field value (said instead of guessing). */
	unmapped?: string;
	/** The same in a few words, for a list entry's name. */
	unmappedShort?: string;
}

/** A readable name of each provider, as the Embedding Provider parameter shows it. */
export const PROVIDER_NAMES: Record<IndexedModelProvider, string> = {
	openai: 'OpenAI-Compatible API',
	huggingface: 'Hugging Face',
	onnx: 'Local ONNX Model',
	hash: 'Feature Hashing',
	static: 'Static GloVe',
	worker: 'RepoMind Embeddings Worker',
	subNode: 'an n8n Embeddings sub-node',
	unknown: 'an unknown embedder',
};

/** Reads an embedding model id (as OpenAIEmbedder, HuggingFaceEmbedder, OnnxEmbedder, … and langChainModelId build it) back into provider and model. */
export function indexedModelOf(modelId: string): IndexedModel {
	const colon = modelId.indexOf(':');
	const prefix = colon < 0 ? '' : modelId.slice(0, colon);
	const rest = modelId.slice(colon + 1);
	switch (prefix) {
		case 'openai':
			return openAiModelOf(modelId, rest);
		case 'hf':
			return huggingFaceModelOf(modelId, rest);
		case 'onnx':
			return onnxModelOf(modelId, rest);
		case 'hash':
			return { modelId, provider: 'hash', dimensions: /^\d+$/.test(rest) ? Number(rest) : undefined };
		case 'static':
			return { modelId, provider: 'static', model: rest };
		case 'worker':
			return { modelId, provider: 'worker', model: rest.split(':')[0] };
		case '':
			return { modelId, provider: 'unknown', unmapped: 'RepoMind does not know this id', unmappedShort: 'unknown id' };
		default:
			return subNodeModelOf(modelId, prefix, rest);
	}
}

/** `openai:<model>[:<dimensions>][@<endpoint>][#strip-newlines]` (openAiModelId; a sub-node's adds the suffix). */
function openAiModelOf(modelId: string, text: string): IndexedModel {
	const stripped = text.endsWith(STRIP_NEWLINES_SUFFIX);
	const body = stripped ? text.slice(0, -STRIP_NEWLINES_SUFFIX.length) : text;
	const at = body.lastIndexOf('@');
	const endpoint = at < 0 ? undefined : body.slice(at + 1);
	const named = at < 0 ? body : body.slice(0, at);
	const sized = /^(.+):(\d+)$/.exec(named);
	const model = sized ? sized[1] : named;
	const dimensions = sized ? Number(sized[2]) : undefined;
	const found: IndexedModel = { modelId, provider: 'openai', model, dimensions, endpoint };
	if (stripped) return { ...found, provider: 'subNode', unmapped: 'Embedded by an n8n Embeddings sub-node that strips new lines; RepoMind\'s provider keeps them, so its vectors differ: connect the same sub-node', unmappedShort: 'a sub-node that strips new lines, connect it' };
	return { ...found, modelField: model };
}

/** `hf:<model>` or `hf:<endpoint>` of a text-embeddings-inference server (HuggingFaceEmbedder). */
function huggingFaceModelOf(modelId: string, text: string): IndexedModel {
	const host = text.split('/')[0];
	if (host.includes('.') || host.includes(':') || host === 'localhost') {
		return { modelId, provider: 'huggingface', endpoint: text, unmapped: `Embedded through the endpoint ${text}, whose model the id does not name: use a Hugging Face credential with that Endpoint URL (the Model field is then not read)`, unmappedShort: 'an endpoint, set its URL in the credential' };
	}
	return { modelId, provider: 'huggingface', model: text, modelField: text };
}

/** `onnx:<hub name>` or `onnx:<folder name>@<fingerprint>`, plus `:<dtype>` and `:unnormalized` (OnnxEmbedder). */
function onnxModelOf(modelId: string, text: string): IndexedModel {
	const match = /^(.*?)(?:@([0-9a-f]{12}))?((?::[A-Za-z0-9_-]+)*)$/.exec(text) as RegExpExecArray;
	const [, model, fingerprint, suffixes] = match;
	const found: IndexedModel = { modelId, provider: 'onnx', model };
	const settings = suffixes.split(':').filter(Boolean);
	if (settings.length > 0) return { ...found, unmapped: `Embedded with ${settings.join(', ')} (not fp32, normalised): this node runs the model in fp32 with normalised vectors, which would not match`, unmappedShort: `${settings.join(', ')}; this node runs fp32` };
	if (fingerprint) return { ...found, unmapped: `A local model folder named ${model}: the index keeps its name and fingerprint (${fingerprint}), not its path; type the folder's path By Name`, unmappedShort: 'a local folder, type its path By Name' };
	return { ...found, modelField: model };
}

/** `<provider>:<model>:<dimensions>@<endpoint>` of an n8n Embeddings sub-node (langChainModelId). */
function subNodeModelOf(modelId: string, provider: string, text: string): IndexedModel {
	const match = /^(.+):(\d+)@([^@]+?)(?:#strip-newlines)?$/.exec(text);
	const found: IndexedModel = { modelId, provider: 'subNode', model: match?.[1] ?? text, dimensions: match ? Number(match[2]) : undefined, endpoint: match?.[3] };
	return { ...found, unmapped: `Embedded by an n8n Embeddings sub-node (${provider}): connect the same sub-node with the same model`, unmappedShort: `an n8n ${provider} sub-node, connect it` };
}

/** A list entry of the Model picker: `value` is what the Model field takes ('' when the entry only informs). */
export interface ModelChoice {
	name: string;
	value: string;
	description: string;
}

/**
 * The Model field choices of `provider` among the embedding models an index was built with, readable
 * and with the reasons an id cannot be picked (in the name: n8n's list shows names only); one entry
 * saying what to do when there is nothing of that provider. `where` names the index (e.g. `github:o/r at main`).
 */
export function modelChoices(provider: IndexedModelProvider, modelIds: string[], where: string, filter = ''): ModelChoice[] {
	const models = modelIds.map(indexedModelOf);
	if (models.length === 0) {
		return [{ name: `No index of ${where} yet: index it first`, value: '', description: 'Sync it with RepoMind Vector Store (Sync Repository) and this embedding provider, then pick the model here; or type the model By Name' }];
	}
	const mine = models.filter((model) => model.provider === provider);
	if (mine.length === 0) {
		const others = models.map((model) => `${model.modelId} (${PROVIDER_NAMES[model.provider]})`).join(', ');
		return [{ name: `No index of ${where} uses ${PROVIDER_NAMES[provider]}; it is indexed with ${others}`, value: '', description: `Choose that Embedding Provider, or index it with this one first` }];
	}
	const needle = filter.trim().toLowerCase();
	return mine.map(choiceOf).filter((choice) => !needle || `${choice.name} ${choice.description}`.toLowerCase().includes(needle));
}

function choiceOf(model: IndexedModel): ModelChoice {
	if (model.unmapped) return { name: `${model.model ?? model.modelId} (cannot be picked: ${model.unmappedShort})`, value: '', description: `${model.unmapped}. Index id: ${model.modelId}` };
	const details = [
		model.dimensions ? `Dimensions ${model.dimensions} (set Dimensions to ${model.dimensions})` : '',
		model.endpoint ? `embedded through ${model.endpoint}: the credential's base URL must point there` : '',
		`index id ${model.modelId}`,
	];
	const name = model.dimensions ? `${model.modelField} (Dimensions ${model.dimensions})` : (model.modelField as string);
	return { name, value: model.modelField as string, description: details.filter(Boolean).join('; ') };
}
