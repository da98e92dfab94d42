/** Region name used for resources of globally scoped services (IAM, CloudFront, Route53). */
export const GLOBAL_REGION = 'global' as const;

/** The region where global services (IAM, CloudFront, Route53) record their CloudTrail events. */
export const GLOBAL_EVENTS_REGION = 'us-east-1' as const;

/** Key in a document that marks a sealed (encrypted) secret value. */
export const SEALED_MARKER = '$sealed' as const;

/** Key in a document that marks a field Tidemark could not read (denied or failed). */
export const UNKNOWN_MARKER = '$unknown' as const;

/** What Tidemark's SDK clients add to their user agent, so CloudTrail tells its own calls apart (`userAgent`). */
export const TIDEMARK_USER_AGENT = 'tidemark/1';

/** Kinds of cause that make Tidemark append a version. */
export const CauseKind = {
  BASELINE: 'baseline',
  EVENT: 'event',
  RECONCILE: 'reconcile',
  /** `diff --to live --capture`: what a comparison with the live account read, stored. */
  DRIFT_CHECK: 'drift-check',
  /** `restore --apply`: the state just before a restore changed a resource, and just after. */
  RESTORE: 'restore',
} as const;

/** What a restore adds to its calls' user agent, with its id as the version: CloudTrail records it. */
export const RESTORE_USER_AGENT = 'tidemark-restore';

/** Kinds of gap: something Tidemark could not capture, recorded as data rather than thrown. */
export const GapKind = {
  /** The caller's credentials may not make this call (IAM, SCP, bucket policy, explicit deny). */
  DENIED: 'denied',
  /** The content exists but cannot be read until it is restored (S3 GLACIER, DEEP_ARCHIVE). */
  NEEDS_RESTORE: 'needs-restore',
  /** The call failed for another reason after retries (throttling, service error). */
  ERROR: 'error',
} as const;

/** Content downloads (object bodies, code zips) in flight during a capture: bounds memory and temporary files. */
export const DOWNLOADS_IN_FLIGHT = 8;

/**
 * Items stored as chunks (a DynamoDB table's): the format named in the document's `Items` section (one item per
 * line in DynamoDB JSON, `{"id":{"S":"b-1"}}`, bytes in base64), and the prefix of the chunk blobs' names
 * (`items/0000`…). Capture writes them, diffs read them.
 */
export const ChunkedItems = {
  FORMAT: 'dynamodb-json-lines',
  BLOB_PREFIX: 'items/',
} as const;

/** Tables larger than this have their items exported natively instead of scanned (`--table-item-limit`). */
export const DEFAULT_TABLE_ITEM_LIMIT_BYTES = 2 * 1024 * 1024 * 1024;

/** Objects larger than this are downloaded as sequential ranged GETs of this size. */
export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
