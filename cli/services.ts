import { createEmbedder } from '../lib/embed';
import { createWorkerEmbedder } from '../lib/embed/worker';
import { InvalidInputError } from '../lib/errors';
import { createChatModel, type ChatModel } from '../lib/generate';
import type { Embedder } from '../lib/types';
import { embedderConfigFromSpec } from './sync-args';

type Env = NodeJS.ProcessEnv;

/** OpenAI's own API, the chat default when no --chat-base-url (or REPOMIND_CHAT_BASE_URL) is given. */
export const OPENAI_API_URL = 'https://api.openai.com/v1';

/** The embedder an `--embedder` spec names, exactly as `repomind sync` builds it; `embedBaseUrl` overrides OPENAI_BASE_URL. */
export async function embedderFromSpec(spec: string, embedBaseUrl: string | undefined, env: Env): Promise<Embedder> {
	const config = embedderConfigFromSpec(spec, embedBaseUrl ? { ...env, OPENAI_BASE_URL: embedBaseUrl } : env);
	if (config.provider === 'worker') return createWorkerEmbedder({ url: config.url, apiKey: config.apiKey });
	return createEmbedder(config);
}

/** A chat model of the OpenAI-compatible API at baseURL, or of Hugging Face; keys from REPOMIND_CHAT_API_KEY, else OPENAI_API_KEY / HF_TOKEN. */
export function chatModelFromOptions(provider: string, model: string, baseURL: string | undefined, env: Env): ChatModel {
	const key = env.REPOMIND_CHAT_API_KEY;
	if (provider === 'huggingface') return createChatModel({ provider: 'huggingface', model, endpointUrl: baseURL, token: key || env.HF_TOKEN });
	if (provider !== 'openai') throw new UsageError(`Unknown --chat-provider "${provider}"`, 'Use openai or huggingface');
	// Explicit default: the OpenAI SDK would otherwise read OPENAI_BASE_URL, which is the embeddings API's setting.
	return createChatModel({ provider: 'openai', model, baseURL: baseURL || OPENAI_API_URL, apiKey: key || env.OPENAI_API_KEY });
}

/** A usage error: the CLI prints it with the usage and exits 2. */
export class UsageError extends InvalidInputError {}
