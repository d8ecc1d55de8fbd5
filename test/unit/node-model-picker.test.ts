import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NodeHelpers, type INodeParameters, type INodeType } from 'n8n-workflow';
import { CodeRetriever } from '../../nodes/CodeRetriever/CodeRetriever.node.js';
import { CodeSearch } from '../../nodes/CodeSearch/CodeSearch.node.js';
import { Embed } from '../../nodes/Embed/Embed.node.js';
import { Evaluate } from '../../nodes/Evaluate/Evaluate.node.js';
import { Retrieve } from '../../nodes/Retrieve/Retrieve.node.js';
import { VectorStore } from '../../nodes/VectorStore/VectorStore.node.js';

const MODEL_FIELDS = { openAiCompatible: 'openAiModel', huggingFace: 'huggingFaceModel', onnx: 'onnxModel' };
const TYPED_DEFAULTS = { openAiModel: 'text-embedding-3-small', huggingFaceModel: 'sentence-transformers/all-MiniLM-L6-v2', onnxModel: 'Xenova/all-MiniLM-L6-v2' };

/** The parameters n8n gives a node of this version (defaults filled in, hidden ones dropped). */
function parametersOf(type: INodeType, typeVersion: number, given: INodeParameters): INodeParameters {
	return NodeHelpers.getNodeParameters(type.description.properties, given, true, false, { typeVersion }, type.description) ?? {};
}

const QUERY_NODES: Array<{ type: INodeType; versions: number[]; since: number }> = [
	{ type: new Retrieve(), versions: [1, 1.1, 1.2, 1.3, 1.4], since: 1.4 },
	{ type: new CodeSearch(), versions: [1, 1.1, 1.2, 1.3], since: 1.3 },
	{ type: new CodeRetriever(), versions: [1, 1.1], since: 1.1 },
];

describe('the embedding Model picker in the nodes that query an index', () => {
	for (const { type, versions, since } of QUERY_NODES) {
		const name = type.description.displayName;

		it(`${name}: versions ${versions.join(', ')}; new nodes get ${since}, whose Model fields are pickers; saved older versions keep their text fields and values`, () => {
			assert.deepEqual(type.description.version, versions);
			assert.equal(type.description.defaultVersion, since);
			for (const version of versions) {
				for (const [provider, field] of Object.entries(MODEL_FIELDS)) {
					const fresh = parametersOf(type, version, { embeddingProvider: provider })[field];
					if (version >= since) assert.deepEqual(fresh, { __rl: true, mode: 'list', value: '' }, `${name} ${version} ${field}`);
					else assert.equal(fresh, TYPED_DEFAULTS[field as keyof typeof TYPED_DEFAULTS], `${name} ${version} ${field}`);
				}
				if (version < since) assert.equal(parametersOf(type, version, { embeddingProvider: 'openAiCompatible', openAiModel: 'nomic-embed-text' }).openAiModel, 'nomic-embed-text');
			}
			const saved = { __rl: true, mode: 'list', value: 'nomic-embed-text', cachedResultName: 'nomic-embed-text' };
			assert.deepEqual(parametersOf(type, since, { embeddingProvider: 'openAiCompatible', openAiModel: saved }).openAiModel, saved);
		});

		it(`${name}: each picker lists from searchEmbeddingModels (registered) and takes a name too`, () => {
			const pickers = type.description.properties.filter((property) => property.type === 'resourceLocator' && Object.values(MODEL_FIELDS).includes(property.name));
			assert.deepEqual(pickers.map((property) => property.name).sort(), Object.values(MODEL_FIELDS).sort());
			for (const picker of pickers) {
				assert.deepEqual(picker.modes?.map((mode) => [mode.name, mode.typeOptions?.searchListMethod]), [['list', 'searchEmbeddingModels'], ['name', undefined]]);
			}
			assert.equal(typeof type.methods?.listSearch?.searchEmbeddingModels, 'function');
		});
	}

	it('Embed and Vector Store write the index and keep typing the model; Evaluate has no embedding model', () => {
		for (const type of [new Embed(), new VectorStore()]) {
			const models = type.description.properties.filter((property) => Object.values(MODEL_FIELDS).includes(property.name));
			assert.ok(models.length >= 3);
			assert.ok(models.every((property) => property.type === 'string'), type.description.displayName);
		}
		assert.equal(new Evaluate().description.properties.some((property) => property.name === 'embeddingProvider'), false);
	});
});
