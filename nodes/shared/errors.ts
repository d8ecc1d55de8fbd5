import { NodeOperationError, type INode, type Logger } from 'n8n-workflow';
import { RepoMindError } from '../../lib/errors';
import { redact } from '../../lib/util/api-error';

/** Turns anything thrown by the core into a NodeOperationError for the item, with the core's hint as description. */
export function toNodeError(node: INode, error: unknown, itemIndex: number): NodeOperationError {
	if (error instanceof NodeOperationError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	const message = redact(error instanceof Error ? error.message : String(error));
	const description = error instanceof RepoMindError ? error.hint : undefined;
	const nodeError = new NodeOperationError(node, message, { itemIndex, description });
	// n8n swaps a message naming ECONNREFUSED, ENOENT, … for a generic text without host and port.
	nodeError.message = message;
	nodeError.messages = [];
	return nodeError;
}

/** What reportNodeError needs of an execute or supply-data context. */
export interface ErrorContext {
	getNode(): INode;
	logger?: Logger;
}

/**
 * toNodeError, and the message with what to fix written to n8n's log. n8n logs a community node's
 * error by class name and stack only (its own error classes are another copy of n8n-workflow), so
 * without this line the log never says what failed. `continued`: Continue On Fail took the item.
 */
export function reportNodeError(context: ErrorContext, error: unknown, itemIndex: number, continued = false): NodeOperationError {
	const node = context.getNode();
	const nodeError = toNodeError(node, error, itemIndex);
	const line = `${node.name} (${node.type}) failed on item ${itemIndex}${continued ? ', continuing' : ''}: ${nodeError.message}${nodeError.description ? ` | ${nodeError.description}` : ''}`;
	context.logger?.[continued ? 'warn' : 'error'](line, { node: node.name, nodeType: node.type, itemIndex });
	return nodeError;
}
