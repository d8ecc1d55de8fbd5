import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { OpenAIEmbedder } from '../../lib/embed';
import { GitHubSource } from '../../lib/source';
import { syncRepository } from '../../lib/sync';
import { attachIndexEnv, createIndexEnv, snapshotIndex } from '../support/index-env';
import { editorForSuite } from './editor';
import { ARTIFACTS, EMBEDDINGS, GITHUB } from './session';

const REPO_KEY = `github:${GITHUB.owner}/${GITHUB.repo}`;
const MODEL = 'text-embedding-3-small';

/** Clicks the `+` of an input slot of a canvas node, e.g. the AI Agent's Tool slot (`ai_tool`). */
async function openSlotPicker(page: Page, nodeName: string, connectionType: string): Promise<void> {
	await page.locator(`[data-test-id="canvas-node-input-handle"][data-connection-type="${connectionType}"][data-node-name="${nodeName}"] [data-test-id="canvas-handle-plus"]`).click();
	await page.locator('[data-test-id="node-creator"]').waitFor();
}

/** Types a value into the panel's parameter `name`; a value starting with `{{` must turn the field into an expression. */
async function fillParameter(panel: Locator, name: string, value: string): Promise<void> {
	const field = panel.locator(`[data-test-id="parameter-input-${name}"]`);
	const fixedInput = field.locator('input[data-test-id="parameter-input-field"]');
	for (let tries = 0; tries < 3; tries++) {
		const input = field.locator('input, textarea, [contenteditable="true"]').first();
		await input.fill('');
		await input.fill(value);
		await panel.page().keyboard.press('Escape');
		await panel.page().waitForTimeout(500);
		if (!value.startsWith('{{') || !(await fixedInput.isVisible())) return;
	}
	throw new Error(`${name}: "${value}" stayed a fixed value`);
}

/** Chooses `option` in the panel's options parameter `name`. */
async function selectOption(panel: Locator, name: string, option: string): Promise<void> {
	await panel.locator(`[data-test-id="parameter-input-${name}"]`).click();
	await panel.page().locator('.el-select-dropdown__item:visible').filter({ hasText: option }).first().click();
}

/**
 * Picks the credential named `credential` in the panel's credential slot labelled `slot`. A list that
 * shows no such option within 5 s is closed by clicking its field again (Escape would close the whole
 * panel when no list is open) and opened anew, up to 4 times; each miss is logged with a screenshot.
 */
async function pickCredential(page: Page, slot: string, credential: string): Promise<void> {
	const field = page.locator('[data-test-id="ndv"] [data-test-id="credentials-label"]').filter({ has: page.locator('label', { hasText: new RegExp(`^\\s*${slot}\\s*$`) }) });
	const select = field.locator('[data-test-id="node-credentials-select"]');
	const option = page.locator('.el-select-dropdown__item:visible, [role="option"]:visible').filter({ hasText: credential }).first();
	const openLists = () => page.locator('.el-popper:visible').allInnerTexts();
	for (let attempt = 1; ; attempt++) {
		await select.click();
		try {
			await option.click({ timeout: 5_000 });
			return;
		} catch (error) {
			const shot = join(ARTIFACTS, `failed-credential-${slot.replace(/\W+/g, '-')}-${attempt}.png`);
			await page.screenshot({ path: shot });
			const shown = await openLists();
			console.log(`${slot}: "${credential}" not listed after 5 s (attempt ${attempt}); open lists: ${JSON.stringify(shown).slice(0, 500)}; screenshot ${shot}`);
			if (attempt === 4) throw new Error(`${slot}: no option "${credential}"; the open lists show: ${JSON.stringify(shown)}`.slice(0, 3000), { cause: error });
			if (shown.some((text) => text.trim() !== '')) await select.click();
			await page.waitForTimeout(1_500);
		}
	}
}

/** Renames the node open in the panel. */
async function renameOpenNode(page: Page, name: string): Promise<void> {
	await page.locator('[data-test-id="ndv"] [data-test-id="node-title-container"]').click();
	const input = page.locator('[data-test-id="ndv"] [data-test-id="inline-edit-input"]');
	await input.fill(name);
	await input.press('Enter');
}

describe('building the full-index workflow by hand in the n8n editor of `npm start`', () => {
	const suite = editorForSuite();

	it('Manual Trigger → Edit Fields "Repository" → Vector Store found by "sync": run from the editor, the index equals a fresh one', async () => {
		const { page } = suite.editor;
		await suite.editor.newWorkflow();
		await suite.editor.openTriggerPicker();
		await suite.editor.search('Manual');
		await suite.editor.addFromResults('Manual Trigger');
		await suite.editor.screenshot('by-hand-1-trigger');

		await suite.editor.openNextStepPicker();
		await suite.editor.search('Edit Fields');
		await suite.editor.addFromResults('Edit Fields (Set)');
		let panel = await suite.editor.panel();
		await renameOpenNode(page, 'Repository');
		for (const [field, value] of [['owner', GITHUB.owner], ['repository', GITHUB.repo], ['ref', 'main']]) {
			await panel.locator('[data-test-id="assignment-collection-drop-area"]').click();
			const assignment = panel.locator('[data-test-id="assignment"]').last();
			await assignment.locator('[data-test-id="assignment-name"]').locator('input, textarea').first().fill(field);
			const valueInput = assignment.locator('[data-test-id="assignment-value"]').locator('input, textarea, [contenteditable="true"]').first();
			await valueInput.click();
			await valueInput.fill(value);
			await page.keyboard.press('Tab');
		}
		await suite.editor.screenshot('by-hand-2-repository');
		await suite.editor.closePanel();

		await suite.editor.openNextStepPicker();
		const found = await suite.editor.search('sync');
		assert.ok(found.includes('RepoMind Vector Store'), `"sync" lists: ${found.join(', ')}`);
		await suite.editor.addFromResults('RepoMind Vector Store', 'Sync a repository into the index');
		panel = await suite.editor.panel();
		await renameOpenNode(page, 'Sync Repository');
		await fillParameter(panel, 'owner', '{{ $json.owner }}');
		await fillParameter(panel, 'repository', '{{ $json.repository }}');
		await fillParameter(panel, 'syncRef', '{{ $json.ref }}');
		await selectOption(panel, 'embeddingProvider', 'OpenAI-Compatible API');
		// the provider brings its credential slot: let the panel settle before opening the credential lists
		await page.locator('[data-test-id="ndv"] [data-test-id="credentials-label"]').filter({ hasText: 'Embeddings API' }).waitFor();
		await page.waitForTimeout(1_000);
		await pickCredential(page, 'Chroma Server', 'RepoMind Chroma');
		await pickCredential(page, 'MySQL for Index State', 'RepoMind MySQL');
		await pickCredential(page, 'GitHub Access', 'RepoMind GitHub');
		await pickCredential(page, 'Embeddings API', 'RepoMind Embeddings API');
		await suite.editor.screenshot('by-hand-3-sync-repository');
		assert.deepEqual(await suite.editor.errorToasts(), []);
		await suite.editor.closePanel();

		await page.locator('[data-test-id="execute-workflow-button"]').click();
		const succeeded = page.locator('[data-test-id="canvas-node"]').filter({ hasText: 'Sync Repository' }).locator('[data-test-id="canvas-node-status-success"]');
		for (const deadline = Date.now() + 180_000; !(await succeeded.isVisible()); await page.waitForTimeout(500)) {
			const toasts = await suite.editor.errorToasts();
			if (toasts.length > 0 || Date.now() > deadline) {
				await suite.editor.screenshot('failed-by-hand-run');
				assert.fail(`the run did not succeed: ${toasts.join(' | ') || 'no success after 180 s'}`);
			}
		}
		await suite.editor.screenshot('by-hand-4-run');

		const chromaUrl = /Chroma:\s+(http:\/\/\S+)/.exec(suite.session.start.stdout)?.[1];
		assert.ok(chromaUrl, suite.session.start.stdout);
		const embedder = () => new OpenAIEmbedder({ model: MODEL, apiKey: EMBEDDINGS.apiKey, baseURL: `${suite.session.embeddings.url}/v1` });
		const built = await attachIndexEnv(suite.session.database, { url: chromaUrl, pid: 0, stop: async () => undefined }, { embedder: embedder(), chunker: {} });
		const fresh = await createIndexEnv({ embedder: embedder(), chunker: {} });
		try {
			await syncRepository(new GitHubSource({ owner: GITHUB.owner, repo: GITHUB.repo, token: GITHUB.token, baseUrl: suite.session.github.baseUrl }), fresh.deps, { ref: 'main' });
			const mine = await snapshotIndex(built, REPO_KEY, 'main');
			assert.ok(mine.chromaIds.length > 20, `${mine.chromaIds.length} chunks indexed`);
			assert.deepEqual(mine.chromaIds, mine.mysqlChunkIds);
			assert.deepEqual(mine, await snapshotIndex(fresh, REPO_KEY, 'main'));
		} finally {
			await built.pool.end();
			await fresh.close();
		}
	});

	it('RepoMind Code Search is offered in the AI Agent\'s Tool slot', async () => {
		await suite.editor.newWorkflow();
		await suite.editor.addNode('AI Agent', 'AI Agent');
		await suite.editor.closePanel();
		await openSlotPicker(suite.editor.page, 'AI Agent', 'ai_tool');
		const tools = await suite.editor.search('RepoMind');
		await suite.editor.screenshot('by-hand-5-agent-tools');
		assert.ok(tools.includes('RepoMind Code Search'), `the Tool slot lists: ${tools.join(', ')}`);
		await suite.editor.addFromResults('RepoMind Code Search');
		const labels = await suite.editor.panelLabels();
		assert.ok(labels.parameters.includes('Use As'), `Code Search shows ${labels.parameters.join(', ')}`);
		assert.deepEqual(labels.credentials, ['Chroma Server', 'MySQL for Index State'], 'its embeddings come from the Embeddings sub-node by default');
		assert.deepEqual(await suite.editor.errorToasts(), []);
		await suite.editor.screenshot('panel-code-search');
		await suite.editor.closePanel();
	});

	// n8n's editor lists a node in a Retriever slot only when its outputs are a fixed ai_retriever list: Code Search's
	// outputs are an expression (Use As), so the retriever is a node of its own.
	it('RepoMind Code Retriever is offered in the Question and Answer Chain\'s Retriever slot', async () => {
		await suite.editor.newWorkflow();
		await suite.editor.addNode('Question and Answer Chain', 'Question and Answer Chain');
		await suite.editor.closePanel();
		await openSlotPicker(suite.editor.page, 'Question and Answer Chain', 'ai_retriever');
		await suite.editor.screenshot('by-hand-6-chain-retriever-slot');
		const retrievers = await suite.editor.page.locator('[data-test-id="node-creator"] [data-test-id="node-creator-item-name"]').allInnerTexts();
		assert.ok(retrievers.includes('RepoMind Code Retriever'), `the Retriever slot lists: ${retrievers.join(', ')}`);
		await suite.editor.addFromResults('RepoMind Code Retriever');
		const labels = await suite.editor.panelLabels();
		assert.deepEqual(labels.credentials, ['Chroma Server', 'MySQL for Index State'], 'its embeddings come from the Embeddings sub-node by default');
		assert.deepEqual(await suite.editor.errorToasts(), []);
		await suite.editor.screenshot('panel-code-retriever');
		await suite.editor.closePanel();
	});
});
