import picomatch from 'picomatch';
import { InvalidInputError } from '../errors';
import type { GitSha } from '../types';
import { parsePushEvent, type PushSummary } from './push-event';
import { handleReviewDelivery, type IssueOutput, type PullRequestOutput } from './review-delivery';
import { verifySignature } from './signature';

/** A webhook request as received: headers (lower-case names), the raw body and the parsed one. */
export interface DeliveryRequest {
	headers: Record<string, string | string[] | undefined>;
	rawBody: Buffer;
	/** What n8n parsed (JSON object, or `{ payload }` for form-encoded deliveries). */
	body: unknown;
}

export interface DeliveryConfig {
	secret: string;
	/** `owner/repo` names (case-insensitive) this trigger serves; empty: any. */
	repositories: string[];
	/** Branch globs; empty: every branch. */
	branches: string[];
	includeTags: boolean;
	/** What an event other than push and ping gets: a 2xx and no run, or a 400. */
	otherEvents: 'ignore' | 'reject';
	commitListCap?: number;
	/** Events that start the workflow (default push only). */
	events?: TriggerEvent[];
	/** Whether draft pull requests are reviewed (default false; `ready_for_review` always is). */
	reviewDrafts?: boolean;
	/** Whether pull requests from forks are reviewed (default true; RepoMind only ever comments on them). */
	reviewForks?: boolean;
}

/** The events the trigger can start a workflow for. */
export type TriggerEvent = 'push' | 'pull_request' | 'issues';

/** What the handler needs from MySQL. */
export interface DeliveryPorts {
	/** True when the delivery id is new (and now remembered). */
	rememberDelivery(delivery: { deliveryId: string; event: string; repoKey: string; ref: string; after: string | null }): Promise<boolean>;
	lastIndexedCommit(repoKey: string, ref: string): Promise<GitSha | null>;
}

/** The push as the trigger outputs it. */
export interface PushOutput extends PushSummary {
	event: 'push';
	delivery: string;
	/**
	 * A delivery id seen before whose push the index does not show (its run failed or never finished):
	 * it runs again. One the index shows is answered 200 `duplicate` and runs nothing.
	 */
	redelivery: boolean;
	/** Where the exact change list starts: `before`, or the last indexed commit when the payload's list is incomplete or this is a redelivery. */
	compareBase: GitSha | null;
}

/** The answer to GitHub and, for an accepted push, the item that starts the workflow. */
export interface DeliveryOutcome {
	status: number;
	body: Record<string, unknown>;
	push?: PushOutput;
	pullRequest?: PullRequestOutput;
	issue?: IssueOutput;
}

/** Verifies, filters and de-duplicates one delivery; nothing runs unless `push` is set. */
export async function handleDelivery(request: DeliveryRequest, config: DeliveryConfig, ports: DeliveryPorts): Promise<DeliveryOutcome> {
	const header = (name: string) => {
		const value = request.headers[name];
		return Array.isArray(value) ? value[0] : value;
	};
	if (!verifySignature(request.rawBody, header('x-hub-signature-256'), config.secret)) {
		return { status: 401, body: { message: 'Missing or invalid X-Hub-Signature-256: the request was not signed with the webhook secret' } };
	}
	const event = header('x-github-event') ?? '';
	const deliveryId = header('x-github-delivery') ?? '';
	let payload: unknown;
	try {
		payload = payloadOf(request.body);
	} catch (error) {
		return { status: 400, body: { message: (error as Error).message } };
	}
	if (event === 'ping') return { status: 200, body: { message: 'pong', zen: (payload as { zen?: string }).zen ?? null } };
	const events = config.events ?? ['push'];
	if ((event === 'pull_request' || event === 'issues') && events.includes(event)) return handleReviewDelivery(event, deliveryId, payload, config, ports);
	if (event !== 'push' || !events.includes('push')) {
		const accepted = events.length === 1 ? `${events[0]} events only` : `the events ${events.join(', ')}`;
		if (config.otherEvents === 'reject') return { status: 400, body: { message: `This webhook accepts ${accepted}, not "${event || 'none'}"` } };
		return { status: 202, body: { status: 'ignored', reason: `event "${event || 'none'}" is not ${events.join(' or ')}` } };
	}
	let push: PushSummary;
	try {
		push = parsePushEvent(payload, { commitListCap: config.commitListCap });
	} catch (error) {
		return { status: 400, body: { message: error instanceof InvalidInputError ? error.message : String(error) } };
	}
	const wanted = config.repositories.map((name) => name.toLowerCase());
	if (wanted.length && !wanted.includes(push.fullName.toLowerCase())) {
		return { status: 422, body: { message: `Repository ${push.fullName} is not configured in this trigger (configured: ${config.repositories.join(', ')})` } };
	}
	const skip = refFilterReason(push, config);
	if (skip) return { status: 202, body: { status: 'ignored', reason: skip, ref: push.gitRef } };
	if (!deliveryId) return { status: 400, body: { message: 'Missing X-GitHub-Delivery header' } };
	const redelivery = !(await ports.rememberDelivery({ deliveryId, event, repoKey: push.repo, ref: push.ref, after: push.deleted ? null : push.after }));
	const fromIndex = redelivery || (!push.deleted && !push.changesComplete);
	const indexed = fromIndex ? await ports.lastIndexedCommit(push.repo, push.ref) : null;
	if (redelivery && (push.deleted ? indexed === null : indexed === push.after)) {
		return { status: 200, body: { status: 'duplicate', delivery: deliveryId, message: 'This delivery was already received and the index is at its commit; nothing runs again' } };
	}
	const compareBase = push.deleted ? null : fromIndex ? indexed : push.before;
	const output: PushOutput = { event: 'push', delivery: deliveryId, redelivery, ...push, compareBase };
	const body = { status: 'accepted', delivery: deliveryId, repo: push.repo, ref: push.ref, after: push.after, deleted: push.deleted, redelivery };
	return { status: 202, body, push: output };
}

/** The payload object from a JSON body or a form-encoded `payload` field. */
export function payloadOf(body: unknown): unknown {
	if (typeof body === 'object' && body !== null && typeof (body as { payload?: unknown }).payload === 'string') {
		try {
			return JSON.parse((body as { payload: string }).payload);
		} catch {
			throw new InvalidInputError('The form field "payload" is not valid JSON');
		}
	}
	if (typeof body === 'string') {
		try {
			return JSON.parse(body);
		} catch {
			throw new InvalidInputError('The request body is not valid JSON');
		}
	}
	if (typeof body !== 'object' || body === null || Object.keys(body).length === 0) throw new InvalidInputError('The request body is empty or not JSON');
	return body;
}

function refFilterReason(push: PushSummary, config: DeliveryConfig): string | null {
	if (push.refType === 'tag') return config.includeTags ? null : `tag ${push.ref}: tags are not indexed by this trigger`;
	if (config.branches.length === 0 || picomatch.isMatch(push.ref, config.branches)) return null;
	return `branch ${push.ref} does not match ${config.branches.join(', ')}`;
}
