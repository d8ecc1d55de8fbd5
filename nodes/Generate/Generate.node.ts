import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import type { QueryLog } from '../../lib/store/query-log';
import { repoMindCredentialTests } from '../shared/credential-test';
import { mapItems } from '../shared/items';
import { answerCacheFrom, openQueryLog, type GenerateOptions, type OpenQueryLog } from './connections';
import { answerItem, explainItem, summarizeItem } from './operations';
import { logProperties, modelProperties, taskProperties } from './properties';
import { reviewItem, reviewProperties, triageItem } from './review';

// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool -- works on Retrieve hits in its input items; agents use the Retrieve tool
export class Generate implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RepoMind Generate',
		name: 'repoMindGenerate',
		icon: 'file:generate.svg',
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description:
			'Answer questions about a repository from retrieved code with cited files and lines, summarise changes, explain a file',
		defaults: { name: 'Generate' },
		inputs: `={{ $parameter.chatProvider === 'chatModelNode' ? ['${NodeConnectionTypes.Main}', { type: '${NodeConnectionTypes.AiLanguageModel}', displayName: 'Chat Model', required: true, maxConnections: 1 }] : ['${NodeConnectionTypes.Main}'] }}`,
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'repoMindOpenAiApi',
				displayName: 'Chat Model API',
				required: true,
				testedBy: 'repoMindOpenAiConnectionTest',
				displayOptions: { show: { chatProvider: ['openAiCompatible'] } },
			},
			{
				name: 'repoMindHuggingFaceApi',
				displayName: 'Chat Model API (Hugging Face)',
				required: true,
				testedBy: 'repoMindHuggingFaceConnectionTest',
				displayOptions: { show: { chatProvider: ['huggingFace'] } },
			},
			{
				// eslint-disable-next-line n8n-nodes-base/node-class-description-credentials-name-unsuffixed -- a database credential, like n8n's mySql
				name: 'repoMindMySql',
				displayName: 'MySQL for Query Log',
				required: true,
				testedBy: 'repoMindMySqlConnectionTest',
				displayOptions: { show: { operation: ['answer'], logQuery: [true] } },
			},
		],
		properties: [...taskProperties, ...reviewProperties, ...modelProperties, ...logProperties],
	};

	methods = { credentialTest: repoMindCredentialTests };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		let queryLog: Promise<OpenQueryLog> | undefined;
		const open = () => {
			queryLog ??= openQueryLog(this);
			queryLog.catch(() => (queryLog = undefined));
			return queryLog;
		};
		const log = () => open().then((opened) => opened.log as QueryLog);
		try {
			const output = await mapItems(this, async (itemIndex, item) => {
				const operation = this.getNodeParameter('operation', itemIndex) as string;
				const options = this.getNodeParameter('options', itemIndex, {}) as GenerateOptions;
				if (operation === 'summarizeChanges')
					return summarizeItem(this, itemIndex, item.json, options);
				if (operation === 'explainFile') return explainItem(this, itemIndex, item.json, options);
				if (operation === 'reviewChange') return reviewItem(this, itemIndex, item.json, options);
				if (operation === 'triageIssue') return triageItem(this, itemIndex, item.json, options);
				const logging = this.getNodeParameter('logQuery', itemIndex, true) as boolean;
				const caching = logging && (this.getNodeParameter('answerCache', itemIndex, false) as boolean);
				const cache = caching ? () => answerCacheFrom(this, itemIndex, open) : undefined;
				return answerItem(this, itemIndex, item.json, options, logging ? log : undefined, cache);
			});
			return [output];
		} finally {
			if (queryLog) await (await queryLog.catch(() => undefined))?.close();
		}
	}
}
