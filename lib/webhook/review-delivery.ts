import { InvalidInputError } from '../errors';
import type { DeliveryConfig, DeliveryOutcome, DeliveryPorts } from './delivery';
import { parseIssueEvent, parsePullRequestEvent, REVIEW_ACTIONS, TRIAGE_ACTIONS, type IssueSummary, type PullRequestSummary } from './pull-request-event';

/** A pull request to review, as the trigger outputs it. */
export interface PullRequestOutput extends PullRequestSummary {
	event: 'pull_request';
	delivery: string;
	/** A delivery id seen before; it runs again (posting is idempotent per head SHA). */
	redelivery: boolean;
}

/** An issue to triage, as the trigger outputs it. */
export interface IssueOutput extends IssueSummary {
	event: 'issues';
	delivery: string;
	redelivery: boolean;
}

/** Filters one signed `pull_request` or `issues` delivery: repository, action, drafts and forks. */
export async function handleReviewDelivery(event: 'pull_request' | 'issues', deliveryId: string, payload: unknown, config: DeliveryConfig, ports: DeliveryPorts): Promise<DeliveryOutcome> {
	let summary: PullRequestSummary | IssueSummary;
	try {
		summary = event === 'pull_request' ? parsePullRequestEvent(payload) : parseIssueEvent(payload);
	} catch (error) {
		return { status: 400, body: { message: error instanceof InvalidInputError ? error.message : String(error) } };
	}
	const wanted = config.repositories.map((name) => name.toLowerCase());
	if (wanted.length && !wanted.includes(summary.fullName.toLowerCase())) {
		return { status: 422, body: { message: `Repository ${summary.fullName} is not configured in this trigger (configured: ${config.repositories.join(', ')})` } };
	}
	const skip = skipReason(event, summary, config);
	if (skip) return { status: 202, body: { status: 'ignored', reason: skip } };
	if (!deliveryId) return { status: 400, body: { message: 'Missing X-GitHub-Delivery header' } };
	const pull = event === 'pull_request' ? (summary as PullRequestSummary) : null;
	const ref = pull ? `pull/${summary.number}` : `issues/${summary.number}`;
	const redelivery = !(await ports.rememberDelivery({ deliveryId, event, repoKey: summary.repo, ref, after: pull?.head.sha ?? null }));
	const body = { status: 'accepted', delivery: deliveryId, repo: summary.repo, event, action: summary.action, number: summary.number, redelivery };
	return pull
		? { status: 202, body, pullRequest: { event: 'pull_request', delivery: deliveryId, redelivery, ...pull } }
		: { status: 202, body, issue: { event: 'issues', delivery: deliveryId, redelivery, ...(summary as IssueSummary) } };
}

function skipReason(event: 'pull_request' | 'issues', summary: PullRequestSummary | IssueSummary, config: DeliveryConfig): string | null {
	if (event === 'issues') return (TRIAGE_ACTIONS as readonly string[]).includes(summary.action) ? null : `issues action "${summary.action}" is not triaged (only ${TRIAGE_ACTIONS.join(', ')})`;
	const pull = summary as PullRequestSummary;
	if (!(REVIEW_ACTIONS as readonly string[]).includes(pull.action)) return `pull_request action "${pull.action}" is not reviewed (only ${REVIEW_ACTIONS.join(', ')})`;
	if (pull.draft && !config.reviewDrafts) return `pull request #${pull.number} is a draft (drafts are not reviewed; enable Review Drafts)`;
	if (pull.fork && config.reviewForks === false) return `pull request #${pull.number} comes from a fork (${pull.head.fullName ?? 'deleted repository'}); forks are not reviewed`;
	return null;
}
