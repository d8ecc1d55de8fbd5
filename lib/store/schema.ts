/**
 * The schema as an ordered list of migrations. Never edit a released migration: append a new one.
 * Every table is prefixed `repomind_` so the package can share a database with other applications.
 */
export interface Migration {
	version: number;
	description: string;
	statements: string[];
}

export const MIGRATIONS: Migration[] = [
	{
		version: 1,
		description: 'repos, indexed refs, files, chunks (with full-text search), index runs, query log, embedding cache',
		statements: [
			`CREATE TABLE IF NOT EXISTS repomind_repos (
				id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
				repo_key VARCHAR(255) NOT NULL,
				created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
				UNIQUE KEY uq_repo_key (repo_key)
			) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
			`CREATE TABLE IF NOT EXISTS repomind_refs (
				id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
				repo_id INT UNSIGNED NOT NULL,
				ref VARCHAR(255) NOT NULL,
				embedding_model VARCHAR(191) NOT NULL,
				collection VARCHAR(128) NOT NULL,
				commit_sha CHAR(40) NULL,
				chunker_version INT NOT NULL,
				file_count INT NOT NULL DEFAULT 0,
				chunk_count INT NOT NULL DEFAULT 0,
				indexed_at DATETIME(3) NULL,
				UNIQUE KEY uq_ref (repo_id, ref, embedding_model),
				CONSTRAINT fk_refs_repo FOREIGN KEY (repo_id) REFERENCES repomind_repos (id) ON DELETE CASCADE
			) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
			`CREATE TABLE IF NOT EXISTS repomind_files (
				ref_id INT UNSIGNED NOT NULL,
				path_hash BINARY(20) NOT NULL,
				path VARCHAR(1024) NOT NULL,
				blob_sha CHAR(40) NOT NULL,
				language VARCHAR(32) NOT NULL,
				size_bytes INT UNSIGNED NOT NULL,
				chunk_count INT UNSIGNED NOT NULL,
				skip_reason VARCHAR(32) NULL,
				skip_detail VARCHAR(255) NULL,
				PRIMARY KEY (ref_id, path_hash),
				KEY ix_files_blob (blob_sha),
				CONSTRAINT fk_files_ref FOREIGN KEY (ref_id) REFERENCES repomind_refs (id) ON DELETE CASCADE
			) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
			`CREATE TABLE IF NOT EXISTS repomind_chunks (
				ref_id INT UNSIGNED NOT NULL,
				id CHAR(32) NOT NULL,
				path_hash BINARY(20) NOT NULL,
				path VARCHAR(1024) NOT NULL,
				blob_sha CHAR(40) NOT NULL,
				language VARCHAR(32) NOT NULL,
				start_line INT UNSIGNED NOT NULL,
				end_line INT UNSIGNED NOT NULL,
				symbol VARCHAR(512) NULL,
				content_hash CHAR(64) NOT NULL,
				tokens INT UNSIGNED NOT NULL,
				content MEDIUMTEXT NOT NULL,
				search_text MEDIUMTEXT NOT NULL,
				PRIMARY KEY (ref_id, id),
				FULLTEXT KEY ft_chunks_search (search_text),
				KEY ix_chunks_file (ref_id, path_hash),
				KEY ix_chunks_blob (blob_sha),
				CONSTRAINT fk_chunks_ref FOREIGN KEY (ref_id) REFERENCES repomind_refs (id) ON DELETE CASCADE
			) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
			`CREATE TABLE IF NOT EXISTS repomind_index_runs (
				id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
				ref_id INT UNSIGNED NOT NULL,
				status ENUM('running','succeeded','failed') NOT NULL,
				from_commit CHAR(40) NULL,
				to_commit CHAR(40) NOT NULL,
				started_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
				finished_at DATETIME(3) NULL,
				files_seen INT UNSIGNED NOT NULL DEFAULT 0,
				files_changed INT UNSIGNED NOT NULL DEFAULT 0,
				files_removed INT UNSIGNED NOT NULL DEFAULT 0,
				files_skipped INT UNSIGNED NOT NULL DEFAULT 0,
				chunks_upserted INT UNSIGNED NOT NULL DEFAULT 0,
				chunks_deleted INT UNSIGNED NOT NULL DEFAULT 0,
				embedded INT UNSIGNED NOT NULL DEFAULT 0,
				cache_hits INT UNSIGNED NOT NULL DEFAULT 0,
				reconciled TINYINT(1) NOT NULL DEFAULT 0,
				error TEXT NULL,
				KEY ix_runs_ref (ref_id, id),
				CONSTRAINT fk_runs_ref FOREIGN KEY (ref_id) REFERENCES repomind_refs (id) ON DELETE CASCADE
			) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
			`CREATE TABLE IF NOT EXISTS repomind_queries (
				id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
				conversation_id VARCHAR(191) NULL,
				repo_key VARCHAR(255) NOT NULL,
				ref VARCHAR(255) NOT NULL,
				question TEXT NOT NULL,
				filters JSON NULL,
				retrieved JSON NOT NULL,
				answer MEDIUMTEXT NULL,
				citations JSON NULL,
				model VARCHAR(191) NULL,
				prompt_tokens INT UNSIGNED NULL,
				completion_tokens INT UNSIGNED NULL,
				latency_ms INT UNSIGNED NULL,
				error TEXT NULL,
				created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
				KEY ix_queries_conversation (conversation_id, id),
				KEY ix_queries_repo (repo_key, created_at)
			) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
			`CREATE TABLE IF NOT EXISTS repomind_embedding_cache (
				model VARCHAR(191) NOT NULL,
				text_hash CHAR(64) NOT NULL,
				dimensions SMALLINT UNSIGNED NOT NULL,
				vector MEDIUMBLOB NOT NULL,
				created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
				PRIMARY KEY (model, text_hash)
			) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
		],
	},
	{
		version: 2,
		description: 'webhook deliveries (redelivery is a no-op), digest state per repository, ref and digest name',
		statements: [
			`CREATE TABLE IF NOT EXISTS repomind_webhook_deliveries (
				delivery_id VARCHAR(64) NOT NULL PRIMARY KEY,
				event VARCHAR(64) NOT NULL,
				repo_key VARCHAR(255) NOT NULL,
				ref VARCHAR(255) NOT NULL,
				after_sha CHAR(40) NULL,
				received_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
				KEY ix_deliveries_repo (repo_key, received_at)
			) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
			`CREATE TABLE IF NOT EXISTS repomind_digests (
				repo_key VARCHAR(255) NOT NULL,
				ref VARCHAR(255) NOT NULL,
				digest_name VARCHAR(100) NOT NULL,
				commit_sha CHAR(40) NOT NULL,
				sent_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
				commit_count INT UNSIGNED NOT NULL DEFAULT 0,
				file_count INT UNSIGNED NOT NULL DEFAULT 0,
				recipients VARCHAR(1024) NULL,
				PRIMARY KEY (repo_key, ref, digest_name)
			) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
		],
	},
	{
		version: 3,
		description: 'evaluation runs (summary, settings, baseline) and their per-question results',
		statements: [
			`CREATE TABLE IF NOT EXISTS repomind_eval_runs (
				id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
				name VARCHAR(191) NULL,
				repo_key VARCHAR(255) NULL,
				ref VARCHAR(255) NULL,
				settings JSON NULL,
				summary JSON NOT NULL,
				item_count INT UNSIGNED NOT NULL,
				baseline_run_id BIGINT UNSIGNED NULL,
				created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
				KEY ix_eval_runs_repo (repo_key, created_at)
			) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
			`CREATE TABLE IF NOT EXISTS repomind_eval_results (
				run_id BIGINT UNSIGNED NOT NULL,
				item_index INT UNSIGNED NOT NULL,
				item_key VARCHAR(191) NOT NULL,
				question TEXT NOT NULL,
				metrics JSON NOT NULL,
				skipped JSON NOT NULL,
				verdicts JSON NOT NULL,
				judge_failures JSON NOT NULL,
				k INT UNSIGNED NOT NULL,
				has_gold TINYINT(1) NOT NULL,
				latency_ms INT UNSIGNED NULL,
				error TEXT NULL,
				PRIMARY KEY (run_id, item_index),
				KEY ix_eval_results_item (run_id, item_key),
				CONSTRAINT fk_eval_results_run FOREIGN KEY (run_id) REFERENCES repomind_eval_runs (id) ON DELETE CASCADE
			) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
		],
	},
	{
		version: 4,
		description: 'content-filter version per indexed ref (a newer filter re-reads every file)',
		statements: ['ALTER TABLE repomind_refs ADD COLUMN filter_version INT NOT NULL DEFAULT 0 AFTER chunker_version'],
	},
	{
		version: 5,
		description: 'failure ledger per indexed ref; runs can finish partial and count failed files',
		statements: [
			`CREATE TABLE IF NOT EXISTS repomind_index_failures (
				ref_id INT UNSIGNED NOT NULL,
				path_hash BINARY(20) NOT NULL,
				path VARCHAR(1024) NOT NULL,
				blob_sha CHAR(40) NOT NULL,
				step VARCHAR(16) NOT NULL,
				error TEXT NOT NULL,
				attempts INT UNSIGNED NOT NULL,
				first_failed_at DATETIME(3) NOT NULL,
				last_failed_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
				PRIMARY KEY (ref_id, path_hash),
				CONSTRAINT fk_failures_ref FOREIGN KEY (ref_id) REFERENCES repomind_refs (id) ON DELETE CASCADE
			) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
			"ALTER TABLE repomind_index_runs MODIFY status ENUM('running','succeeded','failed','partial') NOT NULL",
			'ALTER TABLE repomind_index_runs ADD COLUMN files_failed INT UNSIGNED NOT NULL DEFAULT 0 AFTER files_skipped',
		],
	},
	{
		version: 6,
		description: 'ref lock leases: a fencing token per ref lock, and a repair request from a run that lost it',
		statements: [
			`CREATE TABLE IF NOT EXISTS repomind_ref_leases (
				lock_name VARCHAR(64) NOT NULL PRIMARY KEY,
				token BIGINT UNSIGNED NOT NULL,
				repair TINYINT(1) NOT NULL DEFAULT 0
			) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
		],
	},
	{
		version: 7,
		description: 'answer and search-result cache keyed by question, index commit, model and settings, with an expiry',
		statements: [
			`CREATE TABLE IF NOT EXISTS repomind_answer_cache (
				cache_key CHAR(64) NOT NULL PRIMARY KEY,
				kind VARCHAR(16) NOT NULL,
				repo_key VARCHAR(255) NOT NULL,
				ref VARCHAR(255) NOT NULL,
				commit_sha CHAR(40) NOT NULL,
				model VARCHAR(191) NOT NULL,
				question TEXT NOT NULL,
				payload MEDIUMTEXT NOT NULL,
				created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
				expires_at DATETIME(3) NOT NULL,
				hit_count INT UNSIGNED NOT NULL DEFAULT 0,
				KEY ix_answer_cache_expiry (expires_at),
				KEY ix_answer_cache_ref (repo_key, ref)
			) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
		],
	},
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
