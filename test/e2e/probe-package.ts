import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PROBE_PACKAGE_NAME = 'n8n-nodes-e2eprobe';
export const PROBE_NODE_TYPE = `${PROBE_PACKAGE_NAME}.e2eProbe`;

const NODE_SOURCE = `'use strict';
class E2eProbe {
	constructor() {
		this.description = {
			displayName: 'E2E Probe',
			name: 'e2eProbe',
			group: ['transform'],
			version: 1,
			description: 'Adds a greeting to every item; throws when the greeting is "fail".',
			defaults: { name: 'E2E Probe' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [{ displayName: 'Greeting', name: 'greeting', type: 'string', default: 'hello' }],
		};
	}
	async execute() {
		const items = this.getInputData();
		return [
			items.map((item, itemIndex) => {
				const greeting = this.getNodeParameter('greeting', itemIndex);
				if (greeting === 'fail') throw new Error('probe was asked to fail');
				const json = { ...item.json, probe: greeting + ' from probe' };
				return { json, pairedItem: { item: itemIndex } };
			}),
		];
	}
}
module.exports = { E2eProbe };
`;

/** Write a tiny community-node package (one plain-JS node) in a temp folder; returns its root. */
export function writeProbePackage(): string {
	const root = mkdtempSync(join(tmpdir(), 'n8n-nodes-e2eprobe-'));
	const nodeFile = 'dist/nodes/E2eProbe/E2eProbe.node.js';
	mkdirSync(join(root, 'dist/nodes/E2eProbe'), { recursive: true });
	writeFileSync(join(root, nodeFile), NODE_SOURCE);
	const manifest = {
		name: PROBE_PACKAGE_NAME,
		version: '0.0.1',
		keywords: ['n8n-community-node-package'],
		main: 'index.js',
		files: ['dist'],
		n8n: { n8nNodesApiVersion: 1, strict: false, credentials: [], nodes: [nodeFile] },
	};
	writeFileSync(join(root, 'package.json'), JSON.stringify(manifest, null, '\t'));
	return root;
}
