/** One run of one node, as `n8n execute --rawOutput` reports it. */
export interface NodeRun {
	executionStatus?: string;
	/** Items by connection type: `main`, and what sub-nodes record (`ai_retriever`, `ai_tool`, …). */
	data?: Record<string, Array<Array<{ json: Record<string, unknown> }> | null> | undefined>;
	error?: { message: string; [key: string]: unknown };
}

/** The outcome of a headless workflow run. */
export interface ExecutionResult {
	/** `success` or `error` (n8n's execution status). */
	status: string;
	runData: Record<string, NodeRun[]>;
	error: { message: string; [key: string]: unknown } | null;
}

/** A production webhook of a workflow. */
export interface WebhookSpec {
	path: string;
	method: string;
}

interface WorkflowNode {
	type?: string;
	webhookId?: string;
	disabled?: boolean;
	parameters?: { path?: unknown; httpMethod?: unknown };
}

/** Parse `n8n execute --rawOutput` stdout: log lines, the run as pretty JSON, more log lines. */
export function parseExecuteOutput(stdout: string): ExecutionResult | null {
	const json = /^\{$[\s\S]*?^\}$/m.exec(stdout);
	if (json === null) return null;
	const run = JSON.parse(json[0]);
	const resultData = run.data?.resultData ?? {};
	return { status: run.status, runData: resultData.runData ?? {}, error: resultData.error ?? null };
}

/** The items a node emitted, as plain JSON (first run, given output). */
export function nodeOutput(
	result: ExecutionResult,
	nodeName: string,
	output = 0,
	run = 0,
): Array<Record<string, unknown>> {
	return (result.runData[nodeName]?.[run]?.data?.main?.[output] ?? []).map((item) => item.json);
}

/** The production webhooks a workflow registers when published. */
export function webhooksOf(workflow: { nodes?: unknown }): WebhookSpec[] {
	const nodes = Array.isArray(workflow.nodes) ? (workflow.nodes as WorkflowNode[]) : [];
	const webhooks: WebhookSpec[] = [];
	for (const node of nodes) {
		const path = node.parameters?.path;
		if (!node.webhookId || node.disabled || typeof path !== 'string') continue;
		const method = node.parameters?.httpMethod;
		// n8n's Webhook node defaults to GET; trigger nodes with a fixed path (ours) are POST endpoints.
		const fallback = node.type === 'n8n-nodes-base.webhook' ? 'GET' : 'POST';
		webhooks.push({ path, method: typeof method === 'string' ? method : fallback });
	}
	return webhooks;
}

/** The path of the chat webhook of a workflow's Chat Trigger (`<webhookId>/chat`). */
export function chatWebhookPath(workflow: { nodes?: unknown }): string {
	const nodes = Array.isArray(workflow.nodes) ? (workflow.nodes as WorkflowNode[]) : [];
	const trigger = nodes.find((node) => node.type === '@n8n/n8n-nodes-langchain.chatTrigger' && node.webhookId);
	if (!trigger) throw new Error('the workflow has no Chat Trigger with a webhook id');
	return `${trigger.webhookId}/chat`;
}
