import { fieldChanges } from '../query/changes.js';
import { versionKey } from '../store/layout.js';
import type { Hashed, VersionRecord } from '../store/records.js';
import type { VersionStore } from '../store/version-store.js';
import type { JsonObject } from '../types/json.js';
import type { ChangeFact, ChangeHead } from './match.js';

/** A captured version as rules see it, with the version before it (absent for a first capture). */
export interface VersionChange {
  readonly head: ChangeHead;
  readonly version: Hashed<VersionRecord>;
  readonly previous?: Hashed<VersionRecord> | undefined;
}

/**
 * What a version did, read from the store: created (a first version, or one after a deletion), changed or
 * deleted; when (the event's time, else the capture's) and by whom (the event's principal and actor).
 */
export async function versionChange(
  store: VersionStore,
  version: Hashed<VersionRecord>,
): Promise<VersionChange> {
  const { record } = version;
  const previous =
    record.seq > 1 ? await store.readVersion(versionKey(record.resource, record.seq - 1)) : undefined;
  const kind = record.deleted ? 'deleted' : !previous || previous.record.deleted ? 'created' : 'changed';
  const { cause } = record;
  const event = cause.kind === 'event' ? cause : undefined;
  const head: ChangeHead = {
    resource: record.resource,
    kind,
    cause,
    changedAt: new Date(event?.eventTime ?? record.capturedAt),
    principal: event?.principal,
    actor: event?.actor,
    alsoBy: event?.alsoBy,
  };
  return { head, version, previous };
}

/** A version's change with its documents and field changes, each document checked against its hash. */
export async function changeFact(store: VersionStore, change: VersionChange): Promise<ChangeFact> {
  const read = async (record: VersionRecord | undefined): Promise<JsonObject | undefined> =>
    record && !record.deleted && record.document ? store.readDocument(record.document) : undefined;
  const [before, after] = await Promise.all([read(change.previous?.record), read(change.version.record)]);
  return { ...change.head, before, after, changes: fieldChanges(before, after) };
}
