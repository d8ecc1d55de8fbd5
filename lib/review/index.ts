export { anchorKey, commentableLines, filteredPatches, parsePatch, renderHunk, type DiffSource, type DiffHunk, type DiffLine, type DiffSide, type FilePatch } from './diff';
export { gatherReviewContext, usedNames, type ContextHit, type ContextRelation, type FileContext, type ReviewContext, type ReviewContextOptions } from './context';
export { reviewChange, type DroppedComment, type DroppedReason, type PullRequestInfo, type ReviewChangeInput, type ReviewComment, type ReviewResult } from './review';
export { triageIssue, type IssueInfo, type RelatedSpan, type TriageResult } from './triage';
export { formatReviewBody, formatReviewComment, formatTriageComment, REVIEW_MARKER, sourceList, TRIAGE_MARKER } from './format';
export { GitHubReviewPoster, type IssueCommentStatus, type PostReviewInput, type PostReviewResult, type PostTarget } from './post';
