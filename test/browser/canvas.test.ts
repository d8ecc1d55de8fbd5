import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { editorForSuite } from './editor';

/** Every RepoMind node, a short name a user would type, and what its panel must show. */
const NODES = [
	{ name: 'RepoMind GitHub Trigger', query: 'GitHub Trigger', trigger: true, parameters: ['Path', 'Repositories', 'Branches'], credentials: ['GitHub Webhook Secret', 'MySQL for Index State'] },
	{ name: 'RepoMind Repo Fetch', query: 'Repo Fetch', parameters: ['Operation', 'Source', 'Owner', 'Repository'], credentials: ['GitHub Access'] },
	{ name: 'RepoMind Chunk', query: 'Chunk', parameters: ['Max Tokens per Chunk'], credentials: [] },
	// New Embed, Vector Store and Retrieve nodes embed through the sub-node in their Embeddings input: no embeddings credential.
	{ name: 'RepoMind Embed', query: 'Embed', parameters: ['Embedding Provider', 'Batch Size'], credentials: [], inputs: ['ai_embedding', 'main'] },
	{ name: 'RepoMind Vector Store', query: 'Sync Repository', action: 'Sync a repository into the index', parameters: ['Operation', 'Source', 'Owner', 'Repository', 'Embedding Provider'], credentials: ['Chroma Server', 'MySQL for Index State', 'GitHub Access'], inputs: ['ai_embedding', 'main'] },
	{ name: 'RepoMind Retrieve', query: 'Retrieve', parameters: ['Repository', 'Ref', 'Mode', 'Top K'], credentials: ['Chroma Server', 'MySQL for Index State'], inputs: ['ai_embedding', 'main'] },
	{ name: 'RepoMind Generate', query: 'Generate', parameters: ['Question', 'Model'], credentials: ['Chat Model API', 'MySQL for Query Log'] },
	{ name: 'RepoMind Digest', query: 'Digest', parameters: ['Operation'], credentials: ['GitHub Access', 'MySQL for Digest State'] },
	{ name: 'RepoMind GitHub Review', query: 'GitHub Review', parameters: ['Operation'], credentials: ['GitHub Access'] },
	{ name: 'RepoMind Evaluate', query: 'Evaluate', parameters: ['Question', 'Retrieved Hits', 'Answer', 'Chat Model Provider'], credentials: ['Judge Model API'] },
];
const REGULAR = NODES.filter((node) => !node.trigger).map((node) => node.name);
/** Words for what the nodes do, and the node each must find. */
const OPERATIONS = [
	['sync', 'RepoMind Vector Store'],
	['index repository', 'RepoMind Vector Store'],
	['search code', 'RepoMind Retrieve'],
	['ask', 'RepoMind Generate'],
	['evaluate', 'RepoMind Evaluate'],
	['chunk', 'RepoMind Chunk'],
	['push', 'RepoMind GitHub Trigger'],
	['pull request', 'RepoMind GitHub Review'],
];

/** Whether the picker lists `name` (a trigger picker shows triggers without the word "Trigger"). */
function lists(found: string[], name: string): boolean {
	return found.includes(name) || found.includes(name.replace(/ Trigger$/, ''));
}

describe('the n8n editor of `npm start`, in Chromium', () => {
	const suite = editorForSuite();

	it('finds every RepoMind node by "RepoMind", by name and by operation in a new workflow and after a trigger', async () => {
		await suite.editor.newWorkflow();
		await suite.editor.openTriggerPicker();
		const triggers = await suite.editor.search('RepoMind');
		await suite.editor.screenshot('picker-trigger-repomind');
		assert.ok(lists(triggers, 'RepoMind GitHub Trigger'), `trigger picker lists: ${triggers.join(', ')}`);
		for (const node of NODES) {
			const found = await suite.editor.search(node.query);
			assert.ok(lists(found, node.name), `"${node.query}" in a new workflow lists: ${found.join(', ')}`);
		}

		await suite.editor.search('Manual');
		await suite.editor.addFromResults('Manual Trigger');
		await suite.editor.openNextStepPicker();
		const next = await suite.editor.search('RepoMind');
		await suite.editor.screenshot('picker-next-step-repomind');
		for (const name of REGULAR) assert.ok(lists(next, name), `"RepoMind" after a trigger misses ${name}; lists: ${next.join(', ')}`);
		for (const node of NODES) {
			const found = await suite.editor.search(node.query);
			assert.ok(lists(found, node.name), `"${node.query}" after a trigger lists: ${found.join(', ')}`);
		}
		for (const [words, name] of OPERATIONS) {
			const found = await suite.editor.search(words);
			assert.ok(lists(found, name), `"${words}" after a trigger lists: ${found.join(', ')}`);
		}
	});

	for (const node of NODES) {
		it(`${node.name}: added from the picker, its panel renders with labelled fields and no error`, async () => {
			await suite.editor.clearCanvas();
			await suite.editor.addNode(node.query, node.name, { trigger: node.trigger, action: node.action });
			const labels = await suite.editor.panelLabels();
			await suite.editor.screenshot(`panel-${node.name.replace(/^RepoMind /, '').toLowerCase().replace(/ /g, '-')}`);
			for (const parameter of node.parameters) assert.ok(labels.parameters.includes(parameter), `${node.name} shows ${labels.parameters.join(', ')}`);
			assert.deepEqual(labels.credentials, node.credentials);
			assert.deepEqual(await suite.editor.errorToasts(), []);
			await suite.editor.closePanel();
			if (node.inputs) assert.deepEqual(await suite.editor.inputHandles(node.name.replace(/^RepoMind /, '')), node.inputs);
		});
	}
});
