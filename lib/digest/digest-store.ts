import type { Pool, RowDataPacket } from 'mysql2/promise';
import type { GitSha, RepoKey } from '../types';

/** The last digest of a (repository, ref, digest name). */
export interface DigestRecord {
	repoKey: RepoKey;
	ref: string;
	digestName: string;
	commitSha: GitSha;
	sentAt: Date;
	commitCount: number;
	fileCount: number;
	recipients: string | null;
}

/** Remembers in MySQL up to which commit each digest has reported. */
export class DigestStore {
	constructor(readonly pool: Pool) {}

	/** The last digest, or null when none was recorded. */
	async last(repoKey: RepoKey, ref: string, digestName: string): Promise<DigestRecord | null> {
		const [rows] = await this.pool.query<RowDataPacket[]>(
			'SELECT * FROM repomind_digests WHERE repo_key = ? AND ref = ? AND digest_name = ?',
			[repoKey, ref, digestName],
		);
		if (rows.length === 0) return null;
		const row = rows[0];
		return {
			repoKey: row.repo_key,
			ref: row.ref,
			digestName: row.digest_name,
			commitSha: row.commit_sha,
			sentAt: row.sent_at,
			commitCount: row.commit_count,
			fileCount: row.file_count,
			recipients: row.recipients,
		};
	}

	/** Records that the digest now covers everything up to `commitSha`. */
	async record(entry: Omit<DigestRecord, 'sentAt'>): Promise<void> {
		await this.pool.query(
			`INSERT INTO repomind_digests (repo_key, ref, digest_name, commit_sha, commit_count, file_count, recipients)
			 VALUES (?, ?, ?, ?, ?, ?, ?)
			 ON DUPLICATE KEY UPDATE commit_sha = VALUES(commit_sha), sent_at = CURRENT_TIMESTAMP(3),
			 commit_count = VALUES(commit_count), file_count = VALUES(file_count), recipients = VALUES(recipients)`,
			[entry.repoKey, entry.ref, entry.digestName, entry.commitSha, entry.commitCount, entry.fileCount, entry.recipients?.slice(0, 1024) ?? null],
		);
	}
}
