import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Locator } from 'playwright-core';
import { Chunker } from '../../lib/chunk';
import { createEmbedder } from '../../lib/embed';
import { FileFilter } from '../../lib/filter';
import { GitHubSource } from '../../lib/source';
import { EmbeddingCache } from '../../lib/store/embedding-cache';
import { IndexStateStore } from '../../lib/store/index-state';
import { openPool } from '../../lib/store/mysql';
import { syncRepository } from '../../lib/sync';
import { ChromaVectorStore } from '../../lib/vector/chroma';
import { editorForSuite } from './editor';
import { BrowserSession, EMBEDDINGS, GITHUB } from './session';

const REPO_KEY = `github:${GITHUB.owner}/${GITHUB.repo}`;
const OTHER_KEY = 'github:octo-org/another-repo';
const MODEL = 'text-embedding-3-small';
const rl = (value = '') => ({ __rl: true, mode: 'list', value });

/**
 * "Pick, don't type": Retrieve's Repository, Ref and embedding Model are resource locators filled from the
 * index state in MySQL. A repository indexed through the GitHub stand-in is picked from the list in the
 * real editor of `npm start`, its ref and the model it was indexed with too, and the node runs with them.
 */
describe('Retrieve: repository, ref and embedding model picked from the index, in Chromium', () => {
	let workflowId: string;
	const suite = editorForSuite(async (session) => {
		await indexSample(session);
		workflowId = await createWorkflow(session);
	});

	it('lists the indexed repositories, picks one, lists its refs, picks main, picks the indexed model, and the node finds its code', async () => {
		const { page } = suite.editor;
		await suite.editor.openWorkflow(workflowId);
		await page.locator('[data-test-id="canvas-node"]').filter({ hasText: 'Retrieve' }).dblclick();
		const panel = await suite.editor.panel();
		const repository = panel.locator('[data-test-id="resource-locator-repositoryKey"]');
		await repository.waitFor();
		await suite.editor.screenshot('rl-retrieve-panel');

		const repositories = await openList(repository);
		await suite.editor.screenshot('rl-repository-list');
		assert.deepEqual(repositories, [OTHER_KEY, REPO_KEY], `the list shows ${repositories.join(', ')}`);
		await pick(REPO_KEY);
		assert.equal(await shownValue(repository), REPO_KEY);

		const ref = panel.locator('[data-test-id="resource-locator-ref"]');
		const refs = await openList(ref);
		await suite.editor.screenshot('rl-ref-list');
		assert.deepEqual(refs, ['main']);
		await pick('main');
		assert.equal(await shownValue(ref), 'main');

		const model = panel.locator('[data-test-id="resource-locator-openAiModel"]');
		await model.scrollIntoViewIfNeeded();
		const models = await openList(model);
		await suite.editor.screenshot('rl-model-list');
		assert.deepEqual(models, [MODEL], 'the models main is indexed with, by the name the Model field takes');
		await pick(MODEL);
		assert.equal(await shownValue(model), MODEL);
		await suite.editor.screenshot('rl-picked');

		await panel.locator('[data-test-id="node-execute-button"]').click();
		const table = panel.locator('table');
		await table.locator('td').filter({ hasText: REPO_KEY }).first().waitFor({ timeout: 120_000 }).catch(async (error: Error) => {
			await suite.editor.screenshot('rl-execute-failed');
			throw error;
		});
		await suite.editor.screenshot('rl-executed');
		assert.match(await table.innerText(), /\bmain\b[\s\S]*\b[0-9a-f]{40}\b/, 'the output names the picked ref and its indexed commit');
		assert.deepEqual(await suite.editor.errorToasts(), []);

		await suite.editor.closePanel();
		await page.keyboard.press('ControlOrMeta+s');
		await waitFor(async () => (await savedParameters(suite.session, workflowId)).repositoryKey?.value === REPO_KEY);
		const saved = await savedParameters(suite.session, workflowId);
		assert.deepEqual({ mode: saved.repositoryKey.mode, value: saved.repositoryKey.value }, { mode: 'list', value: REPO_KEY });
		assert.deepEqual({ mode: saved.ref.mode, value: saved.ref.value }, { mode: 'list', value: 'main' });
		assert.deepEqual({ mode: saved.openAiModel.mode, value: saved.openAiModel.value }, { mode: 'list', value: MODEL });
	});

	/** Opens a picker's list and returns the names it shows once loaded. */
	async function openList(locator: Locator): Promise<string[]> {
		await locator.locator('[data-test-id="rlc-input"]').click();
		const items = suite.editor.page.locator('[data-test-id="rlc-item"]:visible');
		await items.first().waitFor({ timeout: 30_000 }).catch(async (error: Error) => {
			await suite.editor.screenshot('rl-list-failed');
			const dropdown = await suite.editor.page.locator('[data-test-id="resource-locator-dropdown"]:visible').allInnerTexts();
			throw new Error(`${error.message}\nthe dropdown shows: ${JSON.stringify(dropdown)}; toasts: ${JSON.stringify(await suite.editor.errorToasts())}`);
		});
		await suite.editor.page.waitForTimeout(300);
		return (await items.allInnerTexts()).map((text) => text.split('\n')[0].trim());
	}

	async function pick(name: string): Promise<void> {
		await suite.editor.page.locator('[data-test-id="rlc-item"]:visible').filter({ hasText: name }).first().click();
		await suite.editor.page.waitForTimeout(300);
	}
});

/** The value a picker shows in its input. */
async function shownValue(locator: Locator): Promise<string> {
	const input = locator.locator('[data-test-id="rlc-input"]');
	const field = (await input.evaluate((element) => element.tagName)) === 'INPUT' ? input : input.locator('input').first();
	return (await field.inputValue()).trim();
}

/** Syncs the stand-in's octo-org/sample at main the way the Sync Repository node does, with the credential's embedding model; plus a second, unfinished repository so the list has a choice. */
async function indexSample(session: BrowserSession): Promise<void> {
	const chromaUrl = /Chroma is up at (\S+)/.exec(session.start.stdout)?.[1];
	assert.ok(chromaUrl, `npm start names its Chroma: ${session.start.stdout}`);
	const pool = openPool(session.database.config);
	try {
		const state = new IndexStateStore(pool);
		const embedder = createEmbedder({ provider: 'openai', model: MODEL, apiKey: EMBEDDINGS.apiKey, baseURL: `${session.embeddings.url}/v1` });
		const deps = { state, cache: new EmbeddingCache(pool), vectors: new ChromaVectorStore({ url: chromaUrl.replace(/\.$/, '') }), embedder, chunker: await Chunker.create(), filter: new FileFilter() };
		const report = await syncRepository(new GitHubSource({ ...GITHUB, baseUrl: session.github.baseUrl }), deps, { ref: 'main' });
		assert.ok(report.chunksUpserted > 0);
		await state.ensureRef(OTHER_KEY, 'develop', embedder.modelId, 'unused_collection');
	} finally {
		await pool.end();
	}
}

/** A workflow with a Manual Trigger and Retrieve 1.4 whose pickers are empty, saved over n8n's REST API. */
async function createWorkflow(session: BrowserSession): Promise<string> {
	const retrieve = {
		id: 'a7c1e0de-0000-4000-8000-000000000002',
		name: 'Retrieve',
		type: 'n8n-nodes-repomind.repoMindRetrieve',
		typeVersion: 1.4,
		position: [240, 0],
		parameters: { repositoryKey: rl(), ref: rl(), question: 'picomatch glob', mode: 'hybrid', topK: 3, filters: {}, options: {}, embeddingProvider: 'openAiCompatible', openAiModel: rl() },
		credentials: {
			repoMindChromaApi: { id: 'repomindChroma01', name: 'RepoMind Chroma' },
			repoMindMySql: { id: 'repomindMySql001', name: 'RepoMind MySQL' },
			repoMindOpenAiApi: { id: 'repomindOpenAi01', name: 'RepoMind Embeddings API' },
		},
	};
	const trigger = { id: 'a7c1e0de-0000-4000-8000-000000000001', name: 'Run Now', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
	const body = { name: 'Pick a repository', nodes: [trigger, retrieve], connections: { 'Run Now': { main: [[{ node: 'Retrieve', type: 'main', index: 0 }]] } }, settings: { executionOrder: 'v1' }, active: false };
	const response = await rest(session, '/rest/workflows', { method: 'POST', body: JSON.stringify(body) });
	return (response as { data: { id: string } }).data.id;
}

async function savedParameters(session: BrowserSession, id: string): Promise<Record<string, { mode: string; value: string }>> {
	const workflow = (await rest(session, `/rest/workflows/${id}`)) as { data: { nodes: Array<{ name: string; parameters: Record<string, { mode: string; value: string }> }> } };
	return workflow.data.nodes.find((node) => node.name === 'Retrieve')!.parameters;
}

async function rest(session: BrowserSession, path: string, init: RequestInit = {}): Promise<unknown> {
	const cookies = await session.context.cookies(session.origin);
	const cookie = cookies.map(({ name, value }) => `${name}=${value}`).join('; ');
	const response = await fetch(`${session.origin}${path}`, { ...init, headers: { 'content-type': 'application/json', cookie } });
	if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
	return response.json();
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error('timed out');
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}
