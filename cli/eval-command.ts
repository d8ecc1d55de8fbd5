import { parseArgs } from 'node:util';
import { EvalStore, formatRunReport, readDataset, runEvaluation, type FinishedRun } from '../lib/evaluate';
import { CHAT_OPTIONS } from './ask-command';
import { openIndex, positiveInteger, RETRIEVAL_OPTIONS, RETRIEVAL_USAGE, retrievalSettings } from './retrieval-args';
import { chatModelFromOptions, UsageError } from './services';

export const EVAL_USAGE = `Usage: repomind eval --dataset <file.json|jsonl|csv> --repo <path | github:owner/repo> [options]

${RETRIEVAL_USAGE}
  --k <n>                   metric cut-off (default top-k)
  --retrieval-only          retrieval metrics only: no chat model is called (no answer, no judge)
  --chat-provider <p>       openai (default) or huggingface
  --chat-base-url <url>     OpenAI-compatible chat API or HF endpoint (env REPOMIND_CHAT_BASE_URL; never
                            OPENAI_BASE_URL, which is the embeddings API's)
  --model <name>            chat model (default gpt-4o-mini)
  --judge-model <name>      judge model (default: --model);  --no-judge to skip judged metrics
  --context-window <n>      chat model context window (default 16384);  --max-tokens <n> (default 1024)
  --name <text>             run name;  --compare <runId> compare with a stored run
  --no-store                do not store the run;  --json  print the run as JSON (with each item's
                            retrieved files)

Exits 1 when every item failed (e.g. the repository has no index).

Keys come from the environment: REPOMIND_CHAT_API_KEY for the chat and judge models (else OPENAI_API_KEY
or HF_TOKEN); embedder keys as for repomind sync (OPENAI_API_KEY, HF_TOKEN, HF_ENDPOINT_URL, REPOMIND_WORKER_API_KEY).`;

const OPTIONS = {
	...RETRIEVAL_OPTIONS,
	...CHAT_OPTIONS,
	dataset: { type: 'string' },
	'judge-model': { type: 'string' },
	'no-judge': { type: 'boolean', default: false },
	'retrieval-only': { type: 'boolean', default: false },
	k: { type: 'string' },
	name: { type: 'string' },
	compare: { type: 'string' },
	'no-store': { type: 'boolean', default: false },
	json: { type: 'boolean', default: false },
} as const;

/** `repomind eval`: retrieve, answer and evaluate a dataset, store the run, print a table (or JSON); resolves to the run. */
export async function evalCommand(args: string[], env: NodeJS.ProcessEnv, print: (text: string) => void, progress: (text: string) => void): Promise<FinishedRun> {
	const { values } = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false });
	if (!values.dataset || !values.repo) throw new UsageError('--dataset and --repo are required');
	const settings = retrievalSettings(values);
	const k = values.k === undefined ? settings.topK : positiveInteger('k', values.k);
	const compareWith = values.compare === undefined ? null : positiveInteger('compare', values.compare);
	if (values['no-store'] && compareWith) throw new UsageError('--compare reads the stored run from MySQL: drop --no-store');
	const dataset = await readDataset(values.dataset);
	const retrievalOnly = values['retrieval-only'] ?? false;
	const chatBaseUrl = values['chat-base-url'] ?? env.REPOMIND_CHAT_BASE_URL;
	const chat = (name: string) => chatModelFromOptions(values['chat-provider'] ?? 'openai', name, chatBaseUrl, env);
	const model = retrievalOnly ? null : chat(values.model ?? 'gpt-4o-mini');
	const judgeModel = model && values['judge-model'] ? chat(values['judge-model']) : model;
	const index = await openIndex(values, env);
	try {
		const run = await runEvaluation(
			{
				retrieval: index.deps,
				generation: model ? { model, contextWindow: positiveInteger('context-window', values['context-window']), maxTokens: positiveInteger('max-tokens', values['max-tokens']), temperature: 0 } : undefined,
				judge: values['no-judge'] || !judgeModel ? undefined : { model: judgeModel },
				store: values['no-store'] ? undefined : new EvalStore(index.pool),
			},
			{
				dataset,
				repoKey: index.repoKey,
				ref: index.ref,
				retrieval: settings,
				k,
				name: values.name,
				compareWith,
				onItem: (result, position) => progress(`[${position + 1}/${dataset.length}] ${result.id}${result.error ? `: ${result.error}` : ''}`),
			},
		);
		print(values.json ? JSON.stringify(run, null, 2) : formatRunReport(run));
		return run;
	} finally {
		await index.close();
	}
}
