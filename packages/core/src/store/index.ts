/**
 * `@tidemark/core/store`: the versioned store alone, for callers that open a store without loading the capture
 * engine, the resource registry or AWS clients. An `s3://` store loads the S3 client when it is opened.
 */
export type { VersionEntry } from './index-db.js';
export type { IndexScope, StateFilter } from './index-resources.js';
export { resourceKey, StoreLayout } from './layout.js';
export type {
  BaselineManifest,
  BaselineSummary,
  Hashed,
  VersionCause,
  VersionRecord,
} from './records.js';
export { type StoreProblem, type VerifyReport, verifyStore } from './verify.js';
export {
  type AppendResult,
  type IndexOptions,
  type OpenStoreOptions,
  VersionStore,
} from './version-store.js';
