export { handleDelivery, payloadOf } from './delivery';
export type { DeliveryConfig, DeliveryOutcome, DeliveryPorts, DeliveryRequest, PushOutput, TriggerEvent } from './delivery';
export { handleReviewDelivery, type IssueOutput, type PullRequestOutput } from './review-delivery';
export { parseIssueEvent, parsePullRequestEvent, REVIEW_ACTIONS, TRIAGE_ACTIONS, type IssueSummary, type PullRequestSummary } from './pull-request-event';
export { WebhookDeliveryStore, type DeliveryRecord } from './deliveries';
export { netChanges, parsePushEvent, ZERO_SHA } from './push-event';
export type { IncompleteReason, PushedFile, PushParseOptions, PushSummary } from './push-event';
export { signPayload, verifySignature } from './signature';
