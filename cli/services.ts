import { createEmbedder } from '../lib/embed';
import { createWorkerEmbedder } from '../lib/embed/worker';
import { InvalidInputError } from '../lib/errors';
import { createChatModel, type ChatModel } from '../lib/generate';
import { migrate } from '../lib/store/migrate';
import { mysqlConfigFromUrl, mysqlError, openPool } from '../lib/store/mysql';
import type { Embedder } from '../lib/types';

type Env = NodeJS.ProcessEnv;

/**
 * The embedder named `<provider>:<model>`: `openai:text-embedding-3-small` (with --embed-base-url),
 * `hf:<model>` or `hf:<endpoint URL>`, `onnx:<folder or hub name>`, `hash:<dimensions>`, `worker:<URL>`.
 * Keys come from the environment: REPOMIND_EMBED_API_KEY, else OPENAI_API_KEY / HF_TOKEN.
 */
export async function embedderFromSpec(spec: string, baseURL: string | undefined, env: Env): Promise<Embedder> {
	const colon = spec.indexOf(':');
	const provider = colon > 0 ? spec.slice(0, colon) : '';
	const model = spec.slice(colon + 1);
	if (!model) throw usage(`--embedder needs <provider>:<model>, got "${spec}"`);
	const key = env.REPOMIND_EMBED_API_KEY;
	switch (provider) {
		case 'openai':
			return createEmbedder({ provider: 'openai', model, apiKey: key || env.OPENAI_API_KEY || 'none', baseURL });
		case 'hf':
			return /^https?:\/\//.test(model)
				? createEmbedder({ provider: 'huggingface', endpointUrl: model, token: key || env.HF_TOKEN })
				: createEmbedder({ provider: 'huggingface', model, token: key || env.HF_TOKEN });
		case 'onnx':
			return createEmbedder({ provider: 'onnx', model });
		case 'hash':
			return createEmbedder({ provider: 'hash', dimensions: Number(model) });
		case 'worker':
			return createWorkerEmbedder({ url: model, apiKey: key || undefined });
		default:
			throw usage(`Unknown embedding provider "${provider}" in --embedder ${spec}`, 'Use openai:, hf:, onnx:, hash: or worker:');
	}
}

/** A chat model of the OpenAI-compatible API at baseURL, or of Hugging Face; keys from REPOMIND_CHAT_API_KEY, else OPENAI_API_KEY / HF_TOKEN. */
export function chatModelFromOptions(provider: string, model: string, baseURL: string | undefined, env: Env): ChatModel {
	const key = env.REPOMIND_CHAT_API_KEY;
	if (provider === 'huggingface') return createChatModel({ provider: 'huggingface', model, endpointUrl: baseURL, token: key || env.HF_TOKEN });
	if (provider !== 'openai') throw usage(`Unknown --chat-provider "${provider}"`, 'Use openai or huggingface');
	return createChatModel({ provider: 'openai', model, baseURL, apiKey: key || env.OPENAI_API_KEY });
}

/** A MySQL pool with RepoMind's schema brought up to date. */
export async function openMigratedPool(url: string) {
	const config = mysqlConfigFromUrl(url);
	const pool = openPool(config);
	try {
		await migrate(pool);
	} catch (error) {
		await pool.end().catch(() => undefined);
		throw mysqlError(error, config);
	}
	return pool;
}

/** A usage error: the CLI prints it with the usage and exits 2. */
export class UsageError extends InvalidInputError {}

function usage(message: string, hint?: string): UsageError {
	return new UsageError(message, hint);
}
