import { answerQuestion, hitsFromJson, type AnswerResult } from '../lib/generate';
import { retrieve } from '../lib/retrieve';
import { openIndex, positiveInteger, RETRIEVAL_OPTIONS, RETRIEVAL_USAGE, retrievalSettings } from './retrieval-args';
import { parseQuestionArgs } from './search-command';
import { chatModelFromOptions } from './services';

export const ASK_USAGE = `Usage: repomind ask "<question>" --repo <path | github:owner/repo> [options]

${RETRIEVAL_USAGE}
  --chat-provider <p>       openai (default) or huggingface
  --chat-base-url <url>     OpenAI-compatible chat API or HF endpoint (env REPOMIND_CHAT_BASE_URL; never
                            OPENAI_BASE_URL, which is the embeddings API's)
  --model <name>            chat model (default gpt-4o-mini)
  --context-window <n>      chat model context window (default 16384);  --max-tokens <n> (default 1024)
  --json                    print the answer, its citations and the retrieved files as JSON (not streamed)

The answer is streamed to the terminal as the model writes it, then its sources are listed.
Chat key: REPOMIND_CHAT_API_KEY (else OPENAI_API_KEY or HF_TOKEN).`;

export const CHAT_OPTIONS = {
	'chat-provider': { type: 'string', default: 'openai' },
	'chat-base-url': { type: 'string' },
	model: { type: 'string', default: 'gpt-4o-mini' },
	'context-window': { type: 'string', default: '16384' },
	'max-tokens': { type: 'string', default: '1024' },
} as const;

/** `repomind ask`: retrieve, then a cited answer streamed to `write` (or JSON with --json). */
export async function askCommand(args: string[], env: NodeJS.ProcessEnv, write: (text: string) => void): Promise<void> {
	const { question, values } = parseQuestionArgs(args, { ...RETRIEVAL_OPTIONS, ...CHAT_OPTIONS, json: { type: 'boolean', default: false } });
	const settings = retrievalSettings(values);
	const model = chatModelFromOptions(values['chat-provider'] ?? 'openai', values.model ?? 'gpt-4o-mini', values['chat-base-url'] ?? env.REPOMIND_CHAT_BASE_URL, env);
	const generation = {
		model,
		contextWindow: positiveInteger('context-window', values['context-window']),
		maxTokens: positiveInteger('max-tokens', values['max-tokens']),
		temperature: 0,
		onToken: values.json ? undefined : write,
	};
	const index = await openIndex(values, env);
	try {
		const retrieved = await retrieve(index.deps, { question, repoKey: index.repoKey, ref: index.ref, ...settings });
		const answer = await answerQuestion({ question, hits: hitsFromJson(retrieved.hits), emptyReason: retrieved.reason }, generation);
		if (values.json) {
			write(`${JSON.stringify({ question, answer: answer.answer, citations: answer.citations, invalidCitations: answer.invalidCitations, retrievedPaths: [...new Set(retrieved.hits.map((hit) => hit.path))], model: answer.model, usage: answer.usage }, null, 2)}\n`);
			return;
		}
		if (answer.noRelevantContext) write(answer.answer);
		write(`\n\n${formatSources(answer)}\n`);
	} finally {
		await index.close();
	}
}

/** The cited sources under a streamed answer; removed citations are named so the reader knows. */
export function formatSources(answer: AnswerResult): string {
	const lines = answer.citations.map((citation) => `[${citation.n}] ${citation.path}${citation.startLine ? `:${citation.startLine}-${citation.endLine}` : ''}`);
	if (answer.invalidCitations.length > 0) lines.push(`(${answer.invalidCitations.length} citation(s) did not match a retrieved source and were removed from the checked answer)`);
	return lines.length > 0 ? `Sources:\n${lines.join('\n')}` : 'Sources: none cited';
}
