import { InvalidRecordError } from '../errors.js';
import { journalEntry, journalStartAfter, recordAddress, StoreLayout } from './layout.js';
import { readInBatches } from './parallel-read.js';
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
  const { backend, index } = store;
  index.clear();
  const reader = new RecordReader(store);
  let versions = 0;
  for await (const batch of reader.read(backend.list(StoreLayout.VERSIONS), (key) =>
    store.findVersion(key),
  )) {
    index.addVersions(batch);
    versions += batch.length;
  }
  let baselines = 0;
  for await (const batch of reader.read(backend.list(StoreLayout.BASELINES), (key) =>
    store.findBaseline(key),
  ))
    for (const baseline of batch) {
      index.addBaseline(baseline);
      baselines++;
    }
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
  for await (const batch of reader.read(versionKeys, (key) => store.findVersion(key))) {
    index.addVersions(batch);
    versions += batch.length;
  }
  let baselines = 0;
  for await (const batch of reader.read(baselineKeys, (key) => store.findBaseline(key)))
    for (const baseline of batch) {
      index.addBaseline(baseline);
      baselines++;
    }
  // A writer's clock far ahead must not move the checkpoint past what correct clocks are still writing.
  index.setJournalCheckpoint(new Date(Math.min(Date.parse(newest), now.getTime())).toISOString());
  return { rebuilt: false, versions, baselines, missing: reader.missing, invalid: [...reader.invalid] };
}

/**
 * Reads records in parallel for the index, skipping what cannot be indexed instead of failing the whole read:
 * a key that no longer exists is counted as missing; one whose bytes are not a valid record is counted and
 * reported to the store's warning sink, so one damaged record never stops every refresh after it.
 */
class RecordReader {
  readonly #store: VersionStore;
  missing = 0;
  readonly invalid = new Set<string>();

  constructor(store: VersionStore) {
    this.#store = store;
  }

  async *read<T>(
    keys: AsyncIterable<string> | Iterable<string>,
    find: (key: string) => Promise<T | undefined>,
  ): AsyncGenerator<T[]> {
    for await (const batch of readInBatches(keys, (key) => this.#findOrSkip(key, find)))
      yield batch.filter((record): record is T => record !== undefined);
  }

  async #findOrSkip<T>(key: string, find: (key: string) => Promise<T | undefined>): Promise<T | undefined> {
    try {
      const record = await find(key);
      if (record === undefined) this.missing++;
      return record;
    } catch (error) {
      if (!(error instanceof InvalidRecordError)) throw error;
      this.invalid.add(key);
      this.#store.warn(`${error.message}: left out of the index (run \`tidemark verify\`)`);
      return undefined;
    }
  }
}
