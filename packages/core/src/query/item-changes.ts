import { ChunkedItems } from '../constants.js';
import type { Json, JsonObject } from '../types/json.js';
import type { BlobRefs } from '../types/resource.js';
import { type FieldChange, fieldChanges } from './changes.js';

/** Item changes reported for one resource at most; the rest are counted in one more change. */
export const MAX_ITEM_CHANGES = 100;

/**
 * Chunks compared at most: past this many differing chunks (a table re-chunked, or mostly rewritten) the items are
 * not read, so a diff never reads a whole large table.
 */
export const MAX_CHUNKS_COMPARED = 32;

/** One side of a comparison: a version's document and content blobs. */
export interface ItemsSide {
  readonly document: JsonObject | undefined;
  readonly blobs: BlobRefs;
}

/** A document's chunked-items section: key attribute names and chunk count, when it has one. */
function chunkedItems(document: JsonObject | undefined): { names: string[]; chunks: Json } | undefined {
  const items = document?.Items;
  if (typeof items !== 'object' || items === null || Array.isArray(items)) return undefined;
  const { Format: format, Key: key, Chunks: chunks } = items as JsonObject;
  if (format !== ChunkedItems.FORMAT || !Array.isArray(key) || !key.every((name) => typeof name === 'string'))
    return undefined;
  return { names: key as string[], chunks: chunks ?? null };
}

/** How an item is named in a change path: its key values, joined by ` / ` (`b-00042`, `booking#7 / 2026-12-02`). */
function itemName(item: JsonObject, names: readonly string[]): string {
  return names
    .map((name) => {
      const value = item[name];
      const scalar =
        value && typeof value === 'object' && !Array.isArray(value) ? Object.values(value)[0] : value;
      return typeof scalar === 'string' ? scalar : JSON.stringify(scalar ?? null);
    })
    .join(' / ');
}

/** The items of some chunks by their key (its values as JSON, which no two items share). */
async function itemsOf(
  hashes: readonly (string | undefined)[],
  names: readonly string[],
  read: (hash: string) => Promise<string>,
): Promise<Map<string, JsonObject>> {
  const items = new Map<string, JsonObject>();
  for (const hash of hashes) {
    if (hash === undefined) continue;
    for (const line of (await read(hash)).split('\n')) {
      if (line === '') continue;
      const item = JSON.parse(line) as JsonObject;
      items.set(JSON.stringify(names.map((name) => item[name] ?? null)), item);
    }
  }
  return items;
}

/**
 * Item-level changes between two versions of a resource whose content is chunked items (a DynamoDB table): only
 * the chunks whose hashes differ are read (all of them when the chunk count changed), and each item added, removed
 * or changed is reported with its field changes under `Items.<key>` (`Items.b-00042.status.S`). At most
 * {@link MAX_ITEM_CHANGES}, then a count of the rest; past {@link MAX_CHUNKS_COMPARED} chunks to read, one change
 * saying how many. Empty unless both sides hold chunked items of the same key (not for a creation, a deletion, a
 * scan that was a gap or a native export).
 *
 * @example
 * await itemChanges(older, newer, (hash) => readText(hash)); // [{ path: 'Items.b-00042.status.S', change: 'changed', … }]
 */
export async function itemChanges(
  before: ItemsSide,
  after: ItemsSide,
  read: (hash: string) => Promise<string>,
): Promise<FieldChange[]> {
  const [older, newer] = [chunkedItems(before.document), chunkedItems(after.document)];
  if (!older || !newer || JSON.stringify(older.names) !== JSON.stringify(newer.names)) return [];
  const rechunked = older.chunks !== newer.chunks;
  const chunkNames = (blobs: BlobRefs) =>
    Object.keys(blobs).filter((name) => name.startsWith(ChunkedItems.BLOB_PREFIX));
  const differing = [...new Set([...chunkNames(before.blobs), ...chunkNames(after.blobs)])]
    .filter((name) => rechunked || before.blobs[name] !== after.blobs[name])
    .sort();
  if (differing.length > MAX_CHUNKS_COMPARED)
    return [
      {
        path: 'Items',
        change: 'changed',
        after: `${differing.length} chunks of items differ; items not compared`,
      },
    ];
  const [was, is] = await Promise.all([
    itemsOf(
      differing.map((name) => before.blobs[name]),
      older.names,
      read,
    ),
    itemsOf(
      differing.map((name) => after.blobs[name]),
      newer.names,
      read,
    ),
  ]);
  const changes: FieldChange[] = [];
  for (const key of [...new Set([...was.keys(), ...is.keys()])].sort()) {
    const [old, current] = [was.get(key), is.get(key)];
    const path = `Items.${itemName((current ?? old) as JsonObject, newer.names)}`;
    if (!old && current) changes.push({ path, change: 'added', after: current as Json });
    else if (old && !current) changes.push({ path, change: 'removed', before: old as Json });
    else if (old && current)
      for (const change of fieldChanges(old, current))
        changes.push({ ...change, path: `${path}.${change.path}` });
  }
  if (changes.length <= MAX_ITEM_CHANGES) return changes;
  const more = changes.length - MAX_ITEM_CHANGES;
  return [
    ...changes.slice(0, MAX_ITEM_CHANGES),
    { path: 'Items', change: 'changed', after: `${more} more item changes not listed` },
  ];
}
