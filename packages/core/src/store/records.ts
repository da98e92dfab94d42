import { z } from 'zod';
import { CauseKind, GapKind } from '../constants.js';

const resourceRefSchema = z.object({
  account: z.string().min(1),
  region: z.string().min(1),
  type: z.string().min(1),
  id: z.string().min(1),
});

const gapSchema = z.object({
  kind: z.enum([GapKind.DENIED, GapKind.NEEDS_RESTORE, GapKind.ERROR]),
  type: z.string(),
  region: z.string(),
  id: z.string().optional(),
  operation: z.string(),
  code: z.string(),
  message: z.string(),
});

const causeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal(CauseKind.BASELINE), label: z.string() }),
  z.object({
    kind: z.literal(CauseKind.EVENT),
    eventId: z.string().optional(),
    eventName: z.string(),
    eventTime: z.string().optional(),
    principal: z.string().optional(),
    actor: z.string().optional(),
    ownWrite: z.literal(true).optional(),
    /** The restore whose call this was (its user agent said so). */
    restore: z.string().optional(),
    alsoBy: z.array(z.string()).readonly().optional(),
    coalesced: z.number().int().optional(),
  }),
  /** Silent drift: a baseline (`label`) found a change no event had captured. */
  z.object({
    kind: z.literal(CauseKind.RECONCILE),
    label: z.string().optional(),
    detail: z.string().optional(),
  }),
  /** A comparison with the live account (`diff --to live --capture`) stored what it read. */
  z.object({ kind: z.literal(CauseKind.DRIFT_CHECK) }),
  /** A restore (`restoreId`) to the moment `at` captured the resource just `before` changing it, or just `after`. */
  z.object({
    kind: z.literal(CauseKind.RESTORE),
    restoreId: z.string(),
    phase: z.enum(['before', 'after']),
    at: z.string(),
  }),
]);

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

/** One immutable version of one resource: the unit of the hash chain. */
export const versionRecordSchema = z.object({
  schema: z.literal(1),
  resource: resourceRefSchema,
  seq: z.number().int().positive(),
  /** When it was captured, as `Date.toISOString()` writes it (UTC, milliseconds): the index keeps it as a number. */
  capturedAt: z.iso.datetime({ precision: 3 }),
  cause: causeSchema,
  deleted: z.boolean(),
  /** sha256 of the canonical document blob; null for a deletion. */
  document: sha256.nullable(),
  blobs: z.record(z.string(), sha256),
  fingerprint: z.string().optional(),
  gaps: z.array(gapSchema),
  /** Hash of the previous version record of the same resource; null for the first. */
  prev: sha256.nullable(),
  /** HMAC-SHA256 of the record without this field, under the store's key: absent from unauthenticated stores. */
  mac: sha256.optional(),
});

/** What a baseline recorded for one resource. */
const manifestEntrySchema = z.object({
  resource: resourceRefSchema,
  seq: z.number().int().positive(),
  version: sha256,
});

/** A baseline: every resource's version at that moment, labelled, chained to the previous baseline. */
export const baselineManifestSchema = z.object({
  schema: z.literal(1),
  seq: z.number().int().positive(),
  label: z.string().min(1),
  startedAt: z.iso.datetime(),
  completedAt: z.iso.datetime(),
  account: z.string(),
  regions: z.array(z.string()),
  types: z.array(z.string()),
  prev: sha256.nullable(),
  entries: z.array(manifestEntrySchema),
  gaps: z.array(gapSchema),
  /** As a version record's. */
  mac: sha256.optional(),
});

/** Who a store is: written once, with its first record. */
export const storeIdentitySchema = z.object({
  schema: z.literal(1),
  /** Random: a store emptied and made again under the same name is another store, and caches tell. */
  storeId: z.uuid(),
  createdAt: z.iso.datetime(),
  /** The id of the key that seals its secrets and signs its records (never the key). */
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  /** As a version record's: without it (or with another), the identity is not the one its key wrote. */
  mac: sha256.optional(),
});

/** A record named by a log head: its key and the sha256 of its bytes. */
const loggedRecordSchema = z.object({ key: z.string().min(1), sha256 });

/**
 * A link of the store's log: the records written since the previous head (by one writer), chained to it and
 * signed. A head covers every record it or a head before it names.
 */
export const logHeadSchema = z.object({
  schema: z.literal(1),
  seq: z.number().int().positive(),
  prev: sha256.nullable(),
  sealedAt: z.iso.datetime(),
  keyId: z.string(),
  records: z.array(loggedRecordSchema),
  mac: sha256,
});

export type VersionRecord = z.infer<typeof versionRecordSchema>;
export type VersionCause = z.infer<typeof causeSchema>;
export type BaselineManifest = z.infer<typeof baselineManifestSchema>;
export type ManifestEntry = z.infer<typeof manifestEntrySchema>;
export type StoreIdentity = z.infer<typeof storeIdentitySchema>;
export type LogHead = z.infer<typeof logHeadSchema>;
export type LoggedRecord = z.infer<typeof loggedRecordSchema>;

/** A baseline without its entries, as listed. */
export type BaselineSummary = Omit<BaselineManifest, 'entries'> & { readonly entryCount: number };

/** A stored record with the hash of its bytes. */
export interface Hashed<T> {
  readonly hash: string;
  readonly record: T;
}
