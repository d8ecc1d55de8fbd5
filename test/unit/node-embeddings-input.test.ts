import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NodeHelpers, Workflow, type INodeParameters, type INodeType, type INodeTypes } from 'n8n-workflow';
import { hashEmbedding } from '../../lib/embed';
import { OllamaEmbeddings } from '../support/ollama-embeddings';
import { Embed } from '../../nodes/Embed/Embed.node.js';
import { Retrieve } from '../../nodes/Retrieve/Retrieve.node.js';
import { VectorStore } from '../../nodes/VectorStore/VectorStore.node.js';
import { runNode, runNodeOk } from '../support/fake-execute';

/** The node's inputs as n8n computes them for a saved node of this version and parameters. */
function inputsOf(type: INodeType, typeVersion: number, parameters: INodeParameters = {}): unknown[] {
	const nodeTypes = { getByName: () => type, getByNameAndVersion: () => type, getKnownTypes: () => ({}) } as unknown as INodeTypes;
	const node = { id: '1', name: 'Node', type: `n8n-nodes-repomind.${type.description.name}`, typeVersion, position: [0, 0] as [number, number], parameters };
	return NodeHelpers.getNodeInputs(new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes }), node, type.description);
}

const EMBEDDINGS_INPUT = { type: 'ai_embedding', displayName: 'Embeddings', required: false, maxConnections: 1 };

describe('Embeddings input of Embed, Vector Store and Retrieve', () => {
	it('only the new versions have the optional Embeddings input; saved older versions keep one input', () => {
		assert.deepEqual(inputsOf(new Embed(), 1), ['main']);
		assert.deepEqual(inputsOf(new Embed(), 1.1), ['main', EMBEDDINGS_INPUT]);
		assert.deepEqual(inputsOf(new Retrieve(), 1.1), ['main']);
		assert.deepEqual(inputsOf(new Retrieve(), 1.2), ['main', EMBEDDINGS_INPUT]);
		assert.deepEqual(inputsOf(new VectorStore(), 1), ['main']);
		assert.deepEqual(inputsOf(new VectorStore(), 1.1), ['main', EMBEDDINGS_INPUT], 'Sync Repository is the default operation');
		assert.deepEqual(inputsOf(new VectorStore(), 1.1, { operation: 'query' }), ['main'], 'Query takes vectors from its items');
		for (const type of [new Embed(), new Retrieve(), new VectorStore()]) assert.equal(type.description.defaultVersion, Math.max(...(type.description.version as number[])));
	});

	it('Embed 1.1 embeds through the connected sub-node and names its space in embeddingModel', async () => {
		const embeddings = new OllamaEmbeddings();
		const output = await runNodeOk(new Embed(), { typeVersion: 1.1, items: [{ embeddingText: 'const a = 1' }, { embeddingText: 'parseGlob(pattern)' }], parameters: {}, connections: { ai_embedding: embeddings } });
		assert.deepEqual(output.map((item) => item.json.embeddingModel), ['ollama:nomic-embed-text:16@127.0.0.1:11434', 'ollama:nomic-embed-text:16@127.0.0.1:11434']);
		assert.deepEqual(output[1].json.vector, Array.from(new Float32Array(hashEmbedding('parseGlob(pattern)', 16))));
		assert.deepEqual(embeddings.texts.slice(1), ['const a = 1', 'parseGlob(pattern)'], 'one probe, then the texts');
	});

	it('a connected sub-node wins over the Embedding Provider; without one the provider works as before', async () => {
		const output = await runNodeOk(new Embed(), { typeVersion: 1.1, items: [{ embeddingText: 'x' }], parameters: { embeddingProvider: 'hash', hashDimensions: 8 }, connections: { ai_embedding: new OllamaEmbeddings() } });
		assert.equal(output[0].json.embeddingModel, 'ollama:nomic-embed-text:16@127.0.0.1:11434');
		const own = await runNodeOk(new Embed(), { typeVersion: 1.1, items: [{ embeddingText: 'x' }], parameters: { embeddingProvider: 'hash', hashDimensions: 8 } });
		assert.equal(own[0].json.embeddingModel, 'hash:8');
		const saved = await runNodeOk(new Embed(), { typeVersion: 1, items: [{ embeddingText: 'x' }], parameters: { embeddingProvider: 'hash', hashDimensions: 8 }, connections: { ai_embedding: new OllamaEmbeddings() } });
		assert.equal(saved[0].json.embeddingModel, 'hash:8', 'version 1 has no Embeddings input and never reads one');
	});

	it('the sub-node provider without a connected sub-node fails with what to connect (and honours Continue On Fail)', async () => {
		const result = await runNode(new Embed(), { typeVersion: 1.1, items: [{ embeddingText: 'x' }], parameters: {} });
		assert.match(String(result.error?.message), /No Embeddings sub-node is connected/);
		assert.match(String((result.error as { description?: string }).description), /Embeddings OpenAI, Embeddings Ollama/);
		const continued = await runNodeOk(new Embed(), { typeVersion: 1.1, items: [{ embeddingText: 'x' }], parameters: {}, continueOnFail: true });
		assert.match(String(continued[0].json.error), /No Embeddings sub-node is connected/);
		const wrong = await runNode(new Embed(), { typeVersion: 1.1, items: [{ embeddingText: 'x' }], parameters: {}, connections: { ai_embedding: { invoke: () => 'a chat model' } } });
		assert.match(String(wrong.error?.message), /supplies no embeddings/);
	});
});
