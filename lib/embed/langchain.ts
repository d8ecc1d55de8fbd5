import { InvalidInputError } from '../errors';
import type { Embedder } from '../types';
import { BatchingEmbedder, type BatchingOptions } from './batching';
import { embeddingError } from './errors';
import { endpointName, STRIP_NEWLINES_SUFFIX } from './model-id';
import { openAiModelId } from './openai';

/** What RepoMind uses of a LangChain Embeddings object (any copy of @langchain/core: n8n's sub-nodes bring their own). */
export interface LangChainEmbeddingsLike {
	embedDocuments(texts: string[]): Promise<number[][]>;
	embedQuery(text: string): Promise<number[]>;
}

/** Whether a value looks like a LangChain Embeddings object (what an n8n Embeddings sub-node supplies). */
export function isLangChainEmbeddings(value: unknown): value is LangChainEmbeddingsLike {
	if (typeof value !== 'object' || value === null) return false;
	const candidate = value as Partial<LangChainEmbeddingsLike>;
	return typeof candidate.embedDocuments === 'function' && typeof candidate.embedQuery === 'function';
}

/** The embedding space of a LangChain Embeddings object: who serves which model at which size. */
export interface EmbeddingSpace {
	/** `openai`, `azure-openai`, `ollama`, … (from the object's class). */
	provider: string;
	model: string;
	/** `host[:port]/path`, or the provider's public API when the object talks to it. */
	endpoint: string;
	/** Vector size when the object asks for one (OpenAI `dimensions`); probed otherwise where the id needs it. */
	dimensions?: number;
	/** Text the object changes before embedding (OpenAI's `stripNewLines`): other vectors for the same text. */
	stripsNewLines: boolean;
}

/** Providers whose SDK talks to one public API when no endpoint is set: class name -> [provider, API]. */
const HOSTED: Record<string, [string, string]> = {
	OpenAIEmbeddings: ['openai', 'api.openai.com/v1'],
	CohereEmbeddings: ['cohere', 'api.cohere.com'],
	GoogleGenerativeAIEmbeddings: ['google-genai', 'generativelanguage.googleapis.com'],
	MistralAIEmbeddings: ['mistral', 'api.mistral.ai'],
	HuggingFaceInferenceEmbeddings: ['hf-inference', 'router.huggingface.co'],
	BedrockEmbeddings: ['bedrock', 'bedrock-runtime.amazonaws.com'],
};

/** Known classes whose provider name differs from their class name. */
const PROVIDERS: Record<string, string> = { AzureOpenAIEmbeddings: 'azure-openai', OllamaEmbeddings: 'ollama' };

const SUPPORTED = 'Embeddings OpenAI, Azure OpenAI, Ollama, Cohere, Google Gemini, Mistral Cloud, Hugging Face Inference or AWS Bedrock';

type Fields = Record<string, unknown>;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value.trim() : undefined);

/** The class name of an object (through n8n's logging proxy, which forwards property reads). */
function className(embeddings: object): string {
	const ctor = (embeddings as { constructor?: { name?: unknown } }).constructor;
	return typeof ctor?.name === 'string' ? ctor.name : 'Object';
}

/** Where an object sends its requests, as `host[:port]/path`; undefined when it names no server. */
function endpointOf(fields: Fields, cls: string): string | undefined {
	const clientConfig = (fields.clientConfig ?? {}) as Fields;
	const url = text(clientConfig.baseURL) ?? text(fields.baseURL) ?? text(fields.baseUrl) ?? text(fields.endpointUrl) ?? text(fields.endpoint) ?? text(fields.azureOpenAIEndpoint) ?? text(fields.azureOpenAIBasePath);
	if (url) return endpointName(/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `https://${url}`);
	// The OpenAI SDK itself falls back to this variable when no base URL is given.
	if (cls === 'OpenAIEmbeddings' && text(process.env.OPENAI_BASE_URL)) return endpointName(process.env.OPENAI_BASE_URL as string);
	const instance = text(fields.azureOpenAIApiInstanceName);
	if (instance) return `${instance}.openai.azure.com`;
	return HOSTED[cls]?.[1];
}

/**
 * The embedding space a LangChain Embeddings object works in, from its class and fields (model,
 * dimensions, base URL). Throws when the model or server cannot be told, rather than guessing an
 * identity that two different spaces could share.
 */
export function embeddingSpaceOf(embeddings: object): EmbeddingSpace {
	const fields = embeddings as Fields;
	const cls = className(embeddings);
	const provider = HOSTED[cls]?.[0] ?? PROVIDERS[cls] ?? cls.replace(/Embeddings$/, '').toLowerCase();
	const model = text(fields.azureOpenAIApiDeploymentName) ?? text(fields.model) ?? text(fields.modelName) ?? text(fields.modelId);
	if (!model) {
		throw new InvalidInputError(`The connected embeddings sub-node (${cls}) does not name its model`, `Set the Model on the Embeddings sub-node, or choose one of RepoMind's Embedding Providers instead of the sub-node`);
	}
	const endpoint = endpointOf(fields, cls);
	if (!endpoint) {
		throw new InvalidInputError(`RepoMind cannot tell which server the connected embeddings sub-node (${cls}) uses`, `Set the sub-node's base URL or endpoint, use one of ${SUPPORTED}, or choose one of RepoMind's Embedding Providers`);
	}
	const dimensions = typeof fields.dimensions === 'number' && fields.dimensions > 0 ? fields.dimensions : undefined;
	return { provider, model, endpoint, dimensions, stripsNewLines: fields.stripNewLines === true };
}

/**
 * The model id of a space: OpenAI's is the one RepoMind's own OpenAI-compatible provider gives the
 * same model, size and base URL (same requests, same vectors, one collection and cache); every other
 * provider's names its vector size, probed when the object does not set it.
 */
export function langChainModelId(space: EmbeddingSpace): string {
	const suffix = space.stripsNewLines ? STRIP_NEWLINES_SUFFIX : '';
	if (space.provider === 'openai') return `${openAiModelId(space.model, `http://${space.endpoint}`, space.dimensions)}${suffix}`;
	if (!space.dimensions) throw new InvalidInputError(`The vector size of ${space.provider}:${space.model} is unknown`, 'Probe it by embedding one text first (createLangChainEmbedder does)');
	return `${space.provider}:${space.model}:${space.dimensions}@${space.endpoint}${suffix}`;
}

/** An n8n Embeddings sub-node's LangChain object as a RepoMind embedder; one embedDocuments call per `embed`. */
export class LangChainEmbedder implements Embedder {
	constructor(
		private readonly embeddings: LangChainEmbeddingsLike,
		readonly modelId: string,
		private readonly target: string,
	) {}

	/** Embed texts (queries too, as RepoMind's own providers do); errors become RepoMind errors. */
	async embed(texts: string[]): Promise<number[][]> {
		if (texts.length === 0) return [];
		try {
			return await this.embeddings.embedDocuments(texts);
		} catch (error) {
			throw embeddingError(error, { modelId: this.modelId, target: this.target });
		}
	}
}

/** Batching for sub-nodes: they retry on their own (LangChain's caller), so RepoMind does not retry again. */
const LANGCHAIN_BATCHING: BatchingOptions = { batchSize: 64, concurrency: 2, retries: 0 };

/**
 * A batching embedder over a LangChain Embeddings object, its id derived from the object
 * (embeddingSpaceOf); the vector size is probed with one short text when the id needs it.
 */
export async function createLangChainEmbedder(embeddings: LangChainEmbeddingsLike, options: BatchingOptions = {}): Promise<BatchingEmbedder> {
	const space = embeddingSpaceOf(embeddings);
	const target = `${space.provider} at ${space.endpoint}`;
	if (space.provider !== 'openai' && !space.dimensions) {
		const [probe] = await new LangChainEmbedder(embeddings, `${space.provider}:${space.model}`, target).embed(['RepoMind vector size probe']);
		if (!Array.isArray(probe) || probe.length === 0) {
			throw new InvalidInputError(`The connected embeddings sub-node (${space.provider}:${space.model}) answered no vector`, 'Check that the model is an embedding model and that the server answers');
		}
		space.dimensions = probe.length;
	}
	const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
	return new BatchingEmbedder(new LangChainEmbedder(embeddings, langChainModelId(space), target), { ...LANGCHAIN_BATCHING, ...given });
}
