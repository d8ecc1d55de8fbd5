import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { reportNodeError } from './errors';

/**
 * Runs `handle` for every input item. Each result is paired with its item; a failure becomes a
 * NodeOperationError with the item index (its message logged), or an `{ error }` item when Continue On Fail is on.
 */
export async function mapItems(
	context: IExecuteFunctions,
	handle: (itemIndex: number, item: INodeExecutionData) => Promise<IDataObject[]>,
): Promise<INodeExecutionData[]> {
	const items = context.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const results = await handle(itemIndex, items[itemIndex]);
			for (const json of results) output.push({ json, pairedItem: { item: itemIndex } });
		} catch (error) {
			const continued = context.continueOnFail();
			const nodeError = reportNodeError(context, error, itemIndex, continued);
			if (!continued) throw nodeError;
			output.push({
				json: { ...items[itemIndex].json, error: nodeError.message, errorDescription: nodeError.description ?? null },
				pairedItem: { item: itemIndex },
			});
		}
	}
	return output;
}

/** Splits a comma- or newline-separated parameter into trimmed, non-empty values. */
export function splitList(value: string | undefined): string[] {
	return (value ?? '')
		.split(/[\n,]/)
		.map((part) => part.trim())
		.filter(Boolean);
}
