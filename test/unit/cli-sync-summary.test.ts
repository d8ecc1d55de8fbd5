import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { syncSummary } from '../../cli/sync';
import type { SyncReport } from '../../lib/sync';

const report: SyncReport = {
	repoKey: 'github:o/r', ref: 'main', commit: 'a'.repeat(40), previousCommit: null, collection: 'c', embeddingModel: 'hash:64', runId: 1,
	filesSeen: 12, filesChanged: 9, filesUnchanged: 0, filesRemoved: 0, filesSkipped: 1, filesFailed: 2, chunksUpserted: 30, chunksDeleted: 0,
	embedded: 30, cacheHits: 0, reconciled: false, durationMs: 1500, skipped: [{ path: 'logo.png', reason: 'binary' }], status: 'partial',
	failed: [
		{ path: 'README.md', blobSha: 'b'.repeat(40), step: 'embed', error: 'request refused (HTTP 400): input too long', attempts: 2, firstFailedAt: new Date(0), lastFailedAt: new Date(0) },
		{ path: 'src/deep.js', blobSha: 'c'.repeat(40), step: 'chunk', error: 'Maximum call stack size exceeded', attempts: 1, firstFailedAt: new Date(0), lastFailedAt: new Date(0) },
	],
};

describe('repomind sync summary', () => {
	it('shows a partial run and its failure ledger, one line per file with step, runs and reason', () => {
		assert.deepEqual(syncSummary(report).split('\n'), [
			'github:o/r@main (aaaaaaa): 9 files indexed, 0 removed, 0 unchanged, 1 skipped, 2 failed, 30 chunks embedded (0 from cache), 0 stale chunks deleted in 1.5 s; partial: the failure ledger below is retried first on the next sync',
			'  failed README.md at embed (2 runs): request refused (HTTP 400): input too long',
			'  failed src/deep.js at chunk (1 run): Maximum call stack size exceeded',
		]);
	});

	it('is one line when every file was indexed', () => {
		assert.equal(syncSummary({ ...report, status: 'succeeded', failed: [], filesFailed: 0 }).split('\n').length, 1);
	});
});
