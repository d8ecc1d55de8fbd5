import type { IExecuteFunctions } from 'n8n-workflow';
import { createChatModel, type ChatModel, type GenerateSettings } from '../../lib/generate';
import { QueryLog } from '../../lib/store/query-log';
import { migratedPoolFrom } from '../shared/connections';

export interface GenerateOptions {
	retries?: number;
	timeoutSeconds?: number;
	includeSources?: boolean;
	/** Outline of RepoMind Repo Fetch's Repository Map, put before the sources. */
	outline?: string;
}

/** The chat model chosen by the provider parameter and its credential. */
export async function chatModelFrom(
	context: IExecuteFunctions,
	itemIndex: number,
	options: GenerateOptions,
): Promise<ChatModel> {
	const provider = context.getNodeParameter('chatProvider', itemIndex) as string;
	const retries = options.retries ?? 3;
	if (provider === 'huggingFace') {
		const credentials = await context.getCredentials('repoMindHuggingFaceApi', itemIndex);
		const endpointUrl = ((credentials.endpointUrl as string | undefined) ?? '').trim() || undefined;
		const model = (context.getNodeParameter('huggingFaceChatModel', itemIndex) as string).trim();
		return createChatModel({
			provider: 'huggingface',
			model,
			endpointUrl,
			token: (credentials.accessToken as string) || undefined,
			retries,
		});
	}
	const credentials = await context.getCredentials('repoMindOpenAiApi', itemIndex);
	return createChatModel({
		provider: 'openai',
		model: (context.getNodeParameter('openAiChatModel', itemIndex) as string).trim(),
		apiKey: (credentials.apiKey as string) || undefined,
		baseURL: ((credentials.baseUrl as string | undefined) ?? '').replace(/\/+$/, '') || undefined,
		timeoutMs: (options.timeoutSeconds ?? 120) * 1000,
		retries,
	});
}

/** Model, limits and temperature for one item. */
export async function settingsFrom(
	context: IExecuteFunctions,
	itemIndex: number,
	options: GenerateOptions,
): Promise<GenerateSettings> {
	return {
		model: await chatModelFrom(context, itemIndex, options),
		contextWindow: context.getNodeParameter('contextWindow', itemIndex) as number,
		maxTokens: context.getNodeParameter('maxTokens', itemIndex) as number,
		temperature: context.getNodeParameter('temperature', itemIndex) as number,
	};
}

/** An open query log; close() ends its pool. */
export interface OpenQueryLog {
	log: QueryLog;
	close(): Promise<void>;
}

/** Opens the query log from the repoMindMySql credential, with the schema brought up to date. */
export async function openQueryLog(context: IExecuteFunctions): Promise<OpenQueryLog> {
	const pool = await migratedPoolFrom(context, 2);
	return { log: new QueryLog(pool), close: () => pool.end() };
}
