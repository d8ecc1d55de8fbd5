import { join } from 'node:path';
import { after, before } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { ARTIFACTS, BrowserSession } from './session';

const NODE_CREATOR = '[data-test-id="node-creator"]';
const ITEM_NAME = '[data-test-id="node-creator-item-name"]';
const ERROR_TOAST = '.el-notification:has(.el-notification--error)';

/** One editor tab of the n8n that `npm start` runs, driven the way a user does. */
export class Editor {
	private constructor(
		readonly page: Page,
		private readonly session: BrowserSession,
	) {}

	static async open(session: BrowserSession): Promise<Editor> {
		const page = await session.context.newPage();
		return new Editor(page, session);
	}

	/** A new, empty workflow with the canvas ready. */
	async newWorkflow(): Promise<void> {
		await this.page.goto(`${this.session.origin}/workflow/new`);
		await this.page.locator('[data-test-id="canvas-add-button"]').waitFor({ timeout: 90_000 });
	}

	/** Deletes every node of the open workflow (select all, Delete), leaving "Add first step". */
	async clearCanvas(): Promise<void> {
		if (await this.page.locator('[data-test-id="ndv"]').isVisible()) await this.closePanel();
		for (let tries = 0; tries < 3 && (await this.page.locator(NODE_CREATOR).isVisible()); tries++) {
			await this.page.keyboard.press('Escape');
			await this.page.waitForTimeout(300);
		}
		await this.page.locator('[data-test-id="canvas-wrapper"]').click({ position: { x: 40, y: 40 } });
		await this.page.keyboard.press('ControlOrMeta+a');
		await this.page.keyboard.press('Delete');
		await this.page.locator('[data-test-id="canvas-add-button"]').waitFor();
	}

	/** Opens an existing workflow. */
	async openWorkflow(id: string): Promise<void> {
		await this.page.goto(`${this.session.origin}/workflow/${id}`);
		await this.page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 90_000 });
	}

	/** "Add first step": the node picker asking for a trigger. */
	async openTriggerPicker(): Promise<void> {
		await this.page.locator('[data-test-id="canvas-add-button"]').click();
		await this.page.locator(NODE_CREATOR).waitFor();
	}

	/** The "+" after the last node: the node picker asking what happens next. */
	async openNextStepPicker(): Promise<void> {
		await this.page.locator('[data-test-id="canvas-handle-plus"]').last().click();
		await this.page.locator(NODE_CREATOR).waitFor();
	}

	/** Types into the picker's search and returns the names it lists. */
	async search(text: string): Promise<string[]> {
		const input = this.page.locator(`${NODE_CREATOR} input[data-test-id="node-creator-search-bar"]`);
		await input.fill(text);
		await this.page.waitForTimeout(400);
		return this.page.locator(`${NODE_CREATOR} ${ITEM_NAME}`).allInnerTexts();
	}

	/**
	 * Adds the listed node named `name` (a trigger picker drops the word "Trigger"). A community node
	 * first shows its details: "Add to workflow",
	 * or its actions, of which `action` (default: the first) is taken.
	 */
	async addFromResults(name: string, action?: string): Promise<void> {
		const names = [name, name.replace(/ Trigger$/, '')];
		const items = this.page.locator(`${NODE_CREATOR} ${ITEM_NAME}`);
		// The list can re-render between reading it and clicking (a slot's picker settles after it opens), so
		// the item is clicked by its text, not by its position, and a click that misses is tried again.
		const listed = Date.now() + 30_000;
		for (;;) {
			const text = (await items.allInnerTexts()).map((item) => item.trim()).find((item) => names.includes(item));
			if (text !== undefined) {
				const clicked = await items
					.filter({ hasText: new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) })
					.filter({ visible: true })
					.first()
					.click({ timeout: 3_000 })
					.then(() => true, () => false);
				if (clicked) break;
			}
			if (Date.now() > listed) {
				await this.screenshot(`failed-add-${name.replace(/\W+/g, '-')}`);
				throw new Error(`the picker does not list ${name} (or it could not be clicked); it lists: ${(await items.allInnerTexts()).join(', ')}`);
			}
			await this.page.waitForTimeout(200);
		}
		const addButton = this.page.getByRole('button', { name: 'Add to workflow' });
		const actions = this.page.locator(`${NODE_CREATOR} [data-keyboard-nav-type="action"]`);
		const deadline = Date.now() + 30_000;
		while (Date.now() < deadline) {
			if (await addButton.isVisible()) return addButton.click();
			if ((await actions.count()) > 0) {
				const chosen = action ? actions.filter({ has: this.page.locator(ITEM_NAME, { hasText: action }) }) : actions;
				return chosen.first().click();
			}
			if (!(await this.page.locator(NODE_CREATOR).isVisible())) return;
			await this.page.waitForTimeout(200);
		}
		throw new Error(`adding ${name}: neither "Add to workflow" nor actions appeared`);
	}

	/**
	 * On an empty canvas, adds a node by searching for `query`: a trigger from the first-step picker,
	 * any other node after a Manual Trigger. Its panel opens.
	 */
	async addNode(query: string, name: string, options: { trigger?: boolean; action?: string } = {}): Promise<Locator> {
		await this.openTriggerPicker();
		if (!options.trigger) {
			await this.search('Manual Trigger');
			await this.addFromResults('Manual Trigger');
			await this.openNextStepPicker();
		}
		await this.search(query);
		await this.addFromResults(name, options.action);
		return this.panel();
	}

	/** The open node panel (NDV), once its parameters have rendered. */
	async panel(): Promise<Locator> {
		const ndv = this.page.locator('[data-test-id="ndv"]');
		await ndv.locator('[data-test-id="node-parameters"]').waitFor();
		await this.page.waitForTimeout(500);
		return ndv;
	}

	/** Labels of the parameters and credential slots the open panel shows. */
	async panelLabels(): Promise<{ credentials: string[]; parameters: string[] }> {
		const ndv = this.page.locator('[data-test-id="ndv"]');
		const credentials = await ndv.locator('[data-test-id="credentials-label"] label [class*="_title_"]').allInnerTexts();
		const parameters = await ndv.locator('[data-test-id="node-parameters"] [data-test-id="input-label"] label [class*="_title_"]').allInnerTexts();
		return { credentials: credentials.map(clean), parameters: parameters.map(clean) };
	}

	/** The connection types of a canvas node's input handles, sorted (main, ai_embedding, …). */
	async inputHandles(nodeName: string): Promise<string[]> {
		const handles = this.page.locator(`[data-test-id="canvas-node-input-handle"][data-node-name="${nodeName}"]`);
		const types = await handles.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-connection-type') ?? ''));
		return types.sort();
	}

	async closePanel(): Promise<void> {
		await this.page.locator('[data-test-id="ndv-close-button"]').click();
		await this.page.locator('[data-test-id="ndv"]').waitFor({ state: 'hidden' });
	}

	/** Texts of the error toasts on screen. */
	async errorToasts(): Promise<string[]> {
		return (await this.page.locator(ERROR_TOAST).allInnerTexts()).map(clean);
	}

	/** Saves a screenshot of the whole window as ARTIFACTS/<name>.png. */
	async screenshot(name: string): Promise<string> {
		const path = join(ARTIFACTS, `${name}.png`);
		await this.page.screenshot({ path });
		return path;
	}

	async close(): Promise<void> {
		await this.page.close();
	}
}

function clean(text: string): string {
	return text.replace(/\s+/g, ' ').trim();
}

/**
 * For a describe block: `npm start` on its stand-ins and a logged-in editor tab, opened before its
 * tests (after `prepare`, e.g. indexing a repository) and closed after them.
 */
export function editorForSuite(prepare?: (session: BrowserSession) => Promise<void>): { session: BrowserSession; editor: Editor } {
	const suite = {} as { session: BrowserSession; editor: Editor };
	before(async () => {
		suite.session = await BrowserSession.open();
		await prepare?.(suite.session);
		suite.editor = await Editor.open(suite.session);
	});
	after(async () => {
		if (suite.session) await suite.session.close();
	});
	return suite;
}
