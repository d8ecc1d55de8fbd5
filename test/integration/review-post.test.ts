import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InvalidInputError, RateLimitError } from '../../lib/errors';
import { GitHubReviewPoster, TRIAGE_MARKER } from '../../lib/review';
import { startGitHubServer, type GitHubServer } from '../support/github-server';
import { makeShopRepository } from '../support/review-repo';
import type { GitRepo } from '../support/git-repo';

describe('posting reviews and issue comments to the GitHub stand-in', () => {
	let shop: { repo: GitRepo; base: string; head: string };
	let github: GitHubServer;
	let poster: GitHubReviewPoster;
	const target = { owner: 'octo-org', repo: 'sample', number: 5 };
	const comment = (line: number) => ({ path: 'src/shop.ts', line, side: 'RIGHT' as const, body: 'Callers pass one argument [2].', citations: [{ n: 2, chunkId: 'c', path: 'src/checkout.ts', startLine: 3, endLine: 6 }] });

	before(async () => {
		shop = await makeShopRepository();
		github = await startGitHubServer({ repoPath: shop.repo.path, token: 't0ken' });
		github.pulls.pulls.set(5, { base: 'main', head: shop.head });
		poster = new GitHubReviewPoster({ token: 't0ken', baseUrl: github.baseUrl, retryAfterBaseMs: 1, maxRetries: 1 });
	});
	after(async () => {
		await github?.close();
		await shop?.repo.dispose();
	});

	it('one review per head commit; a new head gets a second review that says what changed', async () => {
		const first = await poster.postReview({ ...target, headSha: shop.head, summary: 'Adds a fee.', comments: [comment(4)], context: { ref: 'main', commit: shop.base } });
		assert.deepEqual([first.status, first.commentsPosted, first.previousHeadSha], ['posted', 1, null]);
		const again = await poster.postReview({ ...target, headSha: shop.head, summary: 'Adds a fee.', comments: [comment(4)] });
		assert.deepEqual([again.status, again.reviewId], ['skipped', first.reviewId]);
		assert.equal(github.pulls.reviews.get(5)?.length, 1);
		const stored = github.pulls.reviews.get(5)![0];
		assert.deepEqual(stored.comments.map((posted) => [posted.path, posted.line, posted.side]), [['src/shop.ts', 4, 'RIGHT']]);
		assert.match(stored.comments[0].body, /Sources: \[2\] `src\/checkout.ts:3-6`/);
		await shop.repo.checkout('feature');
		await shop.repo.writeFiles({ 'src/cart.ts': 'export function total(items: number[]): number {\n\treturn items.length;\n}\n' });
		const newHead = await shop.repo.commit('count items');
		await shop.repo.checkout('main');
		github.pulls.pulls.set(5, { base: 'main', head: newHead });
		const second = await poster.postReview({ ...target, headSha: newHead, summary: 'Counts items.', comments: [] });
		assert.deepEqual([second.status, second.previousHeadSha, second.changedSinceLast], ['posted', shop.head, ['src/cart.ts']]);
		assert.match(github.pulls.reviews.get(5)![1].body, /Changes since the last review \(.{7}….{7}\): `src\/cart.ts`/);
	});

	it('422 and rate limits come back as clear errors', async () => {
		const sha = 'f'.repeat(40);
		await assert.rejects(poster.postReview({ ...target, headSha: sha, summary: 'x', comments: [comment(40)] }), (error: InvalidInputError) => {
			assert.ok(error instanceof InvalidInputError);
			assert.match(error.message, /GitHub refused to post a review on pull request octo-org\/sample#5 \(HTTP 422/);
			return true;
		});
		github.rateLimitNext({ requests: 5, kind: 'primary', retryAfterSeconds: 1000 });
		await assert.rejects(poster.postReview({ ...target, headSha: sha, summary: 'x', comments: [] }), RateLimitError);
		github.rateLimitNext({ requests: 0, kind: 'primary' });
	});

	it('one issue comment: posted, updated in place, skipped when unchanged', async () => {
		const issue = { ...target, number: 9 };
		const posted = await poster.postIssueComment(issue, TRIAGE_MARKER, `${TRIAGE_MARKER}\nfirst`);
		const updated = await poster.postIssueComment(issue, TRIAGE_MARKER, `${TRIAGE_MARKER}\nsecond`);
		const skipped = await poster.postIssueComment(issue, TRIAGE_MARKER, `${TRIAGE_MARKER}\nsecond`);
		assert.deepEqual([posted.status, updated.status, skipped.status], ['posted', 'updated', 'skipped']);
		assert.equal(updated.commentId, posted.commentId);
		assert.deepEqual(github.pulls.issueComments.get(9)?.map((comment) => comment.body), [`${TRIAGE_MARKER}\nsecond`]);
	});
});
