import { text } from 'node:stream/consumers';
import { setTimeout as delay } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import {
  type AttributeValue,
  BatchWriteItemCommand,
  paginateScan,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { chunkOf, isChunkCount, type KeyedLine } from '../capture/keyed-chunks.js';
import { ChunkedItems, UNKNOWN_MARKER } from '../constants.js';
import { StoreError } from '../errors.js';
import { createdSince } from '../restore/parts.js';
import { blobReference } from '../restore/steps.js';
import {
  type PlanInput,
  type PlannedChange,
  RestoreAction,
  type RestoreContext,
  type RestoreSpec,
  type RestoreStep,
} from '../restore/types.js';
import type { Json, JsonObject } from '../types/json.js';
import type { BlobRefs } from '../types/resource.js';
import {
  chunkBlobName,
  EXPORT_FORMAT,
  itemFromStored,
  itemKey,
  keyedLine,
  type TableKeys,
} from './dynamodb-items.js';
import { dynamoDbService } from './services.js';
import { field, isJsonObject, limitedPages } from './support.js';

/** `BatchWriteItem` takes at most 25 put or delete requests. */
const BATCH_WRITES = 25;
/** Rounds of `BatchWriteItem` for the requests DynamoDB left unprocessed, with growing waits, before giving up. */
const WRITE_ROUNDS = 8;
const FIRST_WAIT_MS = 50;

/**
 * Table settings a restore does not send, each with the call that sets it: a differing one is a note of the plan.
 * Paths are in the stored document (see the table definition).
 */
const SETTINGS: ReadonlyArray<{
  readonly label: string;
  readonly path: readonly string[];
  readonly how: string;
}> = [
  {
    label: 'billing mode',
    path: ['Table', 'BillingModeSummary', 'BillingMode'],
    how: 'UpdateTable (BillingMode)',
  },
  {
    label: 'provisioned throughput',
    path: ['Table', 'ProvisionedThroughput'],
    how: 'UpdateTable (ProvisionedThroughput)',
  },
  {
    label: 'on-demand throughput',
    path: ['Table', 'OnDemandThroughput'],
    how: 'UpdateTable (OnDemandThroughput)',
  },
  {
    label: 'global secondary indexes',
    path: ['Table', 'GlobalSecondaryIndexes'],
    how: 'UpdateTable (GlobalSecondaryIndexUpdates, one index created or deleted per call)',
  },
  {
    label: 'local secondary indexes',
    path: ['Table', 'LocalSecondaryIndexes'],
    how: 'CreateTable only (they are fixed when a table is created)',
  },
  { label: 'stream', path: ['Table', 'StreamSpecification'], how: 'UpdateTable (StreamSpecification)' },
  { label: 'encryption', path: ['Table', 'SSEDescription'], how: 'UpdateTable (SSESpecification)' },
  {
    label: 'table class',
    path: ['Table', 'TableClassSummary', 'TableClass'],
    how: 'UpdateTable (TableClass)',
  },
  {
    label: 'deletion protection',
    path: ['Table', 'DeletionProtectionEnabled'],
    how: 'UpdateTable (DeletionProtectionEnabled)',
  },
  { label: 'time to live', path: ['TimeToLive'], how: 'UpdateTimeToLive' },
  {
    label: 'point-in-time recovery',
    path: ['ContinuousBackups', 'PointInTimeRecoveryDescription', 'PointInTimeRecoveryStatus'],
    how: 'UpdateContinuousBackups',
  },
  { label: 'tags', path: ['Tags'], how: 'TagResource and UntagResource' },
  { label: 'resource policy', path: ['ResourcePolicy'], how: 'PutResourcePolicy or DeleteResourcePolicy' },
  {
    label: 'auto scaling',
    path: ['AutoScaling'],
    how: 'Application Auto Scaling (RegisterScalableTarget, PutScalingPolicy)',
  },
];

/**
 * How a table is restored: its items made equal to the captured ones, chunk by chunk (see `RestoreItems`); items
 * created since are deleted only with `--prune`. Its settings are not sent: each one that differs is a note saying
 * which call sets it. A deleted table is not created again.
 *
 * The plan is pure, so it compares the chunks' hashes only: one `RestoreItems` step per chunk whose captured and live
 * hashes differ, naming the captured chunk (`{ $blob }`) and the live chunks that hold keys of the same range. Applying
 * it reads the captured chunk from the store, and the live chunks too (the capture made just before a restore stores
 * them; when one is missing the table is scanned instead), puts every captured item that is missing or differs and,
 * with `Prune`, deletes the live items the captured chunk does not hold, 25 requests a `BatchWriteItem`, unprocessed
 * items sent again with growing waits.
 */
export const dynamoDbTableRestore: RestoreSpec = {
  plan: planTable,
  apply: (ctx, step) => {
    if (step.operation !== 'RestoreItems')
      throw new Error(`no DynamoDB table restore step ${step.operation}`);
    return restoreItems(ctx, step);
  },
};

function planTable(input: PlanInput): PlannedChange {
  const { captured, live } = input;
  if (!captured) return createdSince(live);
  if (!live)
    return {
      action: RestoreAction.CANNOT,
      reason:
        'the table was deleted: create it again (CreateTable, or RestoreTableToPointInTime while its recovery window lasts), then restore its items',
      steps: [],
    };
  const settings = SETTINGS.filter(
    ({ path }) => !isDeepStrictEqual(field(captured.document, ...path), field(live.document, ...path)),
  ).map(({ label, how }) => `${label} differs: not restored; set it as it was with ${how}`);
  const items = planItems(input, captured.document, live.document);
  const notes = [...settings, ...items.notes];
  const noted = notes.length > 0 ? { notes } : {};
  if (items.cannot !== undefined)
    return { action: RestoreAction.CANNOT, reason: items.cannot, steps: [], ...noted };
  return {
    action: items.steps.length > 0 ? RestoreAction.UPDATE : RestoreAction.NOTHING,
    steps: items.steps,
    ...noted,
  };
}

/** The item steps of a plan, its notes, or why the items cannot be restored. */
interface ItemsPlan {
  readonly steps: RestoreStep[];
  readonly notes: string[];
  readonly cannot?: string;
}

function planItems(
  { captured, live, target, prune }: PlanInput,
  capturedDocument: JsonObject,
  liveDocument: JsonObject,
): ItemsPlan {
  const before = capturedDocument.Items;
  const now = liveDocument.Items;
  if (isDeepStrictEqual(before, now) && isDeepStrictEqual(captured?.blobs, live?.blobs))
    return { steps: [], notes: [] };
  const problem = unrestorable(before, now);
  if (problem !== undefined) return { steps: [], notes: [], cannot: problem };
  const then = before as JsonObject;
  const capturedChunks = Number(then.Chunks);
  const liveChunks = Number((now as JsonObject).Chunks);
  const capturedBlobs = chunkHashes(captured?.blobs ?? {});
  const liveBlobs = chunkHashes(live?.blobs ?? {});
  const steps: RestoreStep[] = [];
  for (let index = 0; index < capturedChunks; index += 1) {
    const hash = capturedBlobs.get(index);
    const overlapping = overlappingChunks(index, capturedChunks, liveChunks).flatMap((other) => {
      const liveHash = liveBlobs.get(other);
      return liveHash === undefined ? [] : [liveHash];
    });
    const same = capturedChunks === liveChunks && hash === liveBlobs.get(index);
    if (same || (hash === undefined && (overlapping.length === 0 || !prune))) continue;
    steps.push({
      service: 'dynamodb',
      operation: 'RestoreItems',
      region: target.region,
      input: {
        TableName: target.id,
        Key: then.Key ?? [],
        Chunks: capturedChunks,
        Chunk: index,
        Items: hash === undefined ? null : blobReference(hash),
        LiveChunks: overlapping,
        Prune: prune,
      },
      summary: `make the items of ${chunkBlobName(index)} (of ${capturedChunks}) as they were: put those missing or changed${prune ? ', delete those created since' : ''}`,
    });
  }
  const kept = !prune
    ? [
        `items created since are kept (--prune deletes them): the table holds ${String((now as JsonObject).Count)} items now, ${String(then.Count)} at the moment restored to`,
      ]
    : [];
  return { steps, notes: kept };
}

/** Why items cannot be written back from these `Items` sections, or `undefined` when they can. */
function unrestorable(before: Json | undefined, now: Json | undefined): string | undefined {
  if (!isJsonObject(before) || UNKNOWN_MARKER in before)
    return 'its items were not captured at that moment (see its gaps)';
  if (before.Format === EXPORT_FORMAT)
    return `its items at that moment are a native export (${String(before.ExportArn)}, in s3://${String(before.S3Bucket)}/${String(before.S3Prefix)}): import them into a new table with ImportTable`;
  if (before.Format !== ChunkedItems.FORMAT || !isChunkCount(before.Chunks))
    return `its items at that moment are stored as ${String(before.Format)}, which this version cannot write back`;
  if (!isJsonObject(now) || now.Format !== ChunkedItems.FORMAT || !isChunkCount(now.Chunks))
    return 'its items could not be read now as chunks (see its gaps, or the table outgrew the item limit)';
  if (!isDeepStrictEqual(before.Key, now.Key))
    return `its key changed since (${JSON.stringify(before.Key)} then, ${JSON.stringify(now.Key)} now): the items cannot be written back`;
  return undefined;
}

/** The chunk blobs by chunk index. */
function chunkHashes(blobs: BlobRefs): Map<number, string> {
  const chunks = new Map<number, string>();
  for (const [name, hash] of Object.entries(blobs))
    if (name.startsWith(ChunkedItems.BLOB_PREFIX))
      chunks.set(Number(name.slice(ChunkedItems.BLOB_PREFIX.length)), hash);
  return chunks;
}

/**
 * The chunks of `otherCount` holding keys of chunk `index` of `count` (both powers of two, and a chunk a run of
 * consecutive key-hash ranges): the one that contains it, or those it contains.
 */
function overlappingChunks(index: number, count: number, otherCount: number): number[] {
  if (otherCount <= count) return [Math.floor((index * otherCount) / count)];
  const per = otherCount / count;
  return Array.from({ length: per }, (_, offset) => index * per + offset);
}

/** What a `RestoreItems` step says. */
interface ItemsStep {
  readonly table: string;
  readonly keys: TableKeys;
  readonly chunks: number;
  readonly chunk: number;
  readonly items: string | undefined;
  readonly liveChunks: readonly string[];
  readonly prune: boolean;
}

function itemsStep({ input }: RestoreStep): ItemsStep {
  const items = input.Items;
  return {
    table: String(input.TableName),
    keys: { table: String(input.TableName), names: (input.Key ?? []) as string[], types: {} },
    chunks: Number(input.Chunks),
    chunk: Number(input.Chunk),
    items: isJsonObject(items) && typeof items.$blob === 'string' ? items.$blob : undefined,
    liveChunks: (input.LiveChunks ?? []) as string[],
    prune: input.Prune === true,
  };
}

/** Makes one chunk's items equal the captured ones (see {@link dynamoDbTableRestore}). */
async function restoreItems(ctx: RestoreContext, step: RestoreStep): Promise<void> {
  const spec = itemsStep(step);
  const inChunk = (line: KeyedLine) => chunkOf(line.key, spec.chunks) === spec.chunk;
  const captured = spec.items === undefined ? [] : await storedLines(ctx, [spec.items], spec.keys);
  if (!captured)
    throw new Error(`the captured items of ${spec.table} (blob ${spec.items}) are missing from the store`);
  const live =
    (await storedLines(ctx, spec.liveChunks, spec.keys)) ?? (await scannedLines(ctx, step.region, spec.keys));
  const liveByKey = new Map(live.filter(inChunk).map((line) => [line.key, line.line]));
  const capturedKeys = new Set(captured.map((line) => line.key));
  const requests: WriteRequest[] = captured
    .filter((line) => liveByKey.get(line.key) !== line.line)
    .map((line) => ({ PutRequest: { Item: itemFromStored(JSON.parse(line.line) as JsonObject) } }));
  if (spec.prune)
    for (const key of liveByKey.keys())
      if (!capturedKeys.has(key)) requests.push({ DeleteRequest: { Key: keyOf(key, spec.keys) } });
  for (let start = 0; start < requests.length; start += BATCH_WRITES)
    await writeBatch(ctx, step.region, spec.table, requests.slice(start, start + BATCH_WRITES));
}

/** A stored key (canonical JSON of its values in key-schema order) as a DynamoDB key. */
function keyOf(key: string, keys: TableKeys): Record<string, AttributeValue> {
  const values = JSON.parse(key) as JsonObject[];
  return itemFromStored(Object.fromEntries(keys.names.map((name, index) => [name, values[index] ?? null])));
}

/** The lines of stored chunks with their keys; `undefined` when one is missing or damaged in the store. */
async function storedLines(
  ctx: RestoreContext,
  hashes: readonly string[],
  keys: TableKeys,
): Promise<KeyedLine[] | undefined> {
  const lines: KeyedLine[] = [];
  for (const hash of hashes) {
    let chunk: string;
    try {
      chunk = await text(await ctx.blob(hash));
    } catch (error) {
      if (error instanceof StoreError) return undefined;
      throw error;
    }
    for (const line of chunk.split('\n'))
      if (line !== '') lines.push({ key: itemKey(JSON.parse(line) as JsonObject, keys) ?? '', line });
  }
  return lines;
}

/** Every item of the table now, as stored lines: read when the live chunks are not in the store. */
async function scannedLines(ctx: RestoreContext, region: string, keys: TableKeys): Promise<KeyedLine[]> {
  const client = ctx.client(dynamoDbService, region);
  const pages = paginateScan({ client }, { TableName: keys.table, ConsistentRead: true });
  const lines: KeyedLine[] = [];
  for await (const page of limitedPages((call) => ctx.limited(dynamoDbService, async () => call()), pages))
    for (const item of page.Items ?? []) {
      const line = keyedLine(item, keys);
      if (line) lines.push(line);
    }
  return lines;
}

/**
 * Sends up to 25 requests to one table with `BatchWriteItem`, and what DynamoDB leaves unprocessed (its write
 * capacity exceeded) again after growing waits; throws when some are still unprocessed after {@link WRITE_ROUNDS}.
 */
async function writeBatch(
  ctx: RestoreContext,
  region: string,
  table: string,
  requests: WriteRequest[],
): Promise<void> {
  const client = ctx.client(dynamoDbService, region);
  let pending = requests;
  for (let round = 0; pending.length > 0; round += 1) {
    if (round === WRITE_ROUNDS)
      throw new Error(
        `${pending.length} item writes to ${table} were still unprocessed after ${WRITE_ROUNDS} attempts`,
      );
    if (round > 0) await delay(FIRST_WAIT_MS * 2 ** (round - 1));
    const RequestItems = { [table]: pending };
    const output = await ctx.limited(dynamoDbService, () =>
      client.send(new BatchWriteItemCommand({ RequestItems })),
    );
    pending = output.UnprocessedItems?.[table] ?? [];
  }
}
