export { collectDigestChanges, type CollectOptions, type CommitHistory, type DigestChanges, type DigestFile } from './collect';
export { DigestStore, type DigestRecord } from './digest-store';
export { composeDigestEmail, type ComposeOptions, type DigestEmail, type DigestSummary } from './email';
export { GitHubHistory, type CommitRange, type DigestCommit, type GitHubHistoryOptions } from './github-history';
