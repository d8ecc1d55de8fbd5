import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ICredentialType, INodeType } from 'n8n-workflow';

const NODES = join(__dirname, '..', '..', 'nodes');
const CREDENTIALS = join(__dirname, '..', '..', 'credentials');
/** The node picker's AI subcategory of each sub-node slot. */
const SLOTS: Record<string, string> = { ai_tool: 'Tools', ai_retriever: 'Retrievers' };
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

	it('every credential slot can be tested: by a RepoMind test the node offers (which names host and failure), or a request of the credential', () => {
		const declarative = new Set(readdirSync(CREDENTIALS).filter((file) => file.endsWith('.credentials.ts')).flatMap((file) => {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const module = require(join(CREDENTIALS, file)) as Record<string, new () => ICredentialType>;
			return Object.values(module).map((Type) => new Type()).filter((credential) => credential.test).map((credential) => credential.name);
		}));
		for (const folder of folders) {
			const node = nodeType(folder);
			for (const credential of node.description.credentials ?? []) {
				if (credential.testedBy) assert.ok(typeof credential.testedBy === 'string' && node.methods?.credentialTest?.[credential.testedBy], `${folder}: ${credential.name} is tested by ${String(credential.testedBy)}, which the node does not offer`);
				else assert.ok(declarative.has(credential.name), `${folder}: ${credential.name} has no test`);
			}
		}
		for (const name of ['repoMindHuggingFaceApi', 'repoMindEmbeddingsWorkerApi']) assert.ok(!declarative.has(name), `${name}: a declarative test only says the status code`);
	});

	it('codex: AI nodes are root nodes (n8n hides other AI nodes from search) or sub-nodes under their slot, every node has the alias RepoMind', () => {
		for (const folder of folders) {
			const { categories, subcategories, alias } = codex(folder);
			const subNode = typeof nodeType(folder).supplyData === 'function';
			if (subNode) {
				// n8n 2.41.1's editor lists a node in a sub-node slot (Retriever, Tool, …) only when its outputs are a fixed list naming that
				// connection type (an expression is never matched), under the AI subcategory of the slot.
				const outputs = nodeType(folder).description.outputs;
				const slots = Array.isArray(outputs) ? outputs.map((output) => SLOTS[typeof output === 'string' ? output : output.type]) : ['Tools'];
				assert.deepEqual(subcategories?.AI, slots, `${folder}: a sub-node is listed under the AI slots its fixed outputs plug into`);
			}
			else if (categories.includes('AI')) assert.ok(subcategories?.AI?.includes('Root Nodes'), `${folder}: AI without Root Nodes is never found in the node picker`);
			assert.ok(alias?.includes('RepoMind'), `${folder}: no alias RepoMind`);
		}
	});
});
