import pLimit from 'p-limit';
import { InputError } from '../errors.js';
import type { VersionEntry } from '../store/index-db.js';
import type { StateFilter } from '../store/index-resources.js';
import type { VersionStore } from '../store/version-store.js';
import type { JsonObject } from '../types/json.js';
import type { ResourceRef } from '../types/resource.js';
import { type FieldChange, fieldChanges } from './changes.js';

/** One resource as it was at a moment. Stable shape (`--json`). */
export type StateEntry = VersionEntry;

/** One version in a resource's history, with what changed since the one before. */
export interface HistoryEntry extends StateEntry {
  readonly changes: readonly FieldChange[];
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
  }>;
}

/** Resources that existed at `at`, with the version each had then. */
export function stateAt(store: VersionStore, at: Date, filter: StateFilter = {}): StateEntry[] {
  requireHeldRegion(store, filter.region);
  return store.index.stateAt(at.toISOString(), filter);
}

/**
 * An InputError when `region` is one the store holds no resource in: a typo, or a default region that is not
 * the store's, would otherwise answer "nothing" as if that were the truth.
 */
function requireHeldRegion(store: VersionStore, region: string | undefined): void {
  if (region === undefined) return;
  const { regions } = store.index.scope();
  if (regions.includes(region)) return;
  throw new InputError(
    `the store holds no resource in ${region}${regions.length > 0 ? `; its regions are ${regions.join(', ')}` : ': it is empty'}`,
  );
}

async function documentOf(
  store: VersionStore,
  entry: StateEntry | undefined,
): Promise<JsonObject | undefined> {
  if (!entry?.document) return undefined;
  const document = await store.readDocument(entry.document);
  return Object.keys(entry.blobs).length > 0 ? { ...document, $blobs: { ...entry.blobs } } : document;
}

/** Field-level changes between two versions, including changed content blobs (as `$blobs.<name>`). */
async function changesBetween(
  store: VersionStore,
  before: StateEntry | undefined,
  after: StateEntry | undefined,
): Promise<FieldChange[]> {
  return fieldChanges(await documentOf(store, before), await documentOf(store, after));
}

/** Documents read from the store at once by one query: enough to overlap reads, few enough for any file limit. */
const DOCUMENT_READS_IN_FLIGHT = 32;

/** `fn` over every item, at most `DOCUMENT_READS_IN_FLIGHT` at a time, results in order. */
function mapBounded<T, R>(items: readonly T[], fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const limit = pLimit(DOCUMENT_READS_IN_FLIGHT);
  return Promise.all(items.map((item, index) => limit(() => fn(item, index))));
}

/** Every version of a resource, oldest first, each with its changes from the one before. */
export async function history(store: VersionStore, resource: ResourceRef): Promise<HistoryEntry[]> {
  const entries = store.index.history(resource);
  // Each document is read once: it is the "after" of its version and the "before" of the next one.
  const documents = await mapBounded(entries, (entry) => documentOf(store, entry));
  return entries.map((entry, position) => ({
    ...entry,
    changes: fieldChanges(documents[position - 1], entry.deleted ? undefined : documents[position]),
  }));
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
    changes: await changesBetween(store, older, newer),
  }));
  return {
    from: fromIso,
    to: toIso,
    added,
    removed,
    changed: changed.filter((entry) => entry.changes.length > 0),
  };
}

/** A resource's version at a moment (the latest by default) and its document. */
export async function showResource(
  store: VersionStore,
  resource: ResourceRef,
  at?: Date,
): Promise<{ entry: StateEntry; document: JsonObject | null }> {
  const versions = store.index.history(resource);
  const entry = at ? versions.filter((v) => v.capturedAt <= at.toISOString()).at(-1) : versions.at(-1);
  if (!entry)
    throw new InputError(
      `${resource.type} ${resource.id} has no version${at ? ` at or before ${at.toISOString()}` : ''}`,
    );
  return { entry, document: entry.document ? await store.readDocument(entry.document) : null };
}

const TYPED_REFERENCE = /^(AWS::[A-Za-z0-9]+::[A-Za-z0-9]+):(.+)$/;

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
