import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OpenAIEmbeddings } from '@langchain/openai';
import { createEmbedder } from '../../lib/embed';
import { createLangChainEmbedder, embeddingSpaceOf, isLangChainEmbeddings } from '../../lib/embed/langchain';
import { InvalidInputError, ServiceError } from '../../lib/errors';
import { ChromaVectorStore } from '../../lib/vector/chroma';

const openAi = (fields: ConstructorParameters<typeof OpenAIEmbeddings>[0] = {}, baseURL?: string) =>
	new OpenAIEmbeddings({ model: 'text-embedding-3-small', apiKey: 'sk-test', ...fields, configuration: { baseURL } });

/** Shaped like @langchain/ollama's OllamaEmbeddings (model, baseUrl, dimensions), answering vectors of `size` and counting calls. */
class OllamaEmbeddings {
	calls: string[][] = [];
	model = 'mxbai-embed-large';
	baseUrl = 'http://localhost:11434';
	dimensions?: number;
	constructor(
		fields: { model?: string; baseUrl?: string; dimensions?: number },
		private readonly size = 5,
	) {
		Object.assign(this, fields);
	}
	async embedDocuments(texts: string[]): Promise<number[][]> {
		this.calls.push(texts);
		return texts.map((text) => Array.from({ length: this.size }, (_, i) => text.length + i));
	}
	async embedQuery(text: string): Promise<number[]> {
		return (await this.embedDocuments([text]))[0];
	}
}

/** n8n wraps every sub-node's object in a logging Proxy that forwards property reads. */
const logWrapped = <T extends object>(target: T): T => new Proxy(target, { get: (object, property) => Reflect.get(object, property) });

const idOf = async (embeddings: Parameters<typeof createLangChainEmbedder>[0]) => (await createLangChainEmbedder(embeddings)).modelId;

describe('embedding space of a LangChain Embeddings object (n8n Embeddings sub-nodes)', () => {
	it('recognises LangChain embeddings objects only', () => {
		assert.ok(isLangChainEmbeddings(openAi()));
		assert.ok(isLangChainEmbeddings(logWrapped(new OllamaEmbeddings({}))));
		assert.equal(isLangChainEmbeddings({ embedDocuments: () => [] }), false);
		assert.equal(isLangChainEmbeddings(undefined), false);
	});

	it('OpenAI: the same model, size and base URL sent unchanged is the space of RepoMind own OpenAI-compatible provider', async () => {
		const base = 'http://127.0.0.1:9/v1';
		const own = createEmbedder({ provider: 'openai', model: 'text-embedding-3-small', apiKey: 'sk-other', baseURL: base, dimensions: 256 });
		assert.equal(await idOf(logWrapped(openAi({ stripNewLines: false, dimensions: 256 }, base))), own.modelId);
		assert.equal(await idOf(openAi({ stripNewLines: false })), 'openai:text-embedding-3-small', 'OpenAI itself keeps the short id');
		assert.equal(await idOf(openAi({ stripNewLines: false }, 'https://api.openai.com/v1/')), 'openai:text-embedding-3-small');
	});

	it('OpenAI: another server, size, model or newline handling is another space', async () => {
		const ids = await Promise.all([
			idOf(openAi({ stripNewLines: false }, 'http://gpu-a:8080/v1')),
			idOf(openAi({ stripNewLines: false }, 'http://gpu-b:8080/v1')),
			idOf(openAi({ stripNewLines: false, dimensions: 512 }, 'http://gpu-a:8080/v1')),
			idOf(openAi({ stripNewLines: false, model: 'text-embedding-3-large' }, 'http://gpu-a:8080/v1')),
			idOf(openAi({}, 'http://gpu-a:8080/v1')),
		]);
		assert.equal(new Set(ids).size, ids.length, ids.join('\n'));
		assert.equal(ids[4], 'openai:text-embedding-3-small@gpu-a:8080/v1#strip-newlines', 'LangChain strips newlines by default: other vectors for the same chunk text');
		const collections = ids.map((id) => ChromaVectorStore.collectionName('github:o/r', id));
		assert.equal(new Set(collections).size, ids.length);
	});

	it('Ollama: the vector size is probed once and named in the id with model and server', async () => {
		const ollama = new OllamaEmbeddings({ model: 'nomic-embed-text', baseUrl: 'http://127.0.0.1:11434/' }, 7);
		const embedder = await createLangChainEmbedder(logWrapped(ollama));
		assert.equal(embedder.modelId, 'ollama:nomic-embed-text:7@127.0.0.1:11434');
		assert.equal(ollama.calls.length, 1, 'one probe');
		const vectors = await embedder.embed(['a', 'bb']);
		assert.deepEqual(vectors.map((vector) => vector.length), [7, 7]);
		assert.equal(await idOf(new OllamaEmbeddings({ model: 'nomic-embed-text', baseUrl: 'http://other:11434' }, 7)), 'ollama:nomic-embed-text:7@other:11434');
		assert.equal(await idOf(new OllamaEmbeddings({ model: 'nomic-embed-text', baseUrl: 'http://127.0.0.1:11434' }, 9)), 'ollama:nomic-embed-text:9@127.0.0.1:11434', 'same name, other size: another space');
		const sized = new OllamaEmbeddings({ model: 'qwen3-embedding', dimensions: 256 }, 256);
		assert.equal(await idOf(sized), 'ollama:qwen3-embedding:256@localhost:11434');
		assert.equal(sized.calls.length, 0, 'a requested size needs no probe');
	});

	it('Azure OpenAI: the deployment and the resource name the space', () => {
		class AzureOpenAIEmbeddings extends OllamaEmbeddings {
			azureOpenAIApiDeploymentName = 'embed-small';
			azureOpenAIApiInstanceName = 'contoso';
		}
		const space = embeddingSpaceOf(new AzureOpenAIEmbeddings({ model: 'text-embedding-3-small', baseUrl: '' }));
		assert.deepEqual({ ...space }, { provider: 'azure-openai', model: 'embed-small', endpoint: 'contoso.openai.azure.com', dimensions: undefined, stripsNewLines: false });
	});

	it('fails with what to set when the model or the server cannot be told, never guessing', async () => {
		class CustomEmbeddings {
			model?: string;
			async embedDocuments(texts: string[]) {
				return texts.map(() => [1]);
			}
			async embedQuery() {
				return [1];
			}
		}
		const noServer = Object.assign(new CustomEmbeddings(), { model: 'm' });
		await assert.rejects(createLangChainEmbedder(noServer), (error: InvalidInputError) => error instanceof InvalidInputError && /cannot tell which server .*CustomEmbeddings/.test(error.message) && /base URL or endpoint/.test(error.hint ?? ''));
		await assert.rejects(createLangChainEmbedder(new CustomEmbeddings()), (error: InvalidInputError) => error instanceof InvalidInputError && /does not name its model/.test(error.message) && /Set the Model/.test(error.hint ?? ''));
		const withServer = Object.assign(new CustomEmbeddings(), { model: 'm', baseURL: 'http://10.0.0.5:7000/v1' });
		assert.equal(await idOf(withServer), 'custom:m:1@10.0.0.5:7000/v1');
	});

	it('batches like the other embedders, keeps order and turns sub-node failures into RepoMind errors', async () => {
		const ollama = new OllamaEmbeddings({ dimensions: 5 });
		const embedder = await createLangChainEmbedder(ollama, { batchSize: 2 });
		const texts = ['a', 'bb', 'ccc', 'dddd', 'eeeee'];
		const vectors = await embedder.embed(texts);
		assert.deepEqual(ollama.calls.map((batch) => batch.length).sort(), [1, 2, 2]);
		assert.deepEqual(vectors.map((vector) => vector[0]), [1, 2, 3, 4, 5]);
		ollama.embedDocuments = async () => {
			throw Object.assign(new Error('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:11434'), { code: 'ECONNREFUSED' }) });
		};
		await assert.rejects(embedder.embed(['x']), (error: Error) => error instanceof ServiceError && /ollama:mxbai-embed-large:5@localhost:11434/.test(error.message));
	});
});
