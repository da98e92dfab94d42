import { text } from 'node:stream/consumers';
import { canonicalJson } from '../canonical/canonicalise.js';
import type { LiveAccount, LiveState } from '../capture/live.js';
import type { CaptureFailure } from '../capture/tally.js';
import { CauseKind } from '../constants.js';
import type { StateFilter } from '../store/index-resources.js';
import { resourceKey } from '../store/layout.js';
import type { VersionStore } from '../store/version-store.js';
import type { JsonObject } from '../types/json.js';
import type { Gap, ResourceRef } from '../types/resource.js';
import {
  documentOf,
  mapBounded,
  requireHeldRegion,
  type StateDiff,
  type StateEntry,
  stateAt,
  versionChanges,
  withBlobs,
} from './queries.js';

/** The `version` of a live state the store does not hold: it has no version record yet. */
export const LIVE_VERSION = 'live';

/** Which moment of a comparison is the live account: `from` (`--from live`) or `to` (`--to live`). */
export type LiveSide = 'from' | 'to';

/** A comparison with the live account: a {@link StateDiff}, and what the live read could not read. */
export interface LiveDiff extends StateDiff {
  /** Resources and listings that could not be read: they are compared as the store last knew them. */
  readonly gaps: readonly Gap[];
  readonly failures: readonly CaptureFailure[];
}

/** A resource on one side of the comparison: its entry, and its document when the store may not hold it. */
interface Side {
  readonly entry: StateEntry;
  readonly body?: JsonObject;
}

/**
 * The stored state at `at` against the live account, field by field (item by item for tables), as `diffStates`
 * compares two moments; `side` says which moment the live account is. A resource the live read did not describe
 * (a gap, or a listing that showed nothing new) is as the store last knew it; one it describes that the store does
 * not hold is `added` (with `--to live`), its entry's `version` being {@link LIVE_VERSION}. `live` is read with the
 * same filter (see `readLive`).
 */
export async function diffWithLive(
  store: VersionStore,
  at: Date,
  live: LiveAccount,
  side: LiveSide,
  filter: StateFilter = {},
): Promise<LiveDiff> {
  requireHeldRegion(store, filter.region);
  const stored = new Map(stateAt(store, at, filter).map((entry) => [resourceKey(entry.resource), { entry }]));
  const current = liveView(store, live, filter);
  const [older, newer] = side === 'to' ? [stored, current] : [current, stored];
  const added: StateEntry[] = [];
  const removed: StateEntry[] = [];
  const pairs: Array<readonly [Side, Side]> = [];
  const resources = new Map([...older, ...newer].map(([key, { entry }]) => [key, entry.resource]));
  // Ordered as `stateAt` orders resources: by type, region, account, then id.
  const keys = [...resources.keys()].sort((a, b) => compareResources(resources.get(a), resources.get(b)));
  for (const key of keys) {
    const [before, after] = [older.get(key), newer.get(key)];
    if (after && !before) added.push(after.entry);
    else if (before && !after) removed.push(before.entry);
    else if (before && after && !sameContent(before.entry, after.entry)) pairs.push([before, after]);
  }
  const read = async (hash: string) => text(await live.content.read(hash));
  const changed = await mapBounded(pairs, async ([before, after]) => {
    const [from, to] = [await documentFor(store, before), await documentFor(store, after)];
    const damaged = from.damaged ?? to.damaged;
    const changes = damaged
      ? { changes: [], damaged }
      : await versionChanges(
          store,
          { document: from.document, blobs: before.entry.blobs },
          { document: to.document, blobs: after.entry.blobs },
          read,
        );
    return { resource: after.entry.resource, from: before.entry, to: after.entry, ...changes };
  });
  const liveAt = live.readAt;
  const storedAt = at.toISOString();
  return {
    from: side === 'from' ? liveAt : storedAt,
    to: side === 'to' ? liveAt : storedAt,
    added,
    removed,
    changed: changed.filter((entry) => entry.changes.length > 0 || entry.damaged),
    gaps: live.gaps,
    failures: live.failures,
  };
}

/**
 * The live account as the comparison sees it, by resource key: the store's latest state (filtered), with what the
 * live read found laid over it.
 */
function liveView(store: VersionStore, live: LiveAccount, filter: StateFilter): Map<string, Side> {
  const view = new Map<string, Side>(
    store.index.stateAt(live.readAt, filter).map((entry) => [resourceKey(entry.resource), { entry }]),
  );
  for (const [key, state] of live.states) {
    const latest = view.get(key)?.entry;
    if (state.deleted) view.delete(key);
    else if (!latest || !sameContent(latest, state)) view.set(key, liveSide(store, state, live.readAt));
  }
  return view;
}

/** A live state the store does not hold, as an entry: the version a capture would append, caused by a drift check. */
function liveSide(store: VersionStore, state: LiveState, readAt: string): Side {
  const entry: StateEntry = {
    resource: state.resource,
    seq: (store.latest(state.resource)?.record.seq ?? 0) + 1,
    version: LIVE_VERSION,
    capturedAt: readAt,
    cause: { kind: CauseKind.DRIFT_CHECK },
    deleted: false,
    document: state.document,
    blobs: state.blobs,
    gaps: state.gaps,
  };
  return state.body ? { entry, body: state.body } : { entry };
}

/** Resources by type, region, account, then id. */
function compareResources(a: ResourceRef | undefined, b: ResourceRef | undefined): number {
  const order = (ref: ResourceRef | undefined) =>
    [ref?.type, ref?.region, ref?.account, ref?.id].join('\u0000');
  const [x, y] = [order(a), order(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Whether two states hold the same document and content. */
function sameContent(
  a: Pick<StateEntry, 'document' | 'blobs'>,
  b: Pick<StateEntry, 'document' | 'blobs'>,
): boolean {
  return a.document === b.document && canonicalJson(a.blobs) === canonicalJson(b.blobs);
}

/** A side's document with its content blobs: the live one in hand, else the store's. */
async function documentFor(
  store: VersionStore,
  side: Side,
): Promise<{ document?: JsonObject; damaged?: string }> {
  return side.body ? { document: withBlobs(side.body, side.entry.blobs) } : documentOf(store, side.entry);
}
