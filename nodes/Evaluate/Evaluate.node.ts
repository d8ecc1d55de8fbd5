import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { repoMindCredentialTests } from '../shared/credential-test';
import { reportNodeError } from '../shared/errors';
import { mapItems } from '../shared/items';
import { aggregateItems, evaluateItemOf } from './operations';
import { aggregateProperties, itemProperties, PICKERS_SINCE } from './properties';
import { repositoryListSearch } from '../shared/repository-locator';

// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool -- measures workflow results; not a tool for agents
export class Evaluate implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RepoMind Evaluate',
		name: 'repoMindEvaluate',
		icon: 'file:evaluate.svg',
		group: ['transform'],
		version: [1, 1.1, PICKERS_SINCE],
		defaultVersion: PICKERS_SINCE,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Measure retrieval and answers against a dataset (hit rate, recall, MRR, nDCG, citations, LLM-judged faithfulness), store runs and compare them',
		defaults: { name: 'Evaluate' },
		inputs: `={{ $parameter.operation === 'evaluateItem' && $parameter.useJudge !== false && $parameter.chatProvider === 'chatModelNode' ? ['${NodeConnectionTypes.Main}', { type: '${NodeConnectionTypes.AiLanguageModel}', displayName: 'Chat Model', required: true, maxConnections: 1 }] : ['${NodeConnectionTypes.Main}'] }}`,
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'repoMindOpenAiApi', displayName: 'Judge Model API', required: true, testedBy: 'repoMindOpenAiConnectionTest', displayOptions: { show: { operation: ['evaluateItem'], useJudge: [true], chatProvider: ['openAiCompatible'] } } },
			{ name: 'repoMindHuggingFaceApi', displayName: 'Judge Model API (Hugging Face)', required: true, testedBy: 'repoMindHuggingFaceConnectionTest', displayOptions: { show: { operation: ['evaluateItem'], useJudge: [true], chatProvider: ['huggingFace'] } } },
			{
				// eslint-disable-next-line n8n-nodes-base/node-class-description-credentials-name-unsuffixed -- a database credential, like n8n's mySql
				name: 'repoMindMySql',
				displayName: 'MySQL for Evaluation Runs',
				required: true,
				testedBy: 'repoMindMySqlConnectionTest',
				displayOptions: { show: { operation: ['aggregate'], storeRun: [true] } },
			},
		],
		properties: [...itemProperties, ...aggregateProperties],
	};

	methods = { credentialTest: repoMindCredentialTests, listSearch: repositoryListSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		if (items.length > 0 && this.getNodeParameter('operation', 0) === 'aggregate') {
			try {
				const json = await aggregateItems(this, items);
				return [[{ json, pairedItem: items.map((_, item) => ({ item })) }]];
			} catch (error) {
				const continued = this.continueOnFail();
				const nodeError = reportNodeError(this, error, 0, continued);
				if (!continued) throw nodeError;
				return [[{ json: { error: nodeError.message }, pairedItem: items.map((_, item) => ({ item })) }]];
			}
		}
		return [await mapItems(this, async (itemIndex) => [await evaluateItemOf(this, itemIndex)])];
	}
}
