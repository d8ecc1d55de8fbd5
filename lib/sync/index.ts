export { syncRepository, SyncCancelledError, type SyncDependencies, type SyncOptions, type SyncProgress, type SyncReport } from './sync';
export { planSync, type SyncPlan } from './plan';
export type { ChunkSplitter, FileGate } from './ports';
export { deleteRefIndex, type DeletedRefIndex, type DeleteRefOptions, type DeleteRefResult } from './delete-ref-index';
