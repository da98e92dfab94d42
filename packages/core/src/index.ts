/**
 * `@tidemark/core`: the whole domain. Each area also has an entry of its own (`@tidemark/core/store`, `/query`,
 * `/capture`, `/aws`…), for callers that load only what a command needs.
 */
export * from './alerts/index.js';
export * from './aws/index.js';
export { canonicalJson, sha256Hex } from './canonical/canonicalise.js';
export type { ContentStore, StoredContent } from './capture/content-store.js';
export * from './capture/index.js';
export { CauseKind, GapKind, GLOBAL_REGION, SEALED_MARKER, UNKNOWN_MARKER } from './constants.js';
export {
  ContentMismatchError,
  InputError,
  SecretKeyError,
  StoreError,
  TidemarkError,
  UnknownResourceTypeError,
} from './errors.js';
export * from './events/index.js';
export * from './export/index.js';
export {
  BASELINE_RUNS,
  parseWorkItem,
  type RunWorkItemOptions,
  runWorkItem,
  type ScheduledBaselineOptions,
  SLICE_TIME_MARGIN_MS,
  startScheduledBaseline,
  type WorkItem,
  type WorkItemReport,
} from './pipeline/index.js';
export * from './query/index.js';
export * from './queue/index.js';
export * from './resources/index.js';
export * from './restore/index.js';
export * from './secrets/index.js';
export { loadKeyFromSecret } from './secrets/secret-manager-key.js';
export type { StoreBackend } from './store/backend.js';
export * from './store/index.js';
export {
  type IndexSnapshot,
  SNAPSHOT_AFTER_RECORDS,
  type WarningSink,
} from './store/index-snapshot.js';
export type { RebuildReport, RefreshReport } from './store/index-sync.js';
export { LocalBackend } from './store/local-backend.js';
export { parseStoreLocation, type StoreLocation, storeCacheDirectory } from './store/location.js';
export { S3Backend, type S3BackendOptions, type StoreAccessOptions } from './store/s3-backend.js';
export type { CloudTrailRecord } from './types/cloudtrail.js';
export type { Json, JsonObject } from './types/json.js';
export type { Gap, ResourceRef, Scope } from './types/resource.js';
export * from './watch/index.js';
