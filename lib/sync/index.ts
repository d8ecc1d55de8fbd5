export { syncRepository, type SyncDependencies, type SyncOptions, type SyncProgress, type SyncReport } from './sync';
export { planSync, type SyncPlan } from './plan';
export type { ChunkSplitter, FileGate } from './ports';
export { deleteRefIndex, type DeletedRefIndex } from './delete-ref-index';
