import { text } from 'node:stream/consumers';
import { setTimeout as delay } from 'node:timers/promises';
import {
  type AttributeValue,
  BatchGetItemCommand,
  type DynamoDBClient,
  ExportTableToPointInTimeCommand,
  paginateScan,
} from '@aws-sdk/client-dynamodb';
import { canonicalJson } from '../canonical/canonicalise.js';
import type { CaptureContext } from '../capture/context.js';
import {
  chooseChunkCount,
  chunkOf,
  isChunkCount,
  KeyedChunkCollector,
  type KeyedLine,
  sortByKey,
} from '../capture/keyed-chunks.js';
import { readPart } from '../capture/read-part.js';
import { ChunkedItems } from '../constants.js';
import { StoreError } from '../errors.js';
import type { Json, JsonObject } from '../types/json.js';
import type { BlobRefs, Gap, PreviousCapture } from '../types/resource.js';
import { dynamoDbService } from './services.js';
import { isJsonObject, limitedPages, toJson } from './support.js';

/** The format of items exported natively: the document records the export, DynamoDB writes its files. */
export const EXPORT_FORMAT = 'dynamodb-export';

/** About this much item data per chunk: one changed item stores about this much again. */
export const CHUNK_TARGET_BYTES = 1024 * 1024;

/** Scan segments read in parallel: one per 128 MiB of table, up to 16. */
const SEGMENT_BYTES = 128 * 1024 * 1024;
const MAX_SEGMENTS = 16;

/** BatchGetItem reads at most 100 keys a call. */
const BATCH_GET_KEYS = 100;

/** What identifies a table's items: its key attribute names (partition first) and their types (`S`, `N`, `B`). */
export interface TableKeys {
  readonly table: string;
  readonly names: readonly string[];
  readonly types: Readonly<Record<string, string>>;
}

/** The items of a table as stored: the document's `Items` section and the chunk blobs. */
export interface CapturedItems {
  readonly section: JsonObject;
  readonly blobs: BlobRefs;
}

/** What reading a table's items gave: the items, a gap for them alone, or the news that the table is gone. */
export type ItemsOutcome = CapturedItems | { readonly gap: Gap } | { readonly notFound: true };

/** The blob name of chunk `index`: `items/0007`. */
export function chunkBlobName(index: number): string {
  return `${ChunkedItems.BLOB_PREFIX}${String(index).padStart(4, '0')}`;
}

/** An item as stored: JSON with bytes in base64, set members sorted (DynamoDB sets have no order). */
export function storedItem(item: Record<string, AttributeValue>): JsonObject {
  const result: JsonObject = {};
  for (const [name, value] of Object.entries(item)) result[name] = storedValue(value);
  return result;
}

function storedValue(value: AttributeValue): Json {
  if (value.M) return { M: storedItem(value.M) };
  if (value.L) return { L: value.L.map(storedValue) };
  const json = toJson(value) ?? null;
  if (!isJsonObject(json)) return json;
  for (const set of ['SS', 'NS', 'BS'] as const) {
    const members = json[set];
    if (Array.isArray(members)) json[set] = [...members].sort();
  }
  return json;
}

/** A stored item (see {@link storedItem}) as the SDK sends it: bytes from base64 again. */
export function itemFromStored(stored: JsonObject): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(stored)) item[name] = valueFromStored(value);
  return item;
}

function valueFromStored(value: Json): AttributeValue {
  if (!isJsonObject(value))
    throw new TypeError(`a stored attribute value is an object, received ${String(value)}`);
  const bytes = (text: Json) => new Uint8Array(Buffer.from(String(text), 'base64'));
  if (isJsonObject(value.M)) return { M: itemFromStored(value.M) };
  if (Array.isArray(value.L)) return { L: value.L.map(valueFromStored) };
  if (typeof value.B === 'string') return { B: bytes(value.B) };
  if (Array.isArray(value.BS)) return { BS: value.BS.map(bytes) };
  // S, N, BOOL, NULL, SS and NS are stored as the SDK carries them.
  return value as unknown as AttributeValue;
}

/** The key of a stored item: its key attributes, in key-schema order, as canonical JSON. */
export function itemKey(item: JsonObject, keys: TableKeys): string | undefined {
  const values = keys.names.map((name) => item[name]);
  return values.some((value) => value === undefined) ? undefined : canonicalJson(values as Json[]);
}

/** An item as a stored line (canonical JSON of {@link storedItem}) with its key, or `undefined` without its key. */
export function keyedLine(item: Record<string, AttributeValue>, keys: TableKeys): KeyedLine | undefined {
  const stored = storedItem(item);
  const key = itemKey(stored, keys);
  return key === undefined ? undefined : { key, line: canonicalJson(stored) };
}

/** A number as DynamoDB returns it: no sign but `-`, no leading or trailing zeros, no exponent, 38 digits at most. */
const CANONICAL_NUMBER = /^-?(0|[1-9]\d{0,37})(\.\d{0,37}[1-9])?$/;

/**
 * A number key's value in DynamoDB's own form, when CloudTrail's rendering of it certainly is that form: a string
 * already canonical (`1.5`, not `1.50` or `1e2`), or a JSON number that parsed exactly (a safe integer, or a
 * fraction of at most 15 significant digits). `undefined` otherwise.
 */
function canonicalNumber(value: string | number): string | undefined {
  if (typeof value === 'string') return CANONICAL_NUMBER.test(value) ? value : undefined;
  if (Number.isInteger(value)) return Number.isSafeInteger(value) ? String(value) : undefined;
  const text = String(value);
  const digits = text.replace(/[-.]/g, '').replace(/^0+/, '');
  return CANONICAL_NUMBER.test(text) && digits.length <= 15 ? text : undefined;
}

/**
 * A key as CloudTrail logs it (`{"Artist": "No One You Know"}`: plain values, no types) as a DynamoDB key, typed
 * from the table's attribute definitions, in the form DynamoDB returns it so that it names the same chunk as the
 * stored item. `undefined` when that form is not certain: a key attribute missing, a number not logged exactly, a
 * binary key (whose logged form AWS does not document).
 */
export function keyFromEvent(
  logged: JsonObject,
  keys: TableKeys,
): Record<string, AttributeValue> | undefined {
  const key: Record<string, AttributeValue> = {};
  for (const name of keys.names) {
    const value = logged[name];
    const type = keys.types[name];
    if (type === 'S' && typeof value === 'string') key[name] = { S: value };
    else if (type === 'N' && (typeof value === 'string' || typeof value === 'number')) {
      const number = canonicalNumber(value);
      if (number === undefined) return undefined;
      key[name] = { N: number };
    } else return undefined;
  }
  return key;
}

async function storeChunk(
  ctx: CaptureContext,
  lines: readonly KeyedLine[],
): Promise<{ hash: string; bytes: number }> {
  const bytes = Buffer.from(lines.map(({ line }) => `${line}\n`).join(''), 'utf8');
  const stored = await ctx.content.putBytes(bytes);
  return { hash: stored.hash, bytes: bytes.length };
}

/** The document's `Items` section: format, key attribute names (for item-level diffs), chunk count, items, bytes. */
function itemsSection(keys: TableKeys, chunks: number, count: number, bytes: number): JsonObject {
  return { Format: ChunkedItems.FORMAT, Key: [...keys.names], Chunks: chunks, Count: count, Bytes: bytes };
}

/**
 * Reads every item with a parallel scan (`Segment` / `TotalSegments`), streamed into content-addressed chunks by key
 * hash: an unchanged table stores nothing new, one changed item stores one chunk. A denied or failed scan is a gap
 * for the items alone.
 */
export async function scanItems(
  ctx: CaptureContext,
  keys: TableKeys,
  region: string,
  sizeBytes: number,
  previous?: PreviousCapture,
): Promise<ItemsOutcome> {
  const client = ctx.client(dynamoDbService, region);
  const limit = ctx.limit(dynamoDbService);
  const collector = new KeyedChunkCollector({ expectedBytes: sizeBytes });
  const segments = Math.min(MAX_SEGMENTS, Math.max(1, Math.ceil(sizeBytes / SEGMENT_BYTES)));
  // A failed segment stops the others at their next page; the collector is disposed once all have stopped. A table
  // found larger than the item limit (DynamoDB updates the size it reports about every six hours) stops them too.
  let failed = false;
  let tooLarge = false;
  const scanSegment = async (segment: number): Promise<void> => {
    const input = { TableName: keys.table, Segment: segment, TotalSegments: segments };
    try {
      for await (const page of limitedPages(limit, paginateScan({ client }, input))) {
        if (failed) return;
        for (const item of page.Items ?? []) {
          const line = keyedLine(item, keys);
          if (line) await collector.add(line.key, line.line);
        }
        if (collector.bytes > ctx.tableItems.maxBytes) {
          tooLarge = true;
          failed = true;
        }
      }
    } catch (error) {
      failed = true;
      throw error;
    }
  };
  try {
    const scanned = await readPart(
      { type: 'AWS::DynamoDB::Table', region, id: keys.table, operation: 'dynamodb:Scan' },
      async () => {
        const segmentRuns = Array.from({ length: segments }, (_, segment) => scanSegment(segment));
        const settled = await Promise.allSettled(segmentRuns);
        const rejected = settled.find(
          (result): result is PromiseRejectedResult => result.status === 'rejected',
        );
        if (rejected) throw rejected.reason;
      },
    );
    if (scanned.state === 'gap') return { gap: scanned.gap };
    if (scanned.state !== 'ok') return { notFound: true };
    if (tooLarge) {
      const reported = `DynamoDB reported ${sizeBytes} bytes, a figure it updates about every six hours`;
      const message = `the scan read more than the item limit of ${ctx.tableItems.maxBytes} bytes (${reported})`;
      return { gap: tableTooLarge(region, keys.table, 'dynamodb:Scan', message) };
    }
    const previousChunks = previousSection(previous)?.Chunks;
    const chunkCount = chooseChunkCount(
      collector.bytes,
      CHUNK_TARGET_BYTES,
      isChunkCount(previousChunks) ? previousChunks : undefined,
    );
    const blobs: Record<string, string> = {};
    let bytes = 0;
    for await (const { index, lines } of collector.chunks(chunkCount)) {
      const stored = await storeChunk(ctx, lines);
      blobs[chunkBlobName(index)] = stored.hash;
      bytes += stored.bytes;
    }
    return { section: itemsSection(keys, chunkCount, collector.count, bytes), blobs };
  } finally {
    await collector.dispose();
  }
}

function previousSection(previous: PreviousCapture | undefined): JsonObject | undefined {
  const section = previous?.document.Items;
  return isJsonObject(section) && section.Format === ChunkedItems.FORMAT ? section : undefined;
}

/**
 * Rebuilds only the chunks holding the items events wrote (`parts`: keys as CloudTrail logs them, canonical JSON):
 * reads each item again (consistent reads; a missing one was deleted) and rewrites its chunk from the previous
 * capture's. `undefined` whenever that cannot be done exactly, and the caller scans the whole table instead: no
 * chunked previous capture (or one of other key attributes, or one whose chunks the table outgrew), a key whose
 * stored form is not certain, an item that could not be read, a previous chunk missing or damaged.
 */
export async function updateItems(
  ctx: CaptureContext,
  keys: TableKeys,
  region: string,
  previous: PreviousCapture | undefined,
  parts: readonly string[],
): Promise<CapturedItems | undefined> {
  const section = previousSection(previous);
  if (!previous || !section || !isChunkCount(section.Chunks) || parts.length === 0) return undefined;
  const chunkCount = section.Chunks;
  const sameKey = canonicalJson(section.Key ?? null) === canonicalJson([...keys.names]);
  const outgrown = Number(section.Bytes ?? 0) > 4 * chunkCount * CHUNK_TARGET_BYTES;
  const wanted = eventKeys(parts, keys);
  if (!sameKey || outgrown || !wanted) return undefined;

  const read = await readPart(
    { type: 'AWS::DynamoDB::Table', region, id: keys.table, operation: 'dynamodb:BatchGetItem' },
    () => batchGet(ctx.client(dynamoDbService, region), ctx, keys.table, [...wanted.values()]),
  );
  if (read.state !== 'ok' || read.value === undefined) return undefined;
  const current = new Map<string, KeyedLine>();
  for (const item of read.value) {
    const line = keyedLine(item, keys);
    if (line) current.set(line.key, line);
  }

  const touched = new Map<number, Set<string>>();
  for (const key of wanted.keys()) {
    const chunk = chunkOf(key, chunkCount);
    touched.set(chunk, (touched.get(chunk) ?? new Set()).add(key));
  }

  const blobs: Record<string, string> = { ...previous.blobs };
  let count = Number(section.Count ?? 0);
  let bytes = Number(section.Bytes ?? 0);
  for (const [chunk, changedKeys] of touched) {
    const name = chunkBlobName(chunk);
    const stored = blobs[name];
    const before = stored === undefined ? [] : await readChunk(ctx, stored, keys);
    if (before === undefined) return undefined;
    const kept = before.filter((line) => !changedKeys.has(line.key));
    const written = [...changedKeys].flatMap((key) => current.get(key) ?? []);
    const lines = sortByKey([...kept, ...written]);
    count += lines.length - before.length;
    bytes -= byteLength(before);
    delete blobs[name];
    if (lines.length === 0) continue;
    const rebuilt = await storeChunk(ctx, lines);
    blobs[name] = rebuilt.hash;
    bytes += rebuilt.bytes;
  }
  return { section: itemsSection(keys, chunkCount, count, bytes), blobs };
}

/** The keys events name, by their stored key text (each once), or `undefined` when one cannot be typed exactly. */
function eventKeys(
  parts: readonly string[],
  keys: TableKeys,
): Map<string, Record<string, AttributeValue>> | undefined {
  const wanted = new Map<string, Record<string, AttributeValue>>();
  for (const part of parts) {
    const logged = JSON.parse(part) as Json;
    const key = isJsonObject(logged) ? keyFromEvent(logged, keys) : undefined;
    const text = key && itemKey(storedItem(key), keys);
    if (!key || text === undefined) return undefined;
    wanted.set(text, key);
  }
  return wanted;
}

function byteLength(lines: readonly KeyedLine[]): number {
  return lines.reduce((total, { line }) => total + Buffer.byteLength(line) + 1, 0);
}

/** A stored chunk's lines with their keys, or `undefined` when it is missing or damaged in the store. */
async function readChunk(
  ctx: CaptureContext,
  hash: string,
  keys: TableKeys,
): Promise<KeyedLine[] | undefined> {
  let chunk: string;
  try {
    chunk = await text(await ctx.content.read(hash));
  } catch (error) {
    if (error instanceof StoreError) return undefined;
    throw error;
  }
  return chunk
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => ({ key: itemKey(JSON.parse(line) as JsonObject, keys) ?? '', line }));
}

/** Rounds of BatchGetItem for the keys DynamoDB left unprocessed, with growing waits, before giving up. */
const BATCH_GET_ROUNDS = 8;

/**
 * The items with these keys that exist, read consistently, 100 keys a call, unprocessed keys asked again with
 * growing waits; `undefined` when some are still unprocessed after {@link BATCH_GET_ROUNDS} rounds (an item not
 * read must never be taken for deleted).
 */
async function batchGet(
  client: DynamoDBClient,
  ctx: CaptureContext,
  table: string,
  keys: readonly Record<string, AttributeValue>[],
): Promise<Record<string, AttributeValue>[] | undefined> {
  const limit = ctx.limit(dynamoDbService);
  const items: Record<string, AttributeValue>[] = [];
  let pending = [...keys];
  for (let round = 0; pending.length > 0; round += 1) {
    if (round === BATCH_GET_ROUNDS) return undefined;
    if (round > 0) await delay(50 * 2 ** round);
    const unprocessed: Record<string, AttributeValue>[] = [];
    for (let start = 0; start < pending.length; start += BATCH_GET_KEYS) {
      const batch = pending.slice(start, start + BATCH_GET_KEYS);
      const input = { RequestItems: { [table]: { Keys: batch, ConsistentRead: true } } };
      const output = await limit(() => client.send(new BatchGetItemCommand(input)));
      items.push(...(output.Responses?.[table] ?? []));
      unprocessed.push(...(output.UnprocessedKeys?.[table]?.Keys ?? []));
    }
    pending = unprocessed;
  }
  return items;
}

const EXPORT_OPERATION = 'dynamodb:ExportTableToPointInTime';

/** The gap of a table whose items are more than the item limit and were not exported. */
function tableTooLarge(region: string, table: string, operation: string, message: string): Gap {
  return {
    kind: 'error',
    type: 'AWS::DynamoDB::Table',
    region,
    id: table,
    operation,
    code: 'TableTooLarge',
    message,
  };
}

/**
 * Starts a native export of a table too large to scan (`ExportTableToPointInTime`, which needs point-in-time
 * recovery) and records it by ARN as the items of this version; the export's files stay where DynamoDB writes them.
 */
export async function exportItems(
  ctx: CaptureContext,
  table: { readonly name: string; readonly arn: string; readonly sizeBytes: number; readonly pitr: boolean },
  region: string,
): Promise<ItemsOutcome> {
  const limitBytes = ctx.tableItems.maxBytes;
  const tooLarge = `the table holds ${table.sizeBytes} bytes, more than the item limit of ${limitBytes}`;
  if (!table.pitr)
    return {
      gap: tableTooLarge(
        region,
        table.name,
        EXPORT_OPERATION,
        `${tooLarge}, and point-in-time recovery is off`,
      ),
    };
  const destination = ctx.tableItems.exportTo;
  if (!destination)
    return {
      gap: tableTooLarge(
        region,
        table.name,
        EXPORT_OPERATION,
        `${tooLarge}, and no export destination is set`,
      ),
    };
  const client = ctx.client(dynamoDbService, region);
  const prefix = [destination.prefix, table.name].filter(Boolean).join('/');
  const exported = await readPart(
    { type: 'AWS::DynamoDB::Table', region, id: table.name, operation: 'dynamodb:ExportTableToPointInTime' },
    () =>
      ctx.limit(dynamoDbService)(() =>
        client.send(
          new ExportTableToPointInTimeCommand({
            TableArn: table.arn,
            S3Bucket: destination.bucket,
            S3Prefix: prefix,
            ExportFormat: 'DYNAMODB_JSON',
          }),
        ),
      ),
  );
  if (exported.state === 'gap') return { gap: exported.gap };
  if (exported.state !== 'ok') return { notFound: true };
  const description = exported.value.ExportDescription;
  return {
    section: {
      Format: EXPORT_FORMAT,
      ExportArn: description?.ExportArn ?? null,
      S3Bucket: destination.bucket,
      S3Prefix: prefix,
      ExportTime: toJson(description?.ExportTime ?? description?.StartTime) ?? null,
    },
    blobs: {},
  };
}
