export { classifyAwsError, type ErrorClass } from './aws/classify.js';
export { type AwsAccessOptions, AwsClients } from './aws/clients.js';
export { canonicalJson, sha256Hex } from './canonical/canonicalise.js';
export {
  type BaselineOptions,
  type BaselineReport,
  type ManifestSummary,
  runBaseline,
} from './capture/baseline.js';
export type { ContentStore, StoredContent } from './capture/content-store.js';
export type { CaptureContext, CaptureCounters, ObjectSelection } from './capture/context.js';
export { CaptureEngine, type CaptureEngineOptions } from './capture/engine.js';
export { type IngestedCapture, type IngestInput, type IngestReport, ingestEvents } from './capture/ingest.js';
export type { CaptureOutcome } from './capture/outcome.js';
export type { CaptureFailure, TypeTally } from './capture/tally.js';
export { CauseKind, GapKind, GLOBAL_REGION, SEALED_MARKER, UNKNOWN_MARKER } from './constants.js';
export {
  ContentMismatchError,
  InputError,
  SecretKeyError,
  StoreError,
  TidemarkError,
  UnknownResourceTypeError,
} from './errors.js';
export { coalesce, mapEvent, mapEvents } from './events/map.js';
export { parseEventInput } from './events/parse.js';
export { type ChangeEvent, type EventCause, type MappedEvent, SkipReason } from './events/types.js';
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
export { type FieldChange, fieldChanges, redactSealed, SEALED_PLACEHOLDER } from './query/changes.js';
export {
  diffStates,
  type HistoryEntry,
  history,
  resolveResource,
  type StateDiff,
  type StateEntry,
  showResource,
  stateAt,
} from './query/queries.js';
export { parseAge, resolveTime } from './query/time.js';
export {
  type IngestMessagesResult,
  ingestMessages,
  type MessageResult,
  type ReceivedMessage,
} from './queue/consume.js';
export {
  type DeadLetter,
  listDeadLetters,
  type RedriveFailure,
  type RedriveReport,
  redriveDeadLetters,
} from './queue/dead-letters.js';
export {
  type MessageSummary,
  type QueueMessage,
  readQueueMessage,
  summariseMessage,
} from './queue/messages.js';
export { queueRegion } from './queue/queue-url.js';
export { sendWorkItems, type UnsentWorkItem, type WorkItemSendReport } from './queue/work-items.js';
export { definitionFor, registry } from './resources/registry.js';
export type { ResourceDefinition } from './resources/types.js';
export { defaultKeyFile, loadOrCreateKey } from './secrets/key-file.js';
export { isSealed, LocalKeySealer, type SealedValue, type SecretSealer } from './secrets/sealer.js';
export { loadKeyFromSecret } from './secrets/secret-manager-key.js';
export type { StoreBackend } from './store/backend.js';
export type { VersionEntry } from './store/index-db.js';
export type { IndexScope, StateFilter } from './store/index-resources.js';
export {
  type IndexSnapshot,
  SNAPSHOT_AFTER_RECORDS,
  type WarningSink,
} from './store/index-snapshot.js';
export type { RebuildReport, RefreshReport } from './store/index-sync.js';
export { resourceKey, StoreLayout } from './store/layout.js';
export { LocalBackend } from './store/local-backend.js';
export { parseStoreLocation, type StoreLocation, storeCacheDirectory } from './store/location.js';
export type {
  BaselineManifest,
  BaselineSummary,
  Hashed,
  VersionCause,
  VersionRecord,
} from './store/records.js';
export { S3Backend, type S3BackendOptions, type StoreAccessOptions } from './store/s3-backend.js';
export { type StoreProblem, type VerifyReport, verifyStore } from './store/verify.js';
export {
  type AppendResult,
  type IndexOptions,
  type OpenStoreOptions,
  VersionStore,
} from './store/version-store.js';
export type { CloudTrailRecord } from './types/cloudtrail.js';
export type { Json, JsonObject } from './types/json.js';
export type { Gap, ResourceRef, Scope } from './types/resource.js';
export { checkpointName, readWatchCheckpoint, type WatchCheckpoint } from './watch/checkpoint.js';
export { LOOKUP_EVENTS_RATE, type RequestRate } from './watch/rate-limit.js';
export { type WatchedRegion, watchedRegions } from './watch/regions.js';
export type {
  WatchedCapture,
  WatchedLookupError,
  WatchedPoll,
  WatchProgress,
  WatchSummary,
} from './watch/report.js';
export { WATCH_DEFAULTS, type WatchOptions, watchCloudTrail } from './watch/watch.js';
