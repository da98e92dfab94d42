import { IndexCorruptError, InvalidRecordError } from '../errors.js';
import { journalEntry, journalStartAfter, recordAddress, StoreLayout } from './layout.js';
import { decodeLogHead } from './log.js';
import { readInBatches } from './parallel-read.js';
import type { BaselineManifest, Hashed, LogHead, VersionRecord } from './records.js';
import type { VersionStore } from './version-store.js';

/**
 * How far before its checkpoint a refresh reads the journal again: a writer whose clock is behind, or that
 * wrote its journal entry before a slow record, is still seen. Records already indexed are not read again.
 */
export const JOURNAL_OVERLAP_MS = 15 * 60_000;

/** What a rebuild of the index read. */
export interface RebuildReport {
  readonly versions: number;
  readonly baselines: number;
  /** Record keys whose bytes are not a valid record: left out with a warning (`verify` names them too). */
  readonly invalid: readonly string[];
  /** Record keys the log names that are not in the store (removed): found by a rebuild, with a warning. */
  readonly removed: readonly string[];
}

/** What a refresh of the index added. */
export interface RefreshReport extends RebuildReport {
  /** True when the index had never been built, so it was built from a full listing of the store. */
  readonly rebuilt: boolean;
  /** Journal entries whose record does not exist (its writer stopped in between): skipped, not fatal. */
  readonly missing: number;
}

/**
 * Empties the index and rebuilds it from the store alone, reading records in parallel. The journal checkpoint
 * becomes the moment the rebuild started: what is written during it is caught by the next refresh. An index found
 * damaged on the way is discarded and built anew in a fresh file: a rebuild never depends on the old index.
 */
export async function rebuildIndex(store: VersionStore, now: Date = new Date()): Promise<RebuildReport> {
  return replacingDamaged(
    store,
    now,
    () => reloadIndex(store, now),
    (report) => report,
  );
}

/**
 * Brings the index up to date with the store by reading only what the journal announced since the last
 * checkpoint, or since the checkpoint of the snapshot it was restored from (less {@link JOURNAL_OVERLAP_MS});
 * an index never built, or whose rebuild never finished, is rebuilt instead, and so is an index found damaged.
 */
export async function refreshIndex(store: VersionStore, now: Date = new Date()): Promise<RefreshReport> {
  return replacingDamaged(
    store,
    now,
    () => catchUp(store, now),
    (report) => ({ rebuilt: true, missing: 0, ...report }),
  );
}

/**
 * Runs `sync` on the store's index; when the index turns out damaged (an IndexCorruptError), warns, discards it
 * and rebuilds it from the store in a fresh file instead, whose report `rebuilt` turns into what `sync` returns.
 */
async function replacingDamaged<T>(
  store: VersionStore,
  now: Date,
  sync: () => Promise<T>,
  rebuilt: (report: RebuildReport) => T,
): Promise<T> {
  try {
    return await sync();
  } catch (error) {
    if (!(error instanceof IndexCorruptError)) throw error;
    store.warn(`${error.message}: rebuilding it from the store`);
    store.index.discard();
    return rebuilt(await reloadIndex(store, now));
  }
}

/** Empties the index and fills it from every record of the store, then sets its journal checkpoint. */
async function reloadIndex(store: VersionStore, now: Date): Promise<RebuildReport> {
  const { index } = store;
  const reader = new RecordReader(store);
  let versions = 0;
  let baselines = 0;
  const removed = await index.reload(async () => {
    for await (const batch of reader.readFolder(StoreLayout.VERSIONS, RecordKind.VERSION)) {
      index.addVersions(batch);
      versions += batch.length;
    }
    for await (const batch of reader.readFolder(StoreLayout.BASELINES, RecordKind.BASELINE))
      for (const baseline of batch) {
        index.addBaseline(baseline);
        baselines++;
      }
    const absent = (await loggedButAbsent(store)).filter((key) => !reader.invalid.has(key));
    index.setDamage([...reader.invalid, ...absent]);
    return absent;
  });
  if (removed.length > 0)
    store.warn(
      `${removed.length} records the log names are not in the store (${removed[0]}…): run \`tidemark verify\``,
    );
  index.setJournalCheckpoint(now.toISOString());
  return { versions, baselines, invalid: [...reader.invalid], removed };
}

/**
 * The records the store's log heads name that the index (just rebuilt from every record) does not hold: removed,
 * or left out as invalid (which the caller already knows).
 */
async function loggedButAbsent(store: VersionStore): Promise<string[]> {
  const absent: string[] = [];
  for await (const files of store.backend.readAll(StoreLayout.LOG))
    for (const { key, bytes } of files) {
      let head: LogHead;
      try {
        head = decodeLogHead(key, bytes, store.backend.location).record;
      } catch {
        continue; // An unreadable head is verify's to report; what it named cannot be known.
      }
      for (const { key: recordKey } of head.records) {
        const address = recordAddress(recordKey);
        if (address && !store.index.hasRecord(address)) absent.push(recordKey);
      }
    }
  return absent;
}

/** What {@link refreshIndex} does to an index that is not damaged. */
async function catchUp(store: VersionStore, now: Date): Promise<RefreshReport> {
  const { backend, index } = store;
  const checkpoint = index.refreshCheckpoint();
  if (checkpoint === undefined) return { rebuilt: true, missing: 0, ...(await reloadIndex(store, now)) };

  const since = new Date(Date.parse(checkpoint) - JOURNAL_OVERLAP_MS);
  const versionKeys = new Set<string>();
  const baselineKeys = new Set<string>();
  let newest = checkpoint;
  const damaged = new Set(index.damage()?.keys);
  for await (const key of backend.list(StoreLayout.JOURNAL, journalStartAfter(since))) {
    const entry = journalEntry(key);
    const address = entry && recordAddress(entry.recordKey);
    if (!entry || !address) continue;
    if (entry.writtenAt > newest) newest = entry.writtenAt;
    if (index.hasRecord(address) || damaged.has(entry.recordKey)) continue;
    (address.kind === 'version' ? versionKeys : baselineKeys).add(entry.recordKey);
  }

  const reader = new RecordReader(store);
  let versions = 0;
  for await (const batch of reader.read(versionKeys, RecordKind.VERSION)) {
    index.addVersions(batch);
    versions += batch.length;
  }
  let baselines = 0;
  for await (const batch of reader.read(baselineKeys, RecordKind.BASELINE))
    for (const baseline of batch) {
      index.addBaseline(baseline);
      baselines++;
    }
  if (reader.invalid.size > 0) index.addDamage([...reader.invalid]);
  // A writer's clock far ahead must not move the checkpoint past what correct clocks are still writing.
  index.setJournalCheckpoint(new Date(Math.min(Date.parse(newest), now.getTime())).toISOString());
  return {
    rebuilt: false,
    versions,
    baselines,
    missing: reader.missing,
    invalid: [...reader.invalid],
    removed: [],
  };
}

/** The two kinds of record the index holds, and how to read and decode each. */
interface RecordKind<T> {
  find(store: VersionStore, key: string): Promise<T | undefined>;
  decode(store: VersionStore, key: string, bytes: Uint8Array, sha256: string): T;
}
const RecordKind = {
  VERSION: {
    find: (store, key) => store.findVersion(key),
    decode: (store, key, bytes, sha256) => store.decodeVersion(key, bytes, sha256),
  } satisfies RecordKind<Hashed<VersionRecord>>,
  BASELINE: {
    find: (store, key) => store.findBaseline(key),
    decode: (store, key, bytes, sha256) => store.decodeBaseline(key, bytes, sha256),
  } satisfies RecordKind<Hashed<BaselineManifest>>,
} as const;

/**
 * Reads records for the index, skipping what cannot be indexed instead of failing the whole read: a key that no
 * longer exists is counted as missing; one whose bytes are not a valid record is counted and reported to the
 * store's warning sink, so one damaged record never stops every refresh after it.
 */
class RecordReader {
  readonly #store: VersionStore;
  missing = 0;
  readonly invalid = new Set<string>();

  constructor(store: VersionStore) {
    this.#store = store;
  }

  /** The records of these keys, read in parallel, in batches. */
  async *read<T>(keys: AsyncIterable<string> | Iterable<string>, kind: RecordKind<T>): AsyncGenerator<T[]> {
    for await (const batch of readInBatches(keys, (key) => this.#findOrSkip(key, kind)))
      yield batch.filter((record): record is T => record !== undefined);
  }

  /** Every record under a folder prefix, read in bulk, in batches. */
  async *readFolder<T>(prefix: string, kind: RecordKind<T>): AsyncGenerator<T[]> {
    for await (const files of this.#store.backend.readAll(prefix))
      yield files
        .map((file) =>
          this.#orSkip(file.key, () => kind.decode(this.#store, file.key, file.bytes, file.sha256)),
        )
        .filter((record): record is T => record !== undefined);
  }

  async #findOrSkip<T>(key: string, kind: RecordKind<T>): Promise<T | undefined> {
    try {
      const record = await kind.find(this.#store, key);
      if (record === undefined) this.missing++;
      return record;
    } catch (error) {
      return this.#skipInvalid(key, error);
    }
  }

  #orSkip<T>(key: string, decode: () => T): T | undefined {
    try {
      return decode();
    } catch (error) {
      return this.#skipInvalid(key, error);
    }
  }

  #skipInvalid(key: string, error: unknown): undefined {
    if (!(error instanceof InvalidRecordError)) throw error;
    this.invalid.add(key);
    this.#store.warn(`${error.message}: left out of the index (run \`tidemark verify\`)`);
    return undefined;
  }
}
