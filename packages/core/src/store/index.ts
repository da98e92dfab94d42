/**
 * `@tidemark/core/store`: the versioned store alone, for callers that open a store without loading the capture
 * engine, the resource registry or AWS clients. An `s3://` store loads the S3 client when it is opened.
 */

export type { RecordAuthenticator } from './authenticator.js';
export type { StoreDamage, VersionEntry } from './index-db.js';
export type { IndexScope, StateFilter } from './index-resources.js';
export { logHeadKey, resourceKey, StoreLayout } from './layout.js';
export type {
  BaselineManifest,
  BaselineSummary,
  Hashed,
  LogHead,
  StoreIdentity,
  VersionCause,
  VersionRecord,
} from './records.js';
export {
  type StoreProblem,
  type VerifyOptions,
  type VerifyReport,
  verifyStore,
} from './verify.js';
export {
  type AppendResult,
  type IndexOptions,
  type KeyOptions,
  type OpenStoreOptions,
  VersionStore,
} from './version-store.js';
export { advanceWitness, readWitness, type Witness, witnessFile } from './witness.js';
