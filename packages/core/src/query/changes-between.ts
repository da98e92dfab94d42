import { CauseKind } from '../constants.js';
import { InputError } from '../errors.js';
import type { ChangeFilter, VersionEntry } from '../store/index-db.js';
import type { VersionCause } from '../store/records.js';
import type { VersionStore } from '../store/version-store.js';
import type { ResourceRef } from '../types/resource.js';
import type { FieldChange } from './changes.js';
import { confirmedEntry, documentOf, mapBounded, requireHeldRegion, versionChanges } from './queries.js';

/** What a captured change did to its resource. */
export type ChangeKind = 'created' | 'changed' | 'deleted';

/** One captured change: a version that is not a resource's baseline capture. Stable shape (`--json`). */
export interface CapturedChange {
  readonly resource: ResourceRef;
  readonly seq: number;
  /** Hash of the version record. */
  readonly version: string;
  readonly capturedAt: string;
  /** When it happened: the event's time when the cause is an event that says, else when it was captured. */
  readonly changedAt: string;
  readonly kind: ChangeKind;
  readonly cause: VersionCause;
  /** ARN (or service) of who made the call, when an event says. */
  readonly principal?: string;
  /** The human behind the principal, when an event says. */
  readonly actor?: string;
}

/** Options of {@link changesBetween}: which resources, and `by` (a glob on the actor or principal). */
export type { ChangeFilter } from '../store/index-db.js';

/**
 * The changes captured after `from` and up to `to`, newest first (by {@link CapturedChange.changedAt}): versions
 * caused by events, silent drift found by baselines (`reconcile`) and drift checks, never a resource's baseline
 * capture. Each is confirmed against the store (an altered index is a StoreError, not an answer). With `by`, only
 * changes whose cause names a matching actor or principal (so silent drift never matches).
 *
 * @example
 * await changesBetween(store, new Date(Date.now() - 7 * 86_400_000), new Date(), { by: 'alice*' });
 */
export async function changesBetween(
  store: VersionStore,
  from: Date,
  to: Date,
  filter: ChangeFilter = {},
): Promise<CapturedChange[]> {
  requireHeldRegion(store, filter.region);
  if (from > to)
    throw new InputError(
      `the window of changes ends before it starts: from ${from.toISOString()} to ${to.toISOString()}; give the earlier moment first`,
    );
  const found = store.index.changesCaptured(from.toISOString(), to.toISOString(), filter);
  const changes = await mapBounded(found, async ({ entry, previous }) =>
    capturedChange(await confirmedEntry(store, entry), previous),
  );
  // Stable: versions captured together keep the index's order (newest capture first).
  return changes.sort((a, b) => (a.changedAt === b.changedAt ? 0 : a.changedAt < b.changedAt ? 1 : -1));
}

/**
 * The field changes of a captured change, as `history` computes them: from the version before (nothing for a
 * creation) to this one (nothing for a deletion), content blobs as `$blobs.<name>`, table items as `Items.<key>…`;
 * `damaged` when a document could not be read whole. Reads two documents: call it for the changes shown, not for all.
 */
export async function changeFields(
  store: VersionStore,
  change: CapturedChange,
): Promise<{ changes: FieldChange[]; damaged?: string }> {
  const versions = store.index.history(change.resource);
  const before = versions.find((entry) => entry.seq === change.seq - 1);
  const after = versions.find((entry) => entry.seq === change.seq);
  if (after?.version !== change.version)
    return {
      changes: [],
      damaged: `the index no longer names ${change.resource.id} v${change.seq}: run tidemark reindex`,
    };
  const [older, newer] = [await documentOf(store, before), await documentOf(store, after)];
  const damaged = older.damaged ?? newer.damaged;
  if (damaged) return { changes: [], damaged };
  return versionChanges(
    store,
    { document: older.document, blobs: before?.deleted ? {} : (before?.blobs ?? {}) },
    { document: newer.document, blobs: after.blobs },
  );
}

/** A confirmed version as a change, with what kind of change it was given the version before it. */
function capturedChange(entry: VersionEntry, previous: VersionEntry | undefined): CapturedChange {
  const { cause } = entry;
  const event = cause.kind === CauseKind.EVENT ? cause : undefined;
  return {
    resource: entry.resource,
    seq: entry.seq,
    version: entry.version,
    capturedAt: entry.capturedAt,
    changedAt: event?.eventTime ?? entry.capturedAt,
    kind: entry.deleted ? 'deleted' : !previous || previous.deleted ? 'created' : 'changed',
    cause,
    ...(event?.principal ? { principal: event.principal } : {}),
    ...(event?.actor ? { actor: event.actor } : {}),
  };
}
