import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NodeHelpers, Workflow, type INodeParameters, type INodeTypes, type ISupplyDataFunctions } from 'n8n-workflow';
import { OllamaEmbeddings } from '../support/ollama-embeddings';
import { CodeSearch } from '../../nodes/CodeSearch/CodeSearch.node.js';
import { fakeExecuteFunctions, type FakeExecuteOptions } from '../support/fake-execute';

const node = new CodeSearch();
const EMBEDDINGS_INPUT = { type: 'ai_embedding', displayName: 'Embeddings', required: false, maxConnections: 1 };
/** Chroma's client connects on first use, so a URL is enough to get past it; MySQL is never reached here. */
const CHROMA = { repoMindChromaApi: { url: 'http://127.0.0.1:9', authType: 'none' } };

/** The node's inputs as n8n computes them for a saved node of this version. */
function inputsOf(typeVersion: number): unknown[] {
	const nodeTypes = { getByName: () => node, getByNameAndVersion: () => node, getKnownTypes: () => ({}) } as unknown as INodeTypes;
	const saved = { id: '1', name: 'Code Search', type: 'n8n-nodes-repomind.repoMindCodeSearch', typeVersion, position: [0, 0] as [number, number], parameters: {} };
	return NodeHelpers.getNodeInputs(new Workflow({ nodes: [saved], connections: {}, active: false, nodeTypes }), saved, node.description);
}

/** The embedding provider n8n gives a new node of this version. */
function defaultProvider(typeVersion: number): unknown {
	return NodeHelpers.getNodeParameters(node.description.properties, {}, true, false, { typeVersion }, node.description)?.embeddingProvider;
}

/** Runs the real supplyData once; returns the error it threw (these cases never reach MySQL). */
async function supplyError(options: Omit<FakeExecuteOptions, 'credentials'>): Promise<Error & { description?: string }> {
	const context = fakeExecuteFunctions(node, { credentials: CHROMA, ...options }) as unknown as ISupplyDataFunctions;
	try {
		await node.supplyData.call(context, 0);
	} catch (error) {
		return error as Error & { description?: string };
	}
	throw new Error('expected supplyData to throw');
}

describe('Embeddings input of Code Search', () => {
	it('from version 1.1 on (new nodes too) it has the optional Embeddings input and offers the sub-node as provider; saved version 1 keeps no input', () => {
		const versions = node.description.version as number[];
		assert.deepEqual(inputsOf(1), []);
		assert.equal(defaultProvider(1), 'openAiCompatible');
		assert.ok(versions.includes(1.1));
		assert.equal(node.description.defaultVersion, Math.max(...versions));
		for (const version of versions.filter((version) => version >= 1.1)) {
			assert.deepEqual(inputsOf(version), [EMBEDDINGS_INPUT], `version ${version}`);
			assert.equal(defaultProvider(version), 'embeddingsSubNode', `version ${version}`);
		}
	});

	it('version 1.1 reads the connected sub-node even when another provider is chosen; version 1 never does', async () => {
		const parameters: INodeParameters = { repositoryKey: 'local:fixture', embeddingProvider: 'hash', hashDimensions: 8 };
		const connected = new OllamaEmbeddings();
		const error = await supplyError({ typeVersion: 1.1, parameters, connections: { ai_embedding: connected } });
		assert.match(error.message, /credentials of type "repoMindMySql"/, 'got past the embedder to the index state');
		assert.deepEqual(connected.texts, ['RepoMind vector size probe'], 'the sub-node was asked for its vector size');
		const saved = new OllamaEmbeddings();
		await supplyError({ typeVersion: 1, parameters, connections: { ai_embedding: saved } });
		assert.deepEqual(saved.texts, []);
	});

	it('the sub-node provider without a connected sub-node fails with what to connect; a sub-node that is no embedder is named', async () => {
		const missing = await supplyError({ typeVersion: 1.1, parameters: { repositoryKey: 'local:fixture' } });
		assert.match(missing.message, /No Embeddings sub-node is connected/);
		assert.match(String(missing.description), /Embeddings OpenAI, Embeddings Ollama/);
		const wrong = await supplyError({ typeVersion: 1.1, parameters: { repositoryKey: 'local:fixture' }, connections: { ai_embedding: { invoke: () => 'a chat model' } } });
		assert.match(wrong.message, /supplies no embeddings/);
	});
});
