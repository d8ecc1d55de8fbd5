import { hashEmbedding } from '../../lib/embed';

/** Shaped like @langchain/ollama's OllamaEmbeddings (what n8n's Embeddings Ollama sub-node supplies), answering 16-d hash vectors; records what it is asked to embed. */
export class OllamaEmbeddings {
	model = 'nomic-embed-text';
	baseUrl = 'http://127.0.0.1:11434';
	texts: string[] = [];
	async embedDocuments(texts: string[]) {
		this.texts.push(...texts);
		return texts.map((text) => hashEmbedding(text, 16));
	}
	async embedQuery(text: string) {
		return (await this.embedDocuments([text]))[0];
	}
}
