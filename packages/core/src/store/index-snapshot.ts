import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { link } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { z } from 'zod';
import { canonicalJson } from '../canonical/canonicalise.js';
import { InputError, StoreError } from '../errors.js';
import type { Json } from '../types/json.js';
import type { StoreBackend } from './backend.js';
import { INDEX_SCHEMA_VERSION, type IndexCounts, IndexDb } from './index-db.js';
import { indexSnapshotKey, StoreLayout } from './layout.js';
import { hashingStream } from './spool.js';
import { removeDatabaseFiles } from './sqlite.js';
import type { VersionStore } from './version-store.js';

/** Records an index may hold beyond the latest published snapshot before a writer publishes a new one. */
export const SNAPSHOT_AFTER_RECORDS = 5_000;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const count = z.number().int().nonnegative();

/** `index/latest.json`: the newest published index snapshot, what it covers and how to check it. */
export const indexSnapshotSchema = z.object({
  schema: z.literal(1),
  /** Store key of the gzipped SQLite file. */
  key: z.string().startsWith(StoreLayout.INDEX_SNAPSHOTS),
  /** sha256 and size of the gzipped bytes. */
  sha256,
  size: count,
  /** {@link INDEX_SCHEMA_VERSION} of the index copied. */
  indexSchema: z.string(),
  /** The index's journal checkpoint: a restored copy catches up from there (less the overlap). */
  checkpoint: z.iso.datetime(),
  publishedAt: z.iso.datetime(),
  counts: z.object({ resources: count, versions: count, baselines: count }),
});

/** A published index snapshot, as `index/latest.json` describes it. */
export type IndexSnapshot = z.infer<typeof indexSnapshotSchema>;

/** Reports a problem that does not stop the operation (a snapshot that cannot be used). */
export type WarningSink = (message: string) => void;

/** Node's process warning, under its own name: the default {@link WarningSink}. */
export const emitTidemarkWarning: WarningSink = (message) =>
  process.emitWarning(message, { type: 'TidemarkWarning' });

/**
 * The snapshot threshold from `TIDEMARK_SNAPSHOT_AFTER` (a positive integer), else
 * {@link SNAPSHOT_AFTER_RECORDS}. An InputError when it is set to anything else.
 */
export function snapshotAfterFromEnvironment(env: NodeJS.ProcessEnv = process.env): number {
  const value = env.TIDEMARK_SNAPSHOT_AFTER;
  if (value === undefined || value === '') return SNAPSHOT_AFTER_RECORDS;
  const records = Number(value);
  if (!Number.isInteger(records) || records <= 0)
    throw new InputError(
      `TIDEMARK_SNAPSHOT_AFTER must be a positive integer, received ${JSON.stringify(value)}`,
    );
  return records;
}

/**
 * The latest published snapshot this version of Tidemark can use; undefined when none was, when the pointer is
 * not valid, or when it names an index of another schema (the next publication replaces it).
 */
async function latestSnapshot(backend: StoreBackend): Promise<IndexSnapshot | undefined> {
  const bytes = await backend.read(StoreLayout.INDEX_POINTER);
  if (!bytes) return undefined;
  try {
    const snapshot = parseSnapshotPointer(bytes);
    return snapshot.indexSchema === INDEX_SCHEMA_VERSION ? snapshot : undefined;
  } catch {
    return undefined;
  }
}

/** The snapshot a pointer's bytes name; a StoreError when they are not a valid pointer. */
function parseSnapshotPointer(bytes: Buffer): IndexSnapshot {
  try {
    return indexSnapshotSchema.parse(JSON.parse(bytes.toString('utf8')));
  } catch (error) {
    const detail = error instanceof z.ZodError ? z.prettifyError(error).replaceAll('\n', ' ') : reason(error);
    throw new StoreError(`${StoreLayout.INDEX_POINTER} is not a valid snapshot pointer: ${detail}`, {
      cause: error,
      key: StoreLayout.INDEX_POINTER,
    });
  }
}

/**
 * Makes `indexFile` (which must not exist) a copy of the latest published snapshot: streamed down, gunzipped
 * and checked against its pointer (sha256, size, schema, checkpoint, counts) before it takes the file's name.
 * The copy is not complete until a refresh catches up from its checkpoint. Undefined, with `indexFile` left
 * absent, when there is no snapshot or it cannot be used (then `warn` says why): the index is rebuilt instead.
 * A store that cannot be read at all (no such bucket, access denied) is a StoreError, as for any read.
 */
export async function restoreLatestSnapshot(
  backend: StoreBackend,
  indexFile: string,
  warn: WarningSink,
): Promise<IndexSnapshot | undefined> {
  const pointer = await backend.read(StoreLayout.INDEX_POINTER);
  if (!pointer) return undefined;
  const partial = `${indexFile}.restoring-${randomUUID()}`;
  let named: string = StoreLayout.INDEX_POINTER;
  try {
    const snapshot = parseSnapshotPointer(pointer);
    named = snapshot.key;
    if (snapshot.indexSchema !== INDEX_SCHEMA_VERSION)
      throw new StoreError(
        `${snapshot.key} is of index schema ${snapshot.indexSchema}, this version of Tidemark reads ${INDEX_SCHEMA_VERSION}`,
        { key: snapshot.key },
      );
    await download(backend, snapshot, partial);
    const index = new IndexDb(partial);
    try {
      checkRestored(index, snapshot);
      index.markRestored();
    } finally {
      index.close();
    }
    if (!(await linkUnlessExists(partial, indexFile))) return undefined;
    return snapshot;
  } catch (error) {
    const why = error instanceof StoreError ? error.message : `${named} cannot be read: ${reason(error)}`;
    warn(`cannot use the index snapshot of ${backend.location}: ${why}; rebuilding the index from the store`);
    return undefined;
  } finally {
    removeDatabaseFiles(partial);
  }
}

/** Streams a snapshot into `file`, gunzipped, checking the sha256 and size of what was downloaded. */
async function download(backend: StoreBackend, snapshot: IndexSnapshot, file: string): Promise<void> {
  const body = await backend.readStream(snapshot.key);
  if (!body) throw new StoreError(`${snapshot.key} is missing from the store`, { key: snapshot.key });
  const hashing = hashingStream();
  await pipeline(body, hashing.stream, createGunzip(), createWriteStream(file, { flags: 'wx' }));
  const { hash, size } = hashing.result();
  if (hash !== snapshot.sha256 || size !== snapshot.size)
    throw new StoreError(
      `${snapshot.key} hashes to ${hash} (${size} bytes), its pointer says ${snapshot.sha256} (${snapshot.size} bytes)`,
      { key: snapshot.key },
    );
}

/** Rules a downloaded snapshot must pass, as `{ invalid, message }` pairs. */
const RESTORE_RULES: ReadonlyArray<{
  readonly invalid: (index: IndexDb, snapshot: IndexSnapshot) => boolean;
  readonly message: (index: IndexDb, snapshot: IndexSnapshot) => string;
}> = [
  {
    invalid: (index, snapshot) => index.schemaVersion() !== snapshot.indexSchema,
    message: (index, snapshot) =>
      `holds index schema ${index.schemaVersion()}, its pointer says ${snapshot.indexSchema}`,
  },
  {
    invalid: (index, snapshot) => index.journalCheckpoint() !== snapshot.checkpoint,
    message: (index, snapshot) =>
      `is complete up to ${index.journalCheckpoint()}, its pointer says ${snapshot.checkpoint}`,
  },
  {
    invalid: (index, snapshot) => !sameCounts(index.counts(), snapshot.counts),
    message: (index, snapshot) =>
      `holds ${describeCounts(index.counts())}, its pointer says ${describeCounts(snapshot.counts)}`,
  },
];

function checkRestored(index: IndexDb, snapshot: IndexSnapshot): void {
  const broken = RESTORE_RULES.find((rule) => rule.invalid(index, snapshot));
  if (broken)
    throw new StoreError(`${snapshot.key} ${broken.message(index, snapshot)}`, { key: snapshot.key });
}

/**
 * Publishes a copy of the store's index: a compact SQLite copy, gzip-streamed into the store under
 * `index/snapshots/`, then `index/latest.json` pointed at it unless a snapshot with a later checkpoint was
 * published meanwhile (the pointer only moves forward; every snapshot stays valid, none is deleted).
 * A StoreError when the index is not complete (restored but not refreshed).
 *
 * @example
 * await store.refresh();
 * const { key, counts } = await publishIndexSnapshot(store);
 */
export async function publishIndexSnapshot(
  store: VersionStore,
  now: Date = new Date(),
): Promise<IndexSnapshot> {
  const { backend, index } = store;
  if (index.journalCheckpoint() === undefined)
    throw new StoreError(`the index of ${backend.location} is not complete: refresh it before publishing it`);
  const copyFile = path.join(tmpdir(), `tidemark-index-${process.pid}-${randomUUID()}.sqlite`);
  try {
    index.copyTo(copyFile);
    const { checkpoint, ...held } = describeCopy(copyFile);
    const stored = await backend.putBlob(createReadStream(copyFile).compose(createGzip()), (hash) =>
      indexSnapshotKey(now, hash),
    );
    const snapshot: IndexSnapshot = {
      schema: 1,
      key: indexSnapshotKey(now, stored.hash),
      sha256: stored.hash,
      size: stored.size,
      indexSchema: INDEX_SCHEMA_VERSION,
      checkpoint,
      publishedAt: now.toISOString(),
      counts: held.counts,
    };
    const latest = await latestSnapshot(backend);
    if (!latest || latest.checkpoint < snapshot.checkpoint)
      await backend.put(
        StoreLayout.INDEX_POINTER,
        Buffer.from(canonicalJson(snapshot as unknown as Json), 'utf8'),
      );
    index.setRecordsSinceSnapshot(index.recordsSinceSnapshot() - held.recordsSinceSnapshot);
    return snapshot;
  } finally {
    removeDatabaseFiles(copyFile);
  }
}

/**
 * Publishes a snapshot when the index holds at least `threshold` records beyond the latest published one (what
 * a cold open would read one by one). A local count decides whether to look at the pointer at all; a snapshot
 * another writer published meanwhile is counted from instead of publishing again.
 */
export async function publishIndexSnapshotIfDue(
  store: VersionStore,
  threshold: number,
  now: Date = new Date(),
): Promise<IndexSnapshot | undefined> {
  const { backend, index } = store;
  if (index.recordsSinceSnapshot() < threshold || index.journalCheckpoint() === undefined) return undefined;
  const latest = await latestSnapshot(backend);
  if (latest) {
    const beyond = totalRecords(index.counts()) - totalRecords(latest.counts);
    index.setRecordsSinceSnapshot(beyond);
    if (beyond < threshold) return undefined;
  }
  return publishIndexSnapshot(store, now);
}

/** What a fresh copy of the index holds (read from the copy, so it matches it exactly). */
function describeCopy(file: string): {
  checkpoint: string;
  counts: IndexCounts;
  recordsSinceSnapshot: number;
} {
  const copy = new IndexDb(file);
  try {
    const checkpoint = copy.journalCheckpoint();
    if (checkpoint === undefined) throw new StoreError('the copy of the index has no journal checkpoint');
    return { checkpoint, counts: copy.counts(), recordsSinceSnapshot: copy.recordsSinceSnapshot() };
  } finally {
    copy.close();
  }
}

function sameCounts(a: IndexCounts, b: IndexCounts): boolean {
  return a.resources === b.resources && a.versions === b.versions && a.baselines === b.baselines;
}

function totalRecords(counts: IndexCounts): number {
  return counts.versions + counts.baselines;
}

function describeCounts(counts: IndexCounts): string {
  return `${counts.resources} resources, ${counts.versions} versions, ${counts.baselines} baselines`;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Gives `file` the name `target` unless that exists: then false, and `target` is left as it is (another
 * process opening the same index restored it first, and may be using it).
 */
async function linkUnlessExists(file: string, target: string): Promise<boolean> {
  try {
    await link(file, target);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}
