import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { INodeType } from 'n8n-workflow';

const NODES = join(__dirname, '..', '..', 'nodes');
const folders = readdirSync(NODES).filter((name) => name !== 'shared');

function nodeType(folder: string): INodeType {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const module = require(join(NODES, folder, `${folder}.node.ts`)) as Record<string, new () => INodeType>;
	return new module[folder]();
}

function codex(folder: string): { categories: string[]; subcategories?: Record<string, string[]>; alias?: string[] } {
	return JSON.parse(readFileSync(join(NODES, folder, `${folder}.node.json`), 'utf8'));
}

describe('node descriptions', () => {
	it('only nodes whose every operation reads are usable as AI tools', () => {
		const tools = folders.filter((folder) => nodeType(folder).description.usableAsTool).sort();
		assert.deepEqual(tools, ['RepoFetch', 'Retrieve']);
	});

	it('every credential slot says what it is for', () => {
		for (const folder of folders) {
			for (const credential of nodeType(folder).description.credentials ?? []) {
				assert.ok(credential.displayName, `${folder}: credential ${credential.name} has no displayName`);
			}
		}
	});

	it('codex: AI nodes are root nodes (n8n hides other AI nodes from search) or sub-nodes under their slot, every node has the alias RepoMind', () => {
		for (const folder of folders) {
			const { categories, subcategories, alias } = codex(folder);
			const subNode = typeof nodeType(folder).supplyData === 'function';
			if (subNode) assert.deepEqual(subcategories?.AI, ['Tools', 'Retrievers'], `${folder}: a sub-node is listed under the AI slots it plugs into`);
			else if (categories.includes('AI')) assert.ok(subcategories?.AI?.includes('Root Nodes'), `${folder}: AI without Root Nodes is never found in the node picker`);
			assert.ok(alias?.includes('RepoMind'), `${folder}: no alias RepoMind`);
		}
	});
});
