import { randomUUID } from 'node:crypto';

type Node = Record<string, unknown> & { name: string };

/** A linear workflow: each node feeds the next on its first output. */
export function linearWorkflow(id: string, name: string, nodes: Node[]): Record<string, unknown> {
	const connections: Record<string, unknown> = {};
	for (let i = 0; i + 1 < nodes.length; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	const placed = nodes.map((node, i) => ({ id: randomUUID(), position: [i * 220, 0], ...node }));
	return { id, name, active: false, nodes: placed, connections, settings: {} };
}

/** n8n's manual trigger node. */
export const manualTrigger = (): Node => ({
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	parameters: {},
});

/** n8n's Set node assigning string fields (values may be expressions starting with `=`). */
export function setFields(name: string, fields: Record<string, string>): Node {
	const assignments = Object.entries(fields).map(([field, value]) => ({
		id: randomUUID(),
		name: field,
		value,
		type: 'string',
	}));
	return {
		name,
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		parameters: { assignments: { assignments }, options: {} },
	};
}

/** n8n's Webhook node answering with the last node's first item. */
export function webhookTrigger(path: string): Node {
	return {
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', options: {} },
	};
}
