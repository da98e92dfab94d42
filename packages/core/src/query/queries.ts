import { text } from 'node:stream/consumers';
import pLimit from 'p-limit';
import { InputError, StoreError } from '../errors.js';
import type { VersionEntry } from '../store/index-db.js';
import type { StateFilter } from '../store/index-resources.js';
import { versionKey } from '../store/layout.js';
import type { VersionStore } from '../store/version-store.js';
import type { JsonObject } from '../types/json.js';
import type { ResourceRef } from '../types/resource.js';
import { type FieldChange, fieldChanges } from './changes.js';
import { type ItemsSide, itemChanges } from './item-changes.js';

/** One resource as it was at a moment. Stable shape (`--json`). */
export type StateEntry = VersionEntry;

/** One version in a resource's history, with what changed since the one before. */
export interface HistoryEntry extends StateEntry {
  readonly changes: readonly FieldChange[];
  /** Why its document could not be read whole (altered, missing): its changes are then unknown. */
  readonly damaged?: string;
}

/** What differs between two moments. Stable shape (`--json`). */
export interface StateDiff {
  readonly from: string;
  readonly to: string;
  readonly added: readonly StateEntry[];
  readonly removed: readonly StateEntry[];
  readonly changed: ReadonlyArray<{
    readonly resource: ResourceRef;
    readonly from: StateEntry;
    readonly to: StateEntry;
    readonly changes: readonly FieldChange[];
    /** Why a document of either version could not be read whole: the changes are then unknown. */
    readonly damaged?: string;
  }>;
}

/** A document read, or why it could not be (the store's error, naming the resource, version and blob). */
type DocumentRead = { readonly document?: JsonObject; readonly damaged?: string };

/** Resources that existed at `at`, with the version each had then. */
export function stateAt(store: VersionStore, at: Date, filter: StateFilter = {}): StateEntry[] {
  requireHeldRegion(store, filter.region);
  return store.index.stateAt(at.toISOString(), filter);
}

/**
 * An InputError when `region` is one the store holds no resource in: a typo, or a default region that is not
 * the store's, would otherwise answer "nothing" as if that were the truth.
 */
export function requireHeldRegion(store: VersionStore, region: string | undefined): void {
  if (region === undefined) return;
  const { regions } = store.index.scope();
  if (regions.includes(region)) return;
  throw new InputError(
    `the store holds no resource in ${region}${regions.length > 0 ? `; its regions are ${regions.join(', ')}` : ': it is empty'}`,
  );
}

/**
 * The version an index entry names, as the store holds it: its record read, authenticated and compared with the
 * entry, so an index altered to name other content is caught (a StoreError) rather than answered.
 */
export async function confirmedEntry(store: VersionStore, entry: StateEntry): Promise<StateEntry> {
  const key = versionKey(entry.resource, entry.seq);
  const stored = await store.findVersion(key);
  if (stored?.hash !== entry.version)
    throw new StoreError(
      `${entry.resource.type} ${entry.resource.id} v${entry.seq}: the index names version ${entry.version}, the store holds ${stored?.hash ?? 'none'}: run tidemark reindex`,
      { key },
    );
  const { record } = stored;
  return {
    resource: record.resource,
    seq: record.seq,
    version: stored.hash,
    capturedAt: record.capturedAt,
    cause: record.cause,
    deleted: record.deleted,
    document: record.document,
    blobs: record.blobs,
    gaps: record.gaps,
  };
}

/**
 * Every indexed version of `resource`, oldest first, once the store is known to hold none after the last of them
 * (one existence check): a version written since the index was refreshed is caught up with; one the index lost
 * (its rows moved or dropped) is a StoreError rather than an older version answered as the latest, unless the index
 * left it out as damaged (then every answer comes with a warning).
 */
async function indexedToTheEnd(store: VersionStore, resource: ResourceRef): Promise<StateEntry[]> {
  const after = (versions: readonly StateEntry[]) => versionKey(resource, (versions.at(-1)?.seq ?? 0) + 1);
  let versions = store.index.history(resource);
  if (!(await store.backend.exists(after(versions)))) return versions;
  await store.refresh();
  versions = store.index.history(resource);
  const next = after(versions);
  // A record the index left out as damaged is known: the command warns of it (see `StoreDamage`).
  if (!store.index.damage()?.keys.includes(next) && (await store.backend.exists(next)))
    throw new StoreError(
      `${resource.type} ${resource.id} v${(versions.at(-1)?.seq ?? 0) + 1} is in the store but not in the index: run tidemark reindex`,
      { key: next },
    );
  return versions;
}

/** A version's document, checked against its hash; a StoreError naming the resource and version otherwise. */
async function readVersionDocument(store: VersionStore, entry: StateEntry): Promise<JsonObject> {
  try {
    return await store.readDocument(entry.document as string);
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    throw new StoreError(`${entry.resource.type} ${entry.resource.id} v${entry.seq}: ${error.message}`, {
      cause: error,
      ...(error.key ? { key: error.key } : {}),
    });
  }
}

/** A version's document with its content blobs (as `$blobs`), or why it could not be read. */
export async function documentOf(store: VersionStore, entry: StateEntry | undefined): Promise<DocumentRead> {
  if (!entry?.document) return {};
  try {
    return { document: withBlobs(await readVersionDocument(store, entry), entry.blobs) };
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    return { damaged: error.message };
  }
}

/** A document with its content blobs as `$blobs`, so that changed content shows as a changed field. */
export function withBlobs(document: JsonObject, blobs: Readonly<Record<string, string>>): JsonObject {
  return Object.keys(blobs).length > 0 ? { ...document, $blobs: { ...blobs } } : document;
}

/** Field-level changes between two versions, including changed content blobs (as `$blobs.<name>`). */
async function changesBetween(
  store: VersionStore,
  before: StateEntry | undefined,
  after: StateEntry | undefined,
): Promise<{ changes: FieldChange[]; damaged?: string }> {
  const [older, newer] = [await documentOf(store, before), await documentOf(store, after)];
  const damaged = older.damaged ?? newer.damaged;
  if (damaged) return { changes: [], damaged };
  return versionChanges(
    store,
    { document: older.document, blobs: before?.blobs ?? {} },
    { document: newer.document, blobs: after?.blobs ?? {} },
  );
}

/**
 * Field-level changes between two versions' documents, followed by the item-level changes of chunked items (a
 * table's), their chunks read from the store (or by `read`); a chunk that cannot be read whole makes the changes
 * partial and says why.
 */
export async function versionChanges(
  store: VersionStore,
  older: ItemsSide,
  newer: ItemsSide,
  read: (hash: string) => Promise<string> = (hash) => readText(store, hash),
): Promise<{ changes: FieldChange[]; damaged?: string }> {
  const changes = fieldChanges(older.document, newer.document);
  try {
    return { changes: [...changes, ...(await itemChanges(older, newer, read))] };
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    return { changes, damaged: error.message };
  }
}

/** A blob as UTF-8 text, checked against its hash. */
async function readText(store: VersionStore, hash: string): Promise<string> {
  return text(await store.readBlob(hash));
}

/** Documents read from the store at once by one query: enough to overlap reads, few enough for any file limit. */
const DOCUMENT_READS_IN_FLIGHT = 32;

/** `fn` over every item, at most `DOCUMENT_READS_IN_FLIGHT` at a time, results in order. */
export function mapBounded<T, R>(
  items: readonly T[],
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const limit = pLimit(DOCUMENT_READS_IN_FLIGHT);
  return Promise.all(items.map((item, index) => limit(() => fn(item, index))));
}

/**
 * Every version of a resource, oldest first, each with its changes from the one before. A version whose document
 * (or whose predecessor's) is damaged is marked so, the others answered as usual.
 */
export async function history(store: VersionStore, resource: ResourceRef): Promise<HistoryEntry[]> {
  const versions = await indexedToTheEnd(store, resource);
  // Each version is read from the store, and each document once: the "after" of its version, the "before" of the next.
  const read = await mapBounded(versions, async (indexed) => {
    try {
      const entry = await confirmedEntry(store, indexed);
      return { entry, document: await documentOf(store, entry) };
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
      return { entry: indexed, document: { damaged: error.message } };
    }
  });
  return mapBounded(read, async ({ entry, document }, position) => {
    const previous = read[position - 1];
    const before = previous?.document ?? {};
    // A deletion has no document, but its record may be damaged all the same.
    const damaged = document.damaged ?? before.damaged;
    if (damaged) return { ...entry, changes: [], damaged };
    const older = { document: before.document, blobs: previous?.entry.blobs ?? {} };
    const newer = entry.deleted
      ? { document: undefined, blobs: {} }
      : { document: document.document, blobs: entry.blobs };
    return { ...entry, ...(await versionChanges(store, older, newer)) };
  });
}

/** Resources added, removed and changed (with field-level changes) between two moments. */
export async function diffStates(
  store: VersionStore,
  from: Date,
  to: Date,
  filter: StateFilter = {},
): Promise<StateDiff> {
  requireHeldRegion(store, filter.region);
  const fromIso = from.toISOString();
  const toIso = to.toISOString();
  const added: StateEntry[] = [];
  const removed: StateEntry[] = [];
  const pairs: Array<readonly [StateEntry, StateEntry]> = [];
  // Only resources with a version captured between the two moments can differ; the index finds those.
  for (const versions of store.index.versionsBetween(fromIso, toIso, filter)) {
    const before = versions.from?.deleted ? undefined : versions.from;
    const after = versions.to?.deleted ? undefined : versions.to;
    if (after && !before) added.push(after);
    else if (before && !after) removed.push(before);
    else if (before && after && before.version !== after.version) pairs.push([before, after]);
  }
  const changed = await mapBounded(pairs, async ([older, newer]) => ({
    resource: newer.resource,
    from: older,
    to: newer,
    ...(await changesBetween(store, older, newer)),
  }));
  return {
    from: fromIso,
    to: toIso,
    added,
    removed,
    changed: changed.filter((entry) => entry.changes.length > 0 || entry.damaged),
  };
}

/** A resource's version at a moment (the latest by default) and its document. */
export async function showResource(
  store: VersionStore,
  resource: ResourceRef,
  at?: Date,
): Promise<{ entry: StateEntry; document: JsonObject | null }> {
  const versions = await indexedToTheEnd(store, resource);
  const indexed = at ? versions.filter((v) => v.capturedAt <= at.toISOString()).at(-1) : versions.at(-1);
  if (!indexed)
    throw new InputError(
      `${resource.type} ${resource.id} has no version${at ? ` at or before ${at.toISOString()}` : ''}`,
    );
  const entry = await confirmedEntry(store, indexed);
  return { entry, document: entry.document ? await readVersionDocument(store, entry) : null };
}

const TYPED_REFERENCE = /^([A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+):(.+)$/;

/**
 * Finds the resource a user means: `AWS::Type::Name:id` or a bare id, optionally in a region.
 * Errors list the candidates when the reference is ambiguous.
 */
export function resolveResource(store: VersionStore, reference: string, region?: string): ResourceRef {
  requireHeldRegion(store, region);
  const typed = TYPED_REFERENCE.exec(reference);
  const filter = typed
    ? { type: typed[1] as string, id: typed[2] as string, ...(region ? { region } : {}) }
    : { id: reference, ...(region ? { region } : {}) };
  const found = store.index.findResources(filter);
  if (found.length === 1) return found[0] as ResourceRef;
  if (found.length === 0) throw new InputError(`no resource ${reference} in the store`);
  const candidates = found.map((ref) => `${ref.type}:${ref.id} (${ref.region})`).join(', ');
  throw new InputError(`${reference} is ambiguous: ${candidates}; give the type or --region`);
}
