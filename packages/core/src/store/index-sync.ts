import { InvalidRecordError } from '../errors.js';
import { journalEntry, journalStartAfter, recordAddress, StoreLayout } from './layout.js';
import { readInBatches } from './parallel-read.js';
import type { BaselineManifest, Hashed, VersionRecord } from './records.js';
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
 * becomes the moment the rebuild started: what is written during it is caught by the next refresh.
 */
export async function rebuildIndex(store: VersionStore, now: Date = new Date()): Promise<RebuildReport> {
  const { index } = store;
  const reader = new RecordReader(store);
  let versions = 0;
  let baselines = 0;
  await index.reload(async () => {
    for await (const batch of reader.readFolder(StoreLayout.VERSIONS, RecordKind.VERSION)) {
      index.addVersions(batch);
      versions += batch.length;
    }
    for await (const batch of reader.readFolder(StoreLayout.BASELINES, RecordKind.BASELINE))
      for (const baseline of batch) {
        index.addBaseline(baseline);
        baselines++;
      }
  });
  index.setJournalCheckpoint(now.toISOString());
  return { versions, baselines, invalid: [...reader.invalid] };
}

/**
 * Brings the index up to date with the store by reading only what the journal announced since the last
 * checkpoint, or since the checkpoint of the snapshot it was restored from (less {@link JOURNAL_OVERLAP_MS});
 * an index never built is rebuilt instead.
 */
export async function refreshIndex(store: VersionStore, now: Date = new Date()): Promise<RefreshReport> {
  const { backend, index } = store;
  const checkpoint = index.refreshCheckpoint();
  if (checkpoint === undefined) return { rebuilt: true, missing: 0, ...(await rebuildIndex(store, now)) };

  const since = new Date(Date.parse(checkpoint) - JOURNAL_OVERLAP_MS);
  const versionKeys = new Set<string>();
  const baselineKeys = new Set<string>();
  let newest = checkpoint;
  for await (const key of backend.list(StoreLayout.JOURNAL, journalStartAfter(since))) {
    const entry = journalEntry(key);
    const address = entry && recordAddress(entry.recordKey);
    if (!entry || !address) continue;
    if (entry.writtenAt > newest) newest = entry.writtenAt;
    if (index.hasRecord(address)) continue;
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
  // A writer's clock far ahead must not move the checkpoint past what correct clocks are still writing.
  index.setJournalCheckpoint(new Date(Math.min(Date.parse(newest), now.getTime())).toISOString());
  return { rebuilt: false, versions, baselines, missing: reader.missing, invalid: [...reader.invalid] };
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
