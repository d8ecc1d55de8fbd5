import { NodeConnectionTypes, NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';
import { createChatModel, isLangChainChatModel, LangChainChatModel, type ChatModel, type GenerateSettings } from '../../lib/generate';
import type { Pool } from 'mysql2/promise';
import { AnswerCache, checkedTtl, DEFAULT_TTL_SECONDS, type CacheUse } from '../../lib/cache';
import { IndexStateStore } from '../../lib/store/index-state';
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
	if (provider === 'chatModelNode') return connectedChatModel(context, itemIndex);
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

/** The LangChain chat model of the sub-node plugged into the Chat Model input (it keeps its own retries and temperature). */
export async function connectedChatModel(context: IExecuteFunctions, itemIndex: number): Promise<ChatModel> {
	const model = await context.getInputConnectionData(NodeConnectionTypes.AiLanguageModel, itemIndex);
	if (!isLangChainChatModel(model)) {
		throw new NodeOperationError(context.getNode(), 'No chat model is connected', {
			itemIndex,
			description: 'Plug a Chat Model sub-node (e.g. OpenAI Chat Model, Ollama Chat Model) into the Chat Model input, or choose another Chat Provider',
		});
	}
	return new LangChainChatModel(model);
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
		temperature: context.getNodeParameter('chatProvider', itemIndex) === 'chatModelNode' ? undefined : (context.getNodeParameter('temperature', itemIndex) as number),
	};
}

/** An open query log; close() ends its pool. */
export interface OpenQueryLog {
	log: QueryLog;
	pool: Pool;
	close(): Promise<void>;
}

/** Opens the query log from the repoMindMySql credential, with the schema brought up to date. */
export async function openQueryLog(context: IExecuteFunctions): Promise<OpenQueryLog> {
	const pool = await migratedPoolFrom(context, 2);
	return { log: new QueryLog(pool), pool, close: () => pool.end() };
}

/** The answer cache in the query log's database, with the TTL of the Cache TTL parameter. */
export async function answerCacheFrom(context: IExecuteFunctions, itemIndex: number, open: () => Promise<OpenQueryLog>): Promise<CacheUse> {
	const ttlSeconds = checkedTtl(context.getNodeParameter('cacheTtlSeconds', itemIndex, DEFAULT_TTL_SECONDS));
	const { pool } = await open();
	return { cache: new AnswerCache(pool), state: new IndexStateStore(pool), ttlSeconds };
}
