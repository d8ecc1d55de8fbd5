import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NodeOperationError } from 'n8n-workflow';
import { RepoFetch } from '../../nodes/RepoFetch/RepoFetch.node.js';
import { VectorStore } from '../../nodes/VectorStore/VectorStore.node.js';
import { assertNoSecrets, fakeExecuteFunctions, runNode } from '../support/fake-execute';

describe('fakeExecuteFunctions', () => {
	test('parameters get n8n defaults, lose hidden ones, and read dotted paths', () => {
		const context = fakeExecuteFunctions(new RepoFetch(), { parameters: { source: 'local', repositoryPath: '/srv/app', options: { withContent: false } } });
		assert.equal(context.getNodeParameter('operation', 0), 'snapshot');
		assert.equal(context.getNodeParameter('ref', 0), 'main');
		assert.equal(context.getNodeParameter('repositoryKey', 0), '');
		assert.equal(context.getNodeParameter('options.withContent', 0), false);
		assert.equal(context.getNodeParameter('options.includeSkipped', 0, true), true);
		assert.deepEqual(context.getNodeParameter('filters', 0), {});
		assert.equal(context.getNodeParameter('owner', 0, 'hidden'), 'hidden', 'owner is shown for GitHub only');
		assert.throws(() => context.getNodeParameter('owner', 0), { message: 'Could not get parameter "owner"' });
		assert.equal(context.getNode().name, 'Repo Fetch');
		assert.equal(context.continueOnFail(), false);
	});

	test('per-item parameters and $json expressions resolve against each item', () => {
		const items = [{ repo: 'local:a', embeddingModel: 'hash:8', id: 'x1' }, { repo: 'local:b', embeddingModel: 'hash:8', id: 'x2' }];
		const context = fakeExecuteFunctions(new VectorStore(), { items, parameters: [{ operation: 'delete', deleteBy: 'ids' }, { operation: 'delete', deleteBy: 'ids', ids: 'y1, y2' }], continueOnFail: true });
		assert.deepEqual(context.getInputData(), items.map((json) => ({ json })));
		assert.deepEqual([0, 1].map((i) => context.getNodeParameter('repoKey', i)), ['local:a', 'local:b']);
		assert.deepEqual([0, 1].map((i) => context.getNodeParameter('ids', i)), ['x1', 'y1, y2']);
		assert.equal(context.continueOnFail(), true);
	});

	test('missing credentials and unsupported expressions fail like n8n would', async () => {
		const context = fakeExecuteFunctions(new RepoFetch(), { parameters: { ref: '={{ $now }}' } });
		await assert.rejects(context.getCredentials('repoMindGitHubApi'), (error: Error) => {
			assert.ok(error instanceof NodeOperationError);
			assert.equal(error.message, 'Node "Repo Fetch" does not have any credentials of type "repoMindGitHubApi" set');
			return true;
		});
		assert.throws(() => context.getNodeParameter('ref', 0), { message: 'fake-execute cannot evaluate the expression ={{ $now }}' });
	});

	test('runNode returns the thrown error; assertNoSecrets finds a leak in output or error', async () => {
		const result = await runNode(new RepoFetch(), { parameters: { source: 'github', owner: 'o', repository: 'r' } });
		assert.ok(result.error instanceof NodeOperationError);
		assert.equal(result.error.context.itemIndex, 0);
		assert.throws(() => assertNoSecrets({ output: [{ json: { note: 'key sk-123456' } }] }, ['sk-123456']), /secret sk-… leaked/);
		assert.throws(() => assertNoSecrets({ error: new Error('bad token ghp_abcdef') }, ['ghp_abcdef']), /leaked/);
		assert.doesNotThrow(() => assertNoSecrets(result, ['sk-123456']));
	});
});
