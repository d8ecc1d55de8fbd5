import { parseArgs } from 'node:util';
import { EvalStore, formatRunReport, readDataset, runEvaluation } from '../lib/evaluate';
import type { RetrieveMode } from '../lib/retrieve';
import { ChromaVectorStore } from '../lib/vector/chroma';
import { IndexStateStore } from '../lib/store/index-state';
import { mysqlConfigFromUrl } from '../lib/store/mysql';
import { openMigratedPool } from './database';
import { chatModelFromOptions, embedderFromSpec, UsageError } from './services';
import { DEFAULT_CHROMA_URL, DEFAULT_MYSQL_URL } from './sync-args';

export const EVAL_USAGE = `Usage: repomind eval --dataset <file.json|jsonl|csv> --repo <repoKey> [options]

  --ref <ref>               indexed branch, tag or commit (default main)
  --mysql-url <url>         mysql://user:pass@host:3306/db   (env REPOMIND_MYSQL_URL)
  --chroma-url <url>        http://127.0.0.1:8000            (env REPOMIND_CHROMA_URL)
  --embedder <spec>         the index's embedder, as for repomind sync: hash[:dims], openai:<model>,
                            huggingface:<model>, onnx:<model>, worker:<url>  (env REPOMIND_EMBEDDER)
  --embed-base-url <url>    OpenAI-compatible embeddings API  (env OPENAI_BASE_URL)
  --chat-provider <p>       openai (default) or huggingface
  --chat-base-url <url>     OpenAI-compatible chat API or HF endpoint (env REPOMIND_CHAT_BASE_URL)
  --model <name>            chat model (default gpt-4o-mini)
  --judge-model <name>      judge model (default: --model);  --no-judge to skip judged metrics
  --mode <m>                hybrid (default), vector or lexical
  --top-k <n>               hits retrieved (default 10);  --k <n> metric cut-off (default top-k)
  --context-window <n>      chat model context window (default 16384);  --max-tokens <n> (default 1024)
  --name <text>             run name;  --compare <runId> compare with a stored run
  --no-store                do not store the run;  --json  print the run as JSON

Keys come from the environment: REPOMIND_CHAT_API_KEY for the chat and judge models (else OPENAI_API_KEY
or HF_TOKEN); embedder keys as for repomind sync (OPENAI_API_KEY, HF_TOKEN, HF_ENDPOINT_URL, REPOMIND_WORKER_API_KEY).`;

const OPTIONS = {
	dataset: { type: 'string' },
	repo: { type: 'string' },
	ref: { type: 'string', default: 'main' },
	'mysql-url': { type: 'string' },
	'chroma-url': { type: 'string' },
	embedder: { type: 'string' },
	'embed-base-url': { type: 'string' },
	'chat-provider': { type: 'string', default: 'openai' },
	'chat-base-url': { type: 'string' },
	model: { type: 'string', default: 'gpt-4o-mini' },
	'judge-model': { type: 'string' },
	'no-judge': { type: 'boolean', default: false },
	mode: { type: 'string', default: 'hybrid' },
	'top-k': { type: 'string', default: '10' },
	k: { type: 'string' },
	'context-window': { type: 'string', default: '16384' },
	'max-tokens': { type: 'string', default: '1024' },
	name: { type: 'string' },
	compare: { type: 'string' },
	'no-store': { type: 'boolean', default: false },
	json: { type: 'boolean', default: false },
} as const;

/** `repomind eval`: retrieve, answer and evaluate a dataset, store the run, print a table (or JSON). */
export async function evalCommand(args: string[], env: NodeJS.ProcessEnv, print: (text: string) => void, progress: (text: string) => void): Promise<void> {
	const { values } = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false });
	if (!values.dataset || !values.repo) throw new UsageError('--dataset and --repo are required');
	const number = (name: string, value: string | undefined) => {
		const parsed = Number(value);
		if (value === undefined || !Number.isInteger(parsed) || parsed < 1) throw new UsageError(`--${name} must be a positive integer: ${value}`);
		return parsed;
	};
	const topK = number('top-k', values['top-k']);
	const k = values.k === undefined ? topK : number('k', values.k);
	const compareWith = values.compare === undefined ? null : number('compare', values.compare);
	if (values['no-store'] && compareWith) throw new UsageError('--compare reads the stored run from MySQL: drop --no-store');
	const dataset = await readDataset(values.dataset);
	const chatBaseUrl = values['chat-base-url'] ?? env.REPOMIND_CHAT_BASE_URL;
	const model = chatModelFromOptions(values['chat-provider'], values.model, chatBaseUrl, env);
	const judgeModel = values['judge-model'] ? chatModelFromOptions(values['chat-provider'], values['judge-model'], chatBaseUrl, env) : model;
	const embedder = await embedderFromSpec(values.embedder ?? env.REPOMIND_EMBEDDER ?? 'openai:text-embedding-3-small', values['embed-base-url'], env);
	const pool = await openMigratedPool(mysqlConfigFromUrl(values['mysql-url'] ?? env.REPOMIND_MYSQL_URL ?? DEFAULT_MYSQL_URL));
	try {
		const run = await runEvaluation(
			{
				retrieval: { state: new IndexStateStore(pool), vectors: new ChromaVectorStore({ url: values['chroma-url'] ?? env.REPOMIND_CHROMA_URL ?? DEFAULT_CHROMA_URL }), embedder },
				generation: { model, contextWindow: number('context-window', values['context-window']), maxTokens: number('max-tokens', values['max-tokens']), temperature: 0 },
				judge: values['no-judge'] ? undefined : { model: judgeModel },
				store: values['no-store'] ? undefined : new EvalStore(pool),
			},
			{
				dataset,
				repoKey: values.repo,
				ref: values.ref,
				retrieval: { mode: values.mode as RetrieveMode, topK },
				k,
				name: values.name,
				compareWith,
				onItem: (result, index) => progress(`[${index + 1}/${dataset.length}] ${result.id}${result.error ? `: ${result.error}` : ''}`),
			},
		);
		print(values.json ? JSON.stringify(run, null, 2) : formatRunReport(run));
	} finally {
		await pool.end();
	}
}
