import { NodeOperationError, type INode } from 'n8n-workflow';
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
