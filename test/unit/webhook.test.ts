import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PushEvent } from '@octokit/webhooks-types';
import examples from '@octokit/webhooks-examples';
import { handleDelivery, netChanges, parsePushEvent, signPayload, verifySignature, type DeliveryConfig, type DeliveryPorts } from '../../lib/webhook';

const SECRET = 'It\'s a Secret to Everybody';
const pushExamples = examples.find((definition) => definition.name === 'push')!.examples as PushEvent[];
const branchCreate = pushExamples.find((example) => example.ref === 'refs/heads/master')!;
const tagDelete = pushExamples.find((example) => example.deleted)!;

/** A real push payload with two ordinary commits on main. */
function twoCommitPush(): PushEvent {
	const base = structuredClone(branchCreate);
	const commit = (id: string, files: { added?: string[]; removed?: string[]; modified?: string[] }) => ({ ...base.commits[0], id, added: files.added ?? [], removed: files.removed ?? [], modified: files.modified ?? [] });
	return { ...base, ref: 'refs/heads/main', before: 'a'.repeat(40), after: 'c'.repeat(40), created: false, commits: [commit('b'.repeat(40), { added: ['src/new.ts'], modified: ['README.md'] }), commit('c'.repeat(40), { removed: ['old.txt'], modified: ['src/new.ts'] })] };
}

function request(payload: unknown, headers: Record<string, string> = {}, secret = SECRET) {
	const rawBody = Buffer.from(JSON.stringify(payload));
	return { rawBody, body: payload, headers: { 'x-github-event': 'push', 'x-github-delivery': 'd-1', 'x-hub-signature-256': signPayload(rawBody, secret), ...headers } };
}

function ports(lastIndexed: string | null = null) {
	const seen = new Set<string>();
	const calls: string[] = [];
	const value: DeliveryPorts = {
		rememberDelivery: async ({ deliveryId }) => (calls.push(`remember ${deliveryId}`), !seen.has(deliveryId) && Boolean(seen.add(deliveryId))),
		lastIndexedCommit: async (repoKey, ref) => (calls.push(`last ${repoKey} ${ref}`), lastIndexed),
	};
	return { value, calls };
}

const config: DeliveryConfig = { secret: SECRET, repositories: [], branches: [], includeTags: false, otherEvents: 'ignore' };

describe('webhook signature', () => {
	it('matches GitHub\'s documented example', () => {
		// https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries#testing-the-webhook-payload-validation
		const expected = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
		assert.equal(signPayload('Hello, World!', SECRET), expected);
		assert.equal(verifySignature(Buffer.from('Hello, World!'), expected, SECRET), true);
	});

	it('rejects a missing, malformed, wrong-length or other-secret signature, and an empty secret', () => {
		const body = Buffer.from('{"a":1}');
		assert.equal(verifySignature(body, undefined, SECRET), false);
		assert.equal(verifySignature(body, 'sha1=abc', SECRET), false);
		assert.equal(verifySignature(body, 'sha256=abcd', SECRET), false);
		assert.equal(verifySignature(body, signPayload(body, 'other'), SECRET), false);
		assert.equal(verifySignature(Buffer.from('{"a":2}'), signPayload(body, SECRET), SECRET), false);
		assert.equal(verifySignature(body, signPayload(body, ''), ''), false);
	});
});

describe('push payloads', () => {
	it('reads a real branch-creation push: created, incomplete, files of its commit', () => {
		const push = parsePushEvent(branchCreate);
		assert.equal(push.repo, 'github:codertocat/hello-world');
		assert.deepEqual([push.owner, push.repository, push.ref, push.gitRef, push.refType], ['Codertocat', 'Hello-World', 'master', 'refs/heads/master', 'branch']);
		assert.deepEqual([push.created, push.deleted, push.forced, push.commitCount], [true, false, false, 1]);
		assert.deepEqual(push.changedFiles, [{ status: 'added', path: 'README.md' }]);
		assert.equal(push.changesComplete, false);
		assert.deepEqual(push.incompleteReasons, ['created']);
	});

	it('reads a real tag deletion: deleted, no files', () => {
		const push = parsePushEvent(tagDelete);
		assert.deepEqual([push.refType, push.ref, push.deleted, push.after], ['tag', 'simple-tag', true, '0'.repeat(40)]);
		assert.deepEqual(push.changedFiles, []);
		assert.equal(push.changesComplete, false);
	});

	it('nets the changes of several commits; a forced or capped push is incomplete', () => {
		const push = parsePushEvent(twoCommitPush());
		assert.deepEqual(push.changedFiles, [
			{ status: 'modified', path: 'README.md' },
			{ status: 'removed', path: 'old.txt' },
			{ status: 'added', path: 'src/new.ts' },
		]);
		assert.equal(push.changesComplete, true);
		assert.deepEqual(parsePushEvent({ ...twoCommitPush(), forced: true }).incompleteReasons, ['forced']);
		assert.deepEqual(parsePushEvent(twoCommitPush(), { commitListCap: 2 }).incompleteReasons, ['commit-list-capped']);
		assert.deepEqual(netChanges([{ added: ['x'] }, { removed: ['x'] }, { removed: ['y'] }, { added: ['y'] }]), [{ status: 'modified', path: 'y' }]);
	});

	it('names what is wrong with a malformed payload', () => {
		assert.throws(() => parsePushEvent([]), /not a JSON object/);
		assert.throws(() => parsePushEvent({ ...twoCommitPush(), repository: undefined }), /has no repository/);
		assert.throws(() => parsePushEvent({ ...twoCommitPush(), after: 'HEAD' }), /after "HEAD" is not a commit SHA/);
	});
});

describe('handleDelivery', () => {
	it('accepts a signed push once (202); a redelivery once the index is at its commit is a no-op (200 duplicate)', async () => {
		const { value, calls } = ports('c'.repeat(40));
		const first = await handleDelivery(request(twoCommitPush()), config, value);
		assert.equal(first.status, 202);
		assert.equal(first.push?.compareBase, 'a'.repeat(40));
		assert.equal(first.push?.redelivery, false);
		assert.deepEqual(first.body, { status: 'accepted', delivery: 'd-1', repo: 'github:codertocat/hello-world', ref: 'main', after: 'c'.repeat(40), deleted: false, redelivery: false });
		const second = await handleDelivery(request(twoCommitPush()), config, value);
		assert.equal(second.status, 200);
		assert.equal(second.push, undefined);
		assert.equal(second.body.status, 'duplicate');
		assert.deepEqual(calls, ['remember d-1', 'remember d-1', 'last github:codertocat/hello-world main']);
	});

	it('runs a redelivery again while the index does not show its push (the first run failed), from the indexed commit', async () => {
		const { value } = ports('9'.repeat(40));
		assert.equal((await handleDelivery(request(twoCommitPush()), config, value)).status, 202);
		const again = await handleDelivery(request(twoCommitPush()), config, value);
		assert.equal(again.status, 202);
		assert.equal(again.body.redelivery, true);
		assert.equal(again.push?.redelivery, true);
		assert.equal(again.push?.compareBase, '9'.repeat(40));
	});

	it('a redelivered branch deletion runs again while the ref is still indexed, and is a no-op once it is gone', async () => {
		const deletion = { ...twoCommitPush(), after: '0'.repeat(40), deleted: true, commits: [], head_commit: null };
		const stillIndexed = ports('c'.repeat(40)).value;
		assert.equal((await handleDelivery(request(deletion), config, stillIndexed)).status, 202);
		assert.equal((await handleDelivery(request(deletion), config, stillIndexed)).status, 202);
		const gone = ports(null).value;
		assert.equal((await handleDelivery(request(deletion), config, gone)).status, 202);
		assert.equal((await handleDelivery(request(deletion), config, gone)).body.status, 'duplicate');
	});

	it('401s a missing or wrong signature without touching MySQL', async () => {
		const { value, calls } = ports();
		const unsigned = request(twoCommitPush());
		delete (unsigned.headers as Record<string, string | undefined>)['x-hub-signature-256'];
		assert.equal((await handleDelivery(unsigned, config, value)).status, 401);
		assert.equal((await handleDelivery(request(twoCommitPush(), {}, 'wrong'), config, value)).status, 401);
		const tampered = request(twoCommitPush());
		tampered.rawBody = Buffer.from(tampered.rawBody.toString().replace('main', 'prod'));
		assert.equal((await handleDelivery(tampered, config, value)).status, 401);
		assert.deepEqual(calls, []);
	});

	it('answers ping, ignores or rejects other events, filters repositories, branches and tags', async () => {
		const { value, calls } = ports();
		const ping = examples.find((definition) => definition.name === 'ping')!.examples[0];
		assert.deepEqual(await handleDelivery(request(ping, { 'x-github-event': 'ping' }), config, value), { status: 200, body: { message: 'pong', zen: 'Anything added dilutes everything else.' } });
		assert.equal((await handleDelivery(request({ action: 'opened' }, { 'x-github-event': 'issues' }), config, value)).status, 202);
		assert.equal((await handleDelivery(request({ action: 'opened' }, { 'x-github-event': 'issues' }), { ...config, otherEvents: 'reject' }, value)).status, 400);
		const other = await handleDelivery(request(twoCommitPush()), { ...config, repositories: ['octo-org/sample'] }, value);
		assert.deepEqual(other, { status: 422, body: { message: 'Repository Codertocat/Hello-World is not configured in this trigger (configured: octo-org/sample)' } });
		const branch = await handleDelivery(request(twoCommitPush()), { ...config, branches: ['release/*'] }, value);
		assert.deepEqual([branch.status, branch.body.status, branch.push], [202, 'ignored', undefined]);
		assert.equal((await handleDelivery(request(tagDelete), config, value)).body.status, 'ignored');
		assert.equal((await handleDelivery(request(twoCommitPush()), { ...config, branches: ['ma*'], repositories: ['codertocat/hello-world'] }, value)).status, 202);
		assert.deepEqual(calls, ['remember d-1']);
	});

	it('400s a payload that is not a push or not JSON', async () => {
		const { value } = ports();
		const form = request({ payload: '{not json' });
		assert.deepEqual(await handleDelivery(form, config, value), { status: 400, body: { message: 'The form field "payload" is not valid JSON' } });
		assert.equal((await handleDelivery(request({ zen: 'x' }), config, value)).status, 400);
	});

	it('takes the last indexed commit as compare base for a forced push, and none for a deleted branch', async () => {
		const { value, calls } = ports('f'.repeat(40));
		const forced = await handleDelivery(request({ ...twoCommitPush(), forced: true }), config, value);
		assert.equal(forced.push?.compareBase, 'f'.repeat(40));
		assert.equal(forced.push?.changesComplete, false);
		const deleted = await handleDelivery(request({ ...twoCommitPush(), after: '0'.repeat(40), deleted: true, commits: [] }, { 'x-github-delivery': 'd-2' }), config, value);
		assert.deepEqual([deleted.status, deleted.push?.deleted, deleted.push?.compareBase], [202, true, null]);
		assert.deepEqual(calls, ['remember d-1', 'last github:codertocat/hello-world main', 'remember d-2']);
	});
});

describe('pull_request and issues deliveries', () => {
	const prExamples = examples.find((definition) => definition.name === 'pull_request')!.examples as Array<Record<string, any>>;
	const issueExamples = examples.find((definition) => definition.name === 'issues')!.examples as Array<Record<string, any>>;
	const opened = prExamples.find((example) => example.action === 'opened')!;
	const reviewConfig: DeliveryConfig = { ...config, events: ['push', 'pull_request', 'issues'] };
	const pr = (changes: Record<string, unknown> = {}, pull: Record<string, unknown> = {}) => ({ ...structuredClone(opened), ...changes, pull_request: { ...structuredClone(opened.pull_request), ...pull } });
	const send = (payload: unknown, event: string, delivery = 'd-pr', extra: Partial<DeliveryConfig> = {}) =>
		handleDelivery(request(payload, { 'x-github-event': event, 'x-github-delivery': delivery }), { ...reviewConfig, ...extra }, ports().value);

	it('reads a real opened pull request: base and head commits, author, fork flag', async () => {
		const outcome = await send(pr(), 'pull_request');
		assert.equal(outcome.status, 202);
		const pull = outcome.pullRequest!;
		assert.deepEqual([pull.event, pull.action, pull.repo, pull.number, pull.draft, pull.fork, pull.redelivery], ['pull_request', 'opened', 'github:codertocat/hello-world', 2, false, false, false]);
		assert.deepEqual(pull.base, { ref: 'master', sha: opened.pull_request.base.sha });
		assert.deepEqual(pull.head, { ref: 'changes', sha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821', fullName: 'Codertocat/Hello-World' });
		assert.equal(pull.author, 'Codertocat');
		assert.equal(outcome.push, undefined);
	});

	it('reviews opened, synchronize, reopened and ready_for_review; ignores other actions', async () => {
		for (const action of ['opened', 'synchronize', 'reopened', 'ready_for_review']) assert.equal((await send(pr({ action }), 'pull_request')).pullRequest?.action, action);
		const closed = await send(pr({ action: 'closed' }), 'pull_request');
		assert.deepEqual([closed.status, closed.body.status, closed.pullRequest], [202, 'ignored', undefined]);
		assert.match(String(closed.body.reason), /action "closed" is not reviewed/);
	});

	it('drafts are skipped unless enabled; forks are reviewed unless disabled', async () => {
		assert.match(String((await send(pr({}, { draft: true }), 'pull_request')).body.reason), /is a draft/);
		assert.equal((await send(pr({}, { draft: true }), 'pull_request', 'd', { reviewDrafts: true })).pullRequest?.draft, true);
		const forked = pr({}, { head: { ...opened.pull_request.head, repo: { ...opened.pull_request.head.repo, full_name: 'someone/Hello-World' } } });
		assert.equal((await send(forked, 'pull_request')).pullRequest?.fork, true);
		assert.match(String((await send(forked, 'pull_request', 'd', { reviewForks: false })).body.reason), /comes from a fork \(someone\/Hello-World\)/);
	});

	it('same signature, repository and event rules as push; a redelivery is flagged and runs', async () => {
		const payload = pr();
		const tampered = { ...request(payload, { 'x-github-event': 'pull_request' }), rawBody: Buffer.from(JSON.stringify({ ...payload, number: 9 })) };
		assert.equal((await handleDelivery(tampered, reviewConfig, ports().value)).status, 401);
		assert.equal((await send(payload, 'pull_request', 'd', { repositories: ['octo-org/app'] })).status, 422);
		assert.deepEqual((await send(payload, 'pull_request', 'd', { events: ['push'] })).body, { status: 'ignored', reason: 'event "pull_request" is not push' });
		assert.equal((await send({ action: 'opened', pull_request: { number: 1 } }, 'pull_request')).status, 400);
		const { value, calls } = ports();
		const first = await handleDelivery(request(payload, { 'x-github-event': 'pull_request', 'x-github-delivery': 'same' }), reviewConfig, value);
		const again = await handleDelivery(request(payload, { 'x-github-event': 'pull_request', 'x-github-delivery': 'same' }), reviewConfig, value);
		assert.deepEqual([first.pullRequest?.redelivery, again.pullRequest?.redelivery], [false, true]);
		assert.deepEqual(calls, ['remember same', 'remember same']);
	});

	it('issues: opened is triaged, other actions ignored', async () => {
		const issue = issueExamples.find((example) => example.action === 'opened')!;
		const outcome = await send(issue, 'issues');
		assert.deepEqual([outcome.issue?.event, outcome.issue?.number, outcome.issue?.defaultBranch, outcome.issue?.repo], ['issues', issue.issue.number, issue.repository.default_branch, `github:${issue.repository.full_name.toLowerCase()}`]);
		assert.equal(outcome.issue?.title, issue.issue.title);
		const edited = await send(issueExamples.find((example) => example.action === 'edited')!, 'issues');
		assert.deepEqual([edited.status, edited.issue], [202, undefined]);
	});
});
