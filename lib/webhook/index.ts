export { handleDelivery, payloadOf } from './delivery';
export type { DeliveryConfig, DeliveryOutcome, DeliveryPorts, DeliveryRequest, PushOutput } from './delivery';
export { WebhookDeliveryStore, type DeliveryRecord } from './deliveries';
export { netChanges, parsePushEvent, ZERO_SHA } from './push-event';
export type { IncompleteReason, PushedFile, PushParseOptions, PushSummary } from './push-event';
export { signPayload, verifySignature } from './signature';
