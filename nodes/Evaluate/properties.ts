import type { DisplayCondition, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { beforeVersion, refLocator, repositoryLocator } from '../shared/repository-locator';

/** The first version of Evaluate that picks the repository and ref from the index. */
export const PICKERS_SINCE = 1.2;

const item = { operation: ['evaluateItem'] };
const aggregate = { operation: ['aggregate'] };
const judged = { operation: ['evaluateItem'], useJudge: [true] };

/** The judge's Chat Model Provider for some node versions; version 1.1 adds the Connected Chat Model (an ai_languageModel input). */
function judgeProvider(versions: Array<number | DisplayCondition>, extra: INodePropertyOptions[]): INodeProperties {
	return {
		displayName: 'Chat Model Provider',
		name: 'chatProvider',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'OpenAI-Compatible API', value: 'openAiCompatible', description: 'OpenAI, vLLM, Ollama, LiteLLM, the Hugging Face router' },
			{ name: 'Hugging Face', value: 'huggingFace', description: 'A TGI / Inference Endpoint URL from the credential, or a model on the HF router' },
			...extra,
		],
		default: 'openAiCompatible',
		displayOptions: { show: { ...judged, '@version': versions } },
	};
}

/** Operation and the fields of one evaluated item. */
export const itemProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Aggregate', value: 'aggregate', action: 'Aggregate item metrics into a run', description: 'All evaluated items into one summary, stored in MySQL and optionally compared with an earlier run' },
			{ name: 'Evaluate Item', value: 'evaluateItem', action: 'Evaluate one question', description: 'Retrieval, citation, match and judged metrics of one question' },
		],
		default: 'evaluateItem',
	},
	{ displayName: 'Item ID', name: 'itemId', type: 'string', default: '={{ $json.id }}', description: 'Stable key of the question in the dataset, used to compare runs; empty: the question', displayOptions: { show: item } },
	{ displayName: 'Question', name: 'question', type: 'string', default: '={{ $json.question }}', required: true, displayOptions: { show: item } },
	{ displayName: 'Retrieved Hits', name: 'hits', type: 'json', default: '={{ $json.hits }}', description: "RepoMind Retrieve's hits in rank order; after Generate, point at the Retrieve node's hits field", displayOptions: { show: item } },
	{ displayName: 'Answer', name: 'answer', type: 'string', default: '={{ $json.answer }}', typeOptions: { rows: 2 }, description: "RepoMind Generate's answer; empty: answer metrics are skipped", displayOptions: { show: item } },
	{ displayName: 'Citations', name: 'citations', type: 'json', default: '={{ $json.citations }}', description: "RepoMind Generate's citations ({ n, chunkId, path, startLine, endLine })", displayOptions: { show: item } },
	{ displayName: 'Latency (Ms)', name: 'latencyMs', type: 'string', default: '={{ $json.latencyMs }}', description: 'Latency of the item in milliseconds, for p50/p95 in Aggregate; empty: unknown', displayOptions: { show: item } },
	{ displayName: 'Gold File Paths', name: 'goldPaths', type: 'string', default: '', placeholder: 'src/parse.ts; src/lex.ts', description: 'Files that hold the answer: a list, or text separated by ; , or new lines', displayOptions: { show: item } },
	{ displayName: 'Gold Line Spans', name: 'goldSpans', type: 'string', default: '', placeholder: 'src/parse.ts:10-24', description: 'Spans path:start-end that hold the answer (a hit counts when its lines overlap one)', displayOptions: { show: item } },
	{ displayName: 'Gold Chunk IDs', name: 'goldChunkIds', type: 'string', default: '', description: 'IDs of the chunks that hold the answer', displayOptions: { show: item } },
	{ displayName: 'Reference Answer', name: 'referenceAnswer', type: 'string', default: '', typeOptions: { rows: 2 }, description: 'For exact match, token F1 and edit similarity', displayOptions: { show: item } },
	{ displayName: 'K', name: 'k', type: 'number', default: 10, typeOptions: { minValue: 1, maxValue: 200 }, description: 'Cut-off of the retrieval metrics (hit rate, recall, precision, MRR, nDCG at k)', displayOptions: { show: item } },
	{ displayName: 'Judge With an LLM', name: 'useJudge', type: 'boolean', default: true, description: 'Whether a chat model judges faithfulness and answer relevance', displayOptions: { show: item } },
	{
		displayName: 'Judged Metrics',
		name: 'judgedMetrics',
		type: 'multiOptions',
		options: [
			{ name: 'Answer Relevance', value: 'answerRelevance', description: 'Does the answer address the question?' },
			{ name: 'Faithfulness', value: 'faithfulness', description: 'Is every claim supported by the retrieved text?' },
		],
		default: ['faithfulness', 'answerRelevance'],
		displayOptions: { show: judged },
	},
	judgeProvider([1], []),
	judgeProvider([{ _cnd: { gte: 1.1 } }], [
		{ name: 'Connected Chat Model', value: 'chatModelNode', description: 'Any n8n Chat Model sub-node (OpenAI, Anthropic, Azure OpenAI, Gemini, Mistral, Groq, Bedrock, Ollama, …) plugged into the Chat Model input' },
	]),
	{ displayName: 'Judge Model', name: 'openAiChatModel', type: 'string', default: 'gpt-4o-mini', required: true, displayOptions: { show: { ...judged, chatProvider: ['openAiCompatible'] } } },
	{ displayName: 'Judge Model', name: 'huggingFaceChatModel', type: 'string', default: 'meta-llama/Llama-3.1-8B-Instruct', required: true, displayOptions: { show: { ...judged, chatProvider: ['huggingFace'] } } },
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: judged },
		options: [
			{ displayName: 'Malformed Verdict Retries', name: 'verdictRetries', type: 'number', default: 2, typeOptions: { minValue: 0, maxValue: 5 }, description: 'How often a verdict that is not valid JSON { score, reason } is asked for again' },
			{ displayName: 'Retries', name: 'retries', type: 'number', default: 3, typeOptions: { minValue: 0, maxValue: 10 }, description: 'Retries on 429, 5xx and connection errors, with backoff honouring Retry-After' },
			{ displayName: 'Timeout (Seconds)', name: 'timeoutSeconds', type: 'number', default: 120, typeOptions: { minValue: 1 }, description: 'Per request (OpenAI-compatible provider)' },
		],
	},
];

/** Where the run goes and what it is compared with. */
export const aggregateProperties: INodeProperties[] = [
	{ displayName: 'Run Name', name: 'runName', type: 'string', default: '', placeholder: 'hybrid, top 8, gpt-4o-mini', description: 'A label for the run', displayOptions: { show: aggregate } },
	...beforeVersion([
		{ displayName: 'Repository Key', name: 'repositoryKey', type: 'string', default: '', placeholder: 'github:owner/repo', description: 'The evaluated repository, stored with the run', displayOptions: { show: aggregate } },
		{ displayName: 'Ref', name: 'ref', type: 'string', default: '', placeholder: 'main', displayOptions: { show: aggregate } },
	], PICKERS_SINCE),
	repositoryLocator({ since: PICKERS_SINCE, show: aggregate, required: false, description: 'The evaluated repository, stored with the run: pick it from the index, or give its key or URL' }),
	refLocator({ since: PICKERS_SINCE, show: aggregate, required: false, description: 'The evaluated ref, stored with the run' }),
	{ displayName: 'Store Run', name: 'storeRun', type: 'boolean', default: true, description: 'Whether to store the run and every item result in MySQL (repomind_eval_runs, repomind_eval_results)', displayOptions: { show: aggregate } },
	{ displayName: 'Compare With Run ID', name: 'compareWithRunId', type: 'number', default: 0, typeOptions: { minValue: 0 }, description: 'An earlier stored run: the summary gets metric deltas and the questions that got worse', hint: '0 compares with nothing', displayOptions: { show: { ...aggregate, storeRun: [true] } } },
	{ displayName: 'Include Item Results', name: 'includeResults', type: 'boolean', default: false, description: 'Whether the summary item also lists every item result', displayOptions: { show: aggregate } },
];
