export { classifyAwsError, type ErrorClass } from './aws/classify.js';
export { type AwsAccessOptions, AwsClients } from './aws/clients.js';
export { canonicalJson, sha256Hex } from './canonical/canonicalise.js';
export { type BaselineOptions, type BaselineReport, runBaseline } from './capture/baseline.js';
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
export { resolveTime } from './query/time.js';
export { definitionFor, registry } from './resources/registry.js';
export type { ResourceDefinition } from './resources/types.js';
export { defaultKeyFile, loadOrCreateKey } from './secrets/key-file.js';
export { isSealed, LocalKeySealer, type SealedValue, type SecretSealer } from './secrets/sealer.js';
export type { StoreBackend } from './store/backend.js';
export type { StateFilter } from './store/index-db.js';
export { resourceKey, StoreLayout } from './store/layout.js';
export { LocalBackend } from './store/local-backend.js';
export type {
  BaselineManifest,
  BaselineSummary,
  Hashed,
  VersionCause,
  VersionRecord,
} from './store/records.js';
export { type StoreProblem, type VerifyReport, verifyStore } from './store/verify.js';
export { type AppendResult, type OpenStoreOptions, VersionStore } from './store/version-store.js';
export type { CloudTrailRecord } from './types/cloudtrail.js';
export type { Json, JsonObject } from './types/json.js';
export type { Gap, ResourceRef, Scope } from './types/resource.js';
