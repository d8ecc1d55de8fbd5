/**
 * A small stand-in for n8n's IExecuteFunctions: only the edge between n8n and a node. Parameters get
 * their defaults (and lose hidden ones) through n8n's own NodeHelpers.getNodeParameters; simple
 * `={{ $json.field }}` expressions resolve against the item, as n8n resolves them per item.
 */
import { realpathSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
	NodeHelpers,
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type NodeParameterValueType,
} from 'n8n-workflow';
import { isInsideFolder } from '../../lib/source/local-git';

export interface FakeExecuteOptions {
	/** Input items, as n8n items or plain JSON objects. Default: one empty item. */
	items?: Array<INodeExecutionData | IDataObject>;
	/** Node parameters shared by every item, or one object per item. */
	parameters: INodeParameters | INodeParameters[];
	/** Decrypted credentials by credential type name, e.g. `repoMindMySql`. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** The node's "On Error: Continue" setting. Default false. */
	continueOnFail?: boolean;
	/** The node's version. Default 1. */
	typeVersion?: number;
	/** n8n's N8N_RESTRICT_FILE_ACCESS_TO as a list; default none (every path readable). */
	restrictFileAccessTo?: string[];
	/** What plugged-in sub-nodes supply, by connection type (e.g. `ai_languageModel`). */
	connections?: Record<string, unknown>;
	/** When given, the run streams (isStreaming() is true) and every sendChunk lands here. */
	chunks?: Array<{ type: string; itemIndex: number; content?: unknown }>;
}

/** What a node run gave: its first output's items, or the error it threw. */
export type NodeRunResult = { output: INodeExecutionData[]; error?: undefined } | { output?: undefined; error: Error };

const SIMPLE_EXPRESSION = /^=\{\{\s*\$json(?:\.([A-Za-z_$][\w$]*)|\[['"]([^'"]+)['"]\])\s*\}\}$/;

/** Resolves `={{ $json.field }}`; any other expression is beyond this stand-in and throws. */
function resolveExpression(value: unknown, json: IDataObject): unknown {
	if (typeof value === 'string' && value.startsWith('=')) {
		const match = SIMPLE_EXPRESSION.exec(value);
		if (!match) throw new Error(`fake-execute cannot evaluate the expression ${value}`);
		return json[match[1] ?? match[2]];
	}
	if (Array.isArray(value)) return value.map((entry) => resolveExpression(entry, json));
	if (value && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, resolveExpression(entry, json)]));
	}
	return value;
}

/** Reads a dotted path such as `options.withContent`. */
function valueAt(parameters: INodeParameters, path: string): unknown {
	let value: unknown = parameters;
	for (const key of path.split('.')) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return value;
}

function toItem(item: INodeExecutionData | IDataObject): INodeExecutionData {
	const isItem = typeof item.json === 'object' && item.json !== null && !Array.isArray(item.json);
	return isItem ? (item as INodeExecutionData) : { json: item as IDataObject };
}

/** n8n's path helpers with its N8N_RESTRICT_FILE_ACCESS_TO semantics (symlinks resolved, folders contain their subfolders). */
function fileSystemHelpers(allowed: string[]) {
	return {
		async resolvePath(path: string) {
			return realpath(path).catch(async () => join(await realpath(dirname(path)), basename(path)));
		},
		isFilePathBlocked: (path: string) => allowed.length > 0 && !allowed.some((folder) => isInsideFolder(realpathSync(folder), path)),
	};
}

/** An IExecuteFunctions for `nodeType` with the given items, parameters, credentials and error mode. */
export function fakeExecuteFunctions(nodeType: INodeType, options: FakeExecuteOptions): IExecuteFunctions {
	const description = nodeType.description;
	const items = (options.items ?? [{}]).map(toItem);
	const typeVersion = options.typeVersion ?? 1;
	const given = (itemIndex: number) => (Array.isArray(options.parameters) ? options.parameters[itemIndex] : options.parameters) ?? {};
	const resolved = (itemIndex: number): INodeParameters => {
		const withDefaults = NodeHelpers.getNodeParameters(description.properties, given(itemIndex), true, false, { typeVersion }, description) ?? {};
		return resolveExpression(withDefaults, items[itemIndex]?.json ?? {}) as INodeParameters;
	};
	const node: INode = {
		id: '00000000-0000-4000-8000-000000000001',
		name: String(description.defaults.name ?? description.displayName),
		type: `n8n-nodes-repomind.${description.name}`,
		typeVersion,
		position: [0, 0],
		parameters: given(0),
	};
	const functions = {
		getInputData: () => items,
		getNode: () => node,
		continueOnFail: () => options.continueOnFail ?? false,
		getMode: () => 'manual',
		getNodeParameter(name: string, itemIndex: number, fallbackValue?: unknown, parameterOptions?: { extractValue?: boolean }): NodeParameterValueType | object {
			const value = valueAt(resolved(itemIndex), name) ?? fallbackValue;
			if (value === undefined) throw new Error(`Could not get parameter "${name}"`);
			// n8n's extractValue gives a resource locator's value (RepoMind's modes have no extractValue rules of their own)
			if (parameterOptions?.extractValue && value && typeof value === 'object' && '__rl' in value) return (value as unknown as { value: NodeParameterValueType }).value;
			return value as NodeParameterValueType;
		},
		async getCredentials(type: string): Promise<ICredentialDataDecryptedObject> {
			const credentials = options.credentials?.[type];
			if (!credentials) throw new NodeOperationError(node, `Node "${node.name}" does not have any credentials of type "${type}" set`);
			return { ...credentials };
		},
		helpers: fileSystemHelpers(options.restrictFileAccessTo ?? []),
		async getInputConnectionData(type: string) {
			return options.connections?.[type];
		},
		isStreaming: () => options.chunks !== undefined,
		sendChunk(type: string, itemIndex: number, content?: unknown) {
			options.chunks?.push({ type, itemIndex, ...(content === undefined ? {} : { content }) });
		},
	};
	return functions as unknown as IExecuteFunctions;
}

/** Runs the node's real execute() once and returns its first output, or the error it threw. */
export async function runNode(nodeType: INodeType, options: FakeExecuteOptions): Promise<NodeRunResult> {
	if (!nodeType.execute) throw new Error(`${nodeType.description.name} has no execute()`);
	try {
		const outputs = await nodeType.execute.call(fakeExecuteFunctions(nodeType, options));
		if (!Array.isArray(outputs)) throw new Error('fake-execute does not run engine requests');
		return { output: outputs[0] ?? [] };
	} catch (error) {
		return { error: error as Error };
	}
}

/** Like runNode, but fails the test when the node threw. */
export async function runNodeOk(nodeType: INodeType, options: FakeExecuteOptions): Promise<INodeExecutionData[]> {
	const result = await runNode(nodeType, options);
	if (result.error) throw result.error;
	return result.output;
}

/** Like runNode, but fails the test when the node did not throw. */
export async function runNodeError(nodeType: INodeType, options: FakeExecuteOptions): Promise<Error> {
	const result = await runNode(nodeType, options);
	if (!result.error) throw new Error(`expected ${nodeType.description.name} to throw, got ${JSON.stringify(result.output)}`);
	return result.error;
}

/** Throws when any of `secrets` occurs in the output items or in the error's message, description or JSON. */
export function assertNoSecrets(result: { output?: unknown; error?: unknown }, secrets: string[]): void {
	const error = result.error as (Error & { description?: unknown }) | undefined;
	const texts = [JSON.stringify(result.output ?? null), error?.message ?? '', String(error?.description ?? ''), JSON.stringify(error ?? null), error?.stack ?? ''];
	for (const secret of secrets) {
		for (const text of texts) {
			if (text.includes(secret)) throw new Error(`secret ${secret.slice(0, 3)}… leaked: ${text.slice(0, 500)}`);
		}
	}
}
