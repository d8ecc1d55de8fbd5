import type { INodeProperties } from 'n8n-workflow';

const answer = { operation: ['answer'] };
const summarize = { operation: ['summarizeChanges'] };
const explain = { operation: ['explainFile'] };

/** What to generate and from which fields of the input item. */
export const taskProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Answer a Question',
				value: 'answer',
				action: 'Answer a question from retrieved code',
				description: 'Answer from the hits of RepoMind Retrieve, citing files and lines',
			},
			{
				name: 'Explain a File',
				value: 'explainFile',
				action: 'Explain a file',
				description: 'Explain one file, optionally with related hits',
			},
			{
				name: 'Review Change',
				value: 'reviewChange',
				action: 'Review a pull request',
				description: 'Review comments anchored to diff lines, with the context they rely on cited, and a summary',
			},
			{
				name: 'Summarize Changes',
				value: 'summarizeChanges',
				action: 'Summarize a set of changes',
				description: 'Summarise changed files (with diffs or chunks), grouped by area',
			},
			{
				name: 'Triage Issue',
				value: 'triageIssue',
				action: 'Draft an answer to an issue',
				description: 'A draft answer and the related files of an issue, from retrieved code',
			},
		],
		default: 'answer',
	},
	{
		displayName: 'Question',
		name: 'question',
		type: 'string',
		default: '={{ $json.question }}',
		required: true,
		typeOptions: { rows: 2 },
		description: 'The question; RepoMind Retrieve passes it on in question',
		displayOptions: { show: answer },
	},
	{
		displayName: 'Hits Field',
		name: 'hitsField',
		type: 'string',
		default: 'hits',
		description:
			'Field of the input item with the retrieved chunks ({ chunkId, path, startLine, endLine, text })',
		displayOptions: { show: { operation: ['answer', 'explainFile'] } },
	},
	{
		displayName: 'Changes Field',
		name: 'changesField',
		type: 'string',
		default: 'changes',
		description: 'Field with the changed files: [{ status, path, previousPath?, diff?, chunks? }]',
		displayOptions: { show: summarize },
	},
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
		placeholder: 'Changes this week',
		description: 'Optional heading for the summary',
		displayOptions: { show: summarize },
	},
	{
		displayName: 'File Path',
		name: 'filePath',
		type: 'string',
		default: '={{ $json.path }}',
		required: true,
		displayOptions: { show: explain },
	},
	{
		displayName: 'File Content',
		name: 'fileContent',
		type: 'string',
		default: '={{ $json.content }}',
		required: true,
		typeOptions: { rows: 4 },
		displayOptions: { show: explain },
	},
	{
		displayName: 'Focus',
		name: 'focus',
		type: 'string',
		default: '',
		placeholder: 'error handling',
		description: 'Optional: what the explanation should focus on',
		displayOptions: { show: explain },
	},
];

/** Which chat model answers, and its limits. */
export const modelProperties: INodeProperties[] = [
	{
		displayName: 'Chat Model Provider',
		name: 'chatProvider',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'OpenAI-Compatible API',
				value: 'openAiCompatible',
				description: 'OpenAI, vLLM, Ollama, LiteLLM, the Hugging Face router',
			},
			{
				name: 'Hugging Face',
				value: 'huggingFace',
				description:
					'A TGI / Inference Endpoint URL from the credential, or a model on the HF router',
			},
			{
				name: 'Connected Chat Model',
				value: 'chatModelNode',
				description:
					'Any n8n Chat Model sub-node (OpenAI, Anthropic, Azure OpenAI, Gemini, Mistral, Groq, Bedrock, Ollama, …) plugged into the Chat Model input',
			},
		],
		default: 'openAiCompatible',
	},
	{
		displayName: 'Model',
		name: 'openAiChatModel',
		type: 'string',
		default: 'gpt-4o-mini',
		required: true,
		displayOptions: { show: { chatProvider: ['openAiCompatible'] } },
	},
	{
		displayName: 'Model',
		name: 'huggingFaceChatModel',
		type: 'string',
		default: 'meta-llama/Llama-3.1-8B-Instruct',
		required: true,
		description:
			'Sent to the endpoint as is; without an endpoint, a model on the Hugging Face router',
		displayOptions: { show: { chatProvider: ['huggingFace'] } },
	},
	{
		displayName: 'Temperature',
		name: 'temperature',
		type: 'number',
		default: 0.1,
		typeOptions: { minValue: 0, maxValue: 2, numberPrecision: 2 },
		displayOptions: { hide: { chatProvider: ['chatModelNode'] } },
		description: 'A connected Chat Model uses its own temperature',
	},
	{
		displayName: 'Max Tokens',
		name: 'maxTokens',
		type: 'number',
		default: 1024,
		typeOptions: { minValue: 16 },
		description: 'Upper bound of the answer; kept free in the context window',
	},
	{
		displayName: 'Context Window',
		name: 'contextWindow',
		type: 'number',
		default: 16384,
		typeOptions: { minValue: 256 },
		description:
			"The model's context window in tokens; retrieved chunks are packed into what is left after the answer and the instructions",
	},
];

/** The query log and other options. */
export const logProperties: INodeProperties[] = [
	{
		displayName: 'Log Questions',
		name: 'logQuery',
		type: 'boolean',
		default: true,
		description:
			'Whether to record each question, what was retrieved, the answer, citations, tokens and latency in MySQL (repomind_queries)',
		displayOptions: { show: answer },
	},
	{
		displayName: 'Answer Cache',
		name: 'answerCache',
		type: 'boolean',
		default: false,
		description:
			"Whether to reuse the answer to an identical question (same normalised question, repository, ref and indexed commit, chat model, retrieved hits and settings) stored in the query log's MySQL (repomind_answer_cache); a new indexed commit is never served an old answer",
		displayOptions: { show: { ...answer, logQuery: [true] } },
	},
	{
		displayName: 'Cache TTL (Seconds)',
		name: 'cacheTtlSeconds',
		type: 'number',
		default: 86400,
		typeOptions: { minValue: 1, maxValue: 31536000 },
		description: 'How long a cached answer is served',
		displayOptions: { show: { ...answer, logQuery: [true], answerCache: [true] } },
	},
	{
		displayName: 'Conversation ID',
		name: 'conversationId',
		type: 'string',
		default: '={{ $json.sessionId }}',
		description: "Groups the questions of one chat in the log; the Chat Trigger's sessionId",
		displayOptions: { show: { ...answer, logQuery: [true] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Repository Outline',
				name: 'outline',
				type: 'string',
				default: '',
				typeOptions: { rows: 4 },
				placeholder: "={{ $('Repository Map').first().json.outline }}",
				description:
					"Outline from RepoMind Repo Fetch's Repository Map, put before the sources (fenced as untrusted data) when answering or explaining a file; an expression that reads the outline field works when the input item carries it",
			},
			{
				displayName: 'Retries',
				name: 'retries',
				type: 'number',
				default: 3,
				typeOptions: { minValue: 0, maxValue: 10 },
				description:
					'Retries on 429, 5xx and connection errors, with backoff honouring Retry-After',
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeoutSeconds',
				type: 'number',
				default: 120,
				typeOptions: { minValue: 1 },
				description: 'Per request (OpenAI-compatible provider)',
			},
			{
				displayName: 'Include Sources',
				name: 'includeSources',
				type: 'boolean',
				default: false,
				description: 'Whether to output the numbered sources that went into the prompt',
			},
		],
	},
];
