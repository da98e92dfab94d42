import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { canonicalJson, sha256Hex } from '../canonical/canonicalise.js';
import type { ContentStore, StoredContent } from '../capture/content-store.js';
import { InputError, InvalidRecordError, StoreError } from '../errors.js';
import type { Json, JsonObject } from '../types/json.js';
import type { ResourceRef } from '../types/resource.js';
import type { StoreBackend } from './backend.js';
import { IndexDb } from './index-db.js';
import {
  emitTidemarkWarning,
  type IndexSnapshot,
  publishIndexSnapshot,
  publishIndexSnapshotIfDue,
  restoreLatestSnapshot,
  snapshotAfterFromEnvironment,
  type WarningSink,
} from './index-snapshot.js';
import { type RebuildReport, type RefreshReport, rebuildIndex, refreshIndex } from './index-sync.js';
import {
  baselineKey,
  blobKey,
  checkpointKey,
  journalKey,
  StoreLayout,
  seqOfKey,
  versionKey,
  versionPrefix,
} from './layout.js';
import { LocalBackend } from './local-backend.js';
import { parseStoreLocation } from './location.js';
import { readInBatches } from './parallel-read.js';
import {
  type BaselineManifest,
  type BaselineSummary,
  baselineManifestSchema,
  type Hashed,
  type VersionRecord,
  versionRecordSchema,
} from './records.js';
import type { StoreAccessOptions } from './s3-backend.js';

/** A version to append: everything but its place in the chain. */
export type VersionDraft = Omit<VersionRecord, 'schema' | 'seq' | 'prev'>;

/** A baseline to append: everything but its place in the chain. */
export type BaselineDraft = Omit<BaselineManifest, 'schema' | 'seq' | 'prev'>;

/** The outcome of an append. */
export interface AppendResult {
  /** False when the draft equals the latest version (nothing was written). */
  readonly appended: boolean;
  /** The latest version after the call; undefined only for a deletion of a never-seen resource. */
  readonly version?: Hashed<VersionRecord>;
}

const MAX_APPEND_ATTEMPTS = 20;

/** Upper bound of the random pause after a lost race, per attempt. */
const CONTENTION_BACKOFF_MS = 10;

/** How a store keeps its local index. */
export interface IndexOptions {
  /**
   * Folder for the SQLite index.
   * @default the store folder; for S3, a folder per store under `$TIDEMARK_CACHE_DIR` or `~/.cache/tidemark`
   */
  readonly cacheDirectory?: string;
  /**
   * Records the index may hold beyond the latest published index snapshot before
   * {@link VersionStore.publishSnapshotIfDue} publishes a new one.
   * @default `$TIDEMARK_SNAPSHOT_AFTER`, else 5,000
   */
  readonly snapshotAfter?: number;
  /** Told what went wrong when a published index snapshot cannot be used. @default a Node process warning */
  readonly onWarning?: WarningSink;
}

/** Options to open a store. */
export interface OpenStoreOptions extends StoreAccessOptions, IndexOptions {
  /**
   * Whether a local store's folder is created when missing; when false, a missing folder is an InputError (a
   * query of a mistyped or someone else's location must not leave an empty store there).
   * @default true
   */
  readonly create?: boolean;
}

/**
 * The versioned store: content-addressed blobs, per-resource hash chains of version records, and a chain of
 * baselines, over a backend (a local folder or an S3 bucket, with the same keys). The SQLite index is a cache
 * of it, kept up to date from the store's journal.
 *
 * @example
 * const store = await VersionStore.open('s3://acme-backups/tidemark');
 * const { appended } = await store.append(draft);
 */
export class VersionStore {
  readonly backend: StoreBackend;
  readonly index: IndexDb;
  /** Blob storage for capture, content-addressed and deduplicated. */
  readonly content: ContentStore;
  /** The published snapshot the index was restored from when this open found no index. */
  readonly restoredFrom?: IndexSnapshot;
  /** Told what the store recovers from on its own (an unusable snapshot, an invalid record skipped). */
  readonly warn: WarningSink;
  readonly #snapshotAfter: number;
  /** What the open read when it built the index from the store alone, so a rebuild right after is not repeated. */
  #rebuiltOnOpen: RefreshReport | undefined;

  private constructor(
    backend: StoreBackend,
    index: IndexDb,
    snapshotAfter: number,
    restoredFrom: IndexSnapshot | undefined,
    warn: WarningSink,
  ) {
    this.backend = backend;
    this.index = index;
    this.warn = warn;
    this.#snapshotAfter = snapshotAfter;
    if (restoredFrom) this.restoredFrom = restoredFrom;
    this.content = {
      has: (hash) => backend.exists(blobKey(hash)),
      putStream: (source, options) => backend.putBlob(source, blobKey, options?.expectedHash),
      putBytes: (bytes) => backend.putBlobBytes(bytes, blobKey),
    };
  }

  /**
   * Opens the store at `location`: a folder (created when missing, unless `create` is false) or
   * `s3://bucket[/prefix]` (an InputError when malformed), and brings its index up to date (see
   * {@link VersionStore.openBackend}).
   */
  static async open(location: string, options: OpenStoreOptions = {}): Promise<VersionStore> {
    const where = parseStoreLocation(location);
    if (where.kind === 'local') {
      if (options.create === false && !existsSync(where.folder))
        throw new InputError(
          `there is no store at ${where.folder}: a capture (baseline, ingest, watch) creates one`,
        );
      await mkdir(where.folder, { recursive: true });
      return VersionStore.openBackend(new LocalBackend(where.folder), options);
    }
    // The S3 backend brings the S3 client and everything it needs: loaded only when an S3 store is opened.
    const { S3Backend } = await import('./s3-backend.js');
    return VersionStore.openBackend(
      new S3Backend({ ...options, bucket: where.bucket, prefix: where.prefix }),
      options,
    );
  }

  /**
   * Opens the store held by `backend`. With no index yet, the latest published index snapshot is restored (one
   * download, checked; on any problem a warning and a full rebuild instead), then the index catches up with
   * what the journal announced since. Every open catches up so: an index kept apart from the store (an S3
   * store's, a private cache) is not updated by other writers, and even the index a local store shares with its
   * writers misses a record whose writer stopped between writing it and indexing it.
   */
  static async openBackend(backend: StoreBackend, options: IndexOptions = {}): Promise<VersionStore> {
    const cacheDirectory = options.cacheDirectory ?? backend.cacheDirectory;
    await mkdir(cacheDirectory, { recursive: true });
    const indexFile = IndexDb.fileIn(cacheDirectory);
    const warn = options.onWarning ?? emitTidemarkWarning;
    const restoredFrom = existsSync(indexFile)
      ? undefined
      : await restoreLatestSnapshot(backend, indexFile, warn);
    const store = new VersionStore(
      backend,
      new IndexDb(indexFile),
      options.snapshotAfter ?? snapshotAfterFromEnvironment(),
      restoredFrom,
      warn,
    );
    try {
      const report = await store.refresh();
      if (report.rebuilt) store.#rebuiltOnOpen = report;
    } catch (error) {
      store.close();
      throw error;
    }
    return store;
  }

  /** The S3 bucket holding the store, if it is in one: its objects are never captured. */
  get ownBucket(): string | undefined {
    return this.backend.bucket;
  }

  close(): void {
    this.index.close();
  }

  /** Stores a document as a canonical-JSON blob and returns its hash. */
  async putDocument(document: JsonObject): Promise<StoredContent> {
    return this.content.putBytes(Buffer.from(canonicalJson(document), 'utf8'));
  }

  async readDocument(hash: string): Promise<JsonObject> {
    const bytes = await this.backend.read(blobKey(hash));
    if (!bytes) throw new StoreError(`document ${hash} is missing from ${this.backend.location}`);
    return JSON.parse(bytes.toString('utf8')) as JsonObject;
  }

  /** A blob's content as a stream. */
  async readBlob(hash: string): Promise<Readable> {
    const stream = await this.backend.readStream(blobKey(hash));
    if (!stream) throw new StoreError(`blob ${hash} is missing from ${this.backend.location}`);
    return stream;
  }

  latest(ref: ResourceRef): Hashed<VersionRecord> | undefined {
    return this.index.latest(ref);
  }

  /**
   * Appends a version to the resource's chain unless it equals the latest version. Safe with concurrent
   * writers: the next key is created only if absent; on a race the chain is re-read and the draft compared
   * again with what won.
   */
  async append(draft: VersionDraft): Promise<AppendResult> {
    let latest = this.index.latest(draft.resource);
    for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
      if (latest ? sameState(latest.record, draft) : draft.deleted)
        return { appended: false, version: latest };
      const version = await this.#createNext<VersionRecord>(
        (seq) => versionKey(draft.resource, seq),
        { schema: 1, ...draft },
        latest,
        versionRecordSchema,
      );
      if (version) {
        this.index.addVersions([version]);
        return { appended: true, version };
      }
      latest = await this.#latestFromStore(draft.resource);
      await backOff(attempt);
    }
    throw new StoreError(
      `could not append to ${draft.resource.type} ${draft.resource.id}: too much contention`,
    );
  }

  /**
   * Creates the record that follows `last` in its chain (next seq, `prev` = its hash), if that key is still
   * free. Undefined when another writer took it first. A record its `schema` refuses is a StoreError, and
   * nothing is written. A journal entry announcing the key is written first, so an index refreshing from the
   * journal never misses the record (an entry whose record never came is skipped).
   */
  async #createNext<T extends { seq: number; prev: string | null }>(
    keyFor: (seq: number) => string,
    fields: Omit<T, 'seq' | 'prev'>,
    last: Hashed<{ seq: number }> | undefined,
    schema: { safeParse(value: unknown): { success: boolean; error?: unknown } },
  ): Promise<Hashed<T> | undefined> {
    const record = { ...fields, seq: (last?.record.seq ?? 0) + 1, prev: last?.hash ?? null } as T;
    const key = keyFor(record.seq);
    const valid = schema.safeParse(record);
    if (!valid.success)
      throw new StoreError(`refusing to write ${key}: it would not be a valid record`, {
        cause: valid.error,
        key,
      });
    const bytes = Buffer.from(canonicalJson(record as unknown as Json), 'utf8');
    await this.backend.create(journalKey(key, new Date()), new Uint8Array());
    if (!(await this.backend.create(key, bytes))) return undefined;
    return { hash: sha256Hex(bytes), record };
  }

  /**
   * Indexes the versions of a resource's chain in the store that the index does not hold yet, and returns its
   * latest version.
   */
  async #latestFromStore(ref: ResourceRef): Promise<Hashed<VersionRecord> | undefined> {
    const known = this.index.latest(ref)?.record.seq ?? 0;
    const keys: string[] = [];
    for await (const key of this.backend.list(versionPrefix(ref)))
      if ((seqOfKey(key) ?? 0) > known) keys.push(key);
    for await (const versions of readInBatches(keys, (key) => this.readVersion(key)))
      this.index.addVersions(versions);
    return this.index.latest(ref);
  }

  /** A checkpoint's value, or undefined when none was saved. */
  async readCheckpoint(name: string): Promise<Json | undefined> {
    const key = checkpointKey(name);
    const bytes = await this.backend.read(key);
    if (!bytes) return undefined;
    try {
      return JSON.parse(bytes.toString('utf8')) as Json;
    } catch (error) {
      throw new StoreError(`${key} in ${this.backend.location} is not valid JSON`, { cause: error, key });
    }
  }

  /** Saves a checkpoint, replacing the previous value all-or-nothing. */
  async writeCheckpoint(name: string, value: Json): Promise<void> {
    await this.backend.put(checkpointKey(name), Buffer.from(canonicalJson(value), 'utf8'));
  }

  /** Reads and validates one version record; a StoreError when it is missing or invalid. */
  async readVersion(key: string): Promise<Hashed<VersionRecord>> {
    return this.#required(key, await this.findVersion(key));
  }

  /** Reads and validates one version record; undefined when the key does not exist. */
  async findVersion(key: string): Promise<Hashed<VersionRecord> | undefined> {
    const bytes = await this.backend.read(key);
    return bytes && this.decodeVersion(key, bytes);
  }

  /** Reads and validates one baseline manifest; a StoreError when it is missing or invalid. */
  async readBaseline(key: string): Promise<Hashed<BaselineManifest>> {
    return this.#required(key, await this.findBaseline(key));
  }

  /** Reads and validates one baseline manifest; undefined when the key does not exist. */
  async findBaseline(key: string): Promise<Hashed<BaselineManifest> | undefined> {
    const bytes = await this.backend.read(key);
    return bytes && this.decodeBaseline(key, bytes);
  }

  /**
   * The version record `bytes` (read from `key`, hashing to `hash` when known) hold; an InvalidRecordError when
   * they are not a valid one.
   */
  decodeVersion(key: string, bytes: Uint8Array, hash?: string): Hashed<VersionRecord> {
    return this.#decode(key, bytes, hash, versionRecordSchema);
  }

  /** The baseline manifest `bytes` hold; an InvalidRecordError when they are not a valid one. */
  decodeBaseline(key: string, bytes: Uint8Array, hash?: string): Hashed<BaselineManifest> {
    return this.#decode(key, bytes, hash, baselineManifestSchema);
  }

  #required<T>(key: string, record: T | undefined): T {
    if (record === undefined)
      throw new StoreError(`${key} is missing from ${this.backend.location}`, { key });
    return record;
  }

  #decode<T>(
    key: string,
    bytes: Uint8Array,
    hash: string | undefined,
    schema: { parse(value: unknown): T },
  ): Hashed<T> {
    try {
      const text = (
        Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      ).toString('utf8');
      return { hash: hash ?? sha256Hex(bytes), record: schema.parse(JSON.parse(text)) };
    } catch (error) {
      throw new InvalidRecordError(key, this.backend.location, error);
    }
  }

  /** Every baseline's summary, oldest first. */
  baselines(): Hashed<BaselineSummary>[] {
    return this.index.baselines();
  }

  /** The full manifest of a baseline, read from the store. */
  async manifest(seq: number): Promise<Hashed<BaselineManifest>> {
    return this.readBaseline(baselineKey(seq));
  }

  /** The label the next baseline gets when none is given: `v1.0`, then `v1.1`, `v1.2`… */
  nextBaselineLabel(): string {
    const labels = new Set(this.baselines().map((b) => b.record.label));
    for (let minor = 0; ; minor++) if (!labels.has(`v1.${minor}`)) return `v1.${minor}`;
  }

  /** Appends a baseline manifest to the chain of baselines. Labels are unique. */
  async appendBaseline(draft: BaselineDraft): Promise<Hashed<BaselineManifest>> {
    for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
      await this.#indexNewBaselines();
      const existing = this.baselines();
      if (existing.some((b) => b.record.label === draft.label))
        throw new InputError(`a baseline labelled ${draft.label} already exists`);
      const hashed = await this.#createNext<BaselineManifest>(
        baselineKey,
        { schema: 1, ...draft },
        existing.at(-1),
        baselineManifestSchema,
      );
      if (hashed) {
        this.index.addBaseline(hashed);
        return hashed;
      }
      await backOff(attempt);
    }
    throw new StoreError('could not append a baseline: too much contention');
  }

  async #indexNewBaselines(): Promise<void> {
    const known = new Set(this.baselines().map((b) => b.record.seq));
    for await (const key of this.backend.list(StoreLayout.BASELINES)) {
      const seq = seqOfKey(key);
      if (seq !== undefined && !known.has(seq)) this.index.addBaseline(await this.readBaseline(key));
    }
  }

  /**
   * Empties the index and rebuilds it from the store alone, reading records in parallel. Right after an open
   * that just did so (there was no index and no usable snapshot), the index is only brought up to date.
   */
  async rebuildIndex(): Promise<RebuildReport> {
    const onOpen = this.#rebuiltOnOpen;
    if (!onOpen) return rebuildIndex(this);
    this.#rebuiltOnOpen = undefined;
    const { invalid } = await this.refresh();
    const { versions, baselines } = this.index.counts();
    return { versions, baselines, invalid: [...new Set([...onOpen.invalid, ...invalid])] };
  }

  /**
   * Publishes a copy of the index into the store (`index/snapshots/`, pointed at by `index/latest.json`), so
   * that an open with no index downloads it instead of reading every record.
   */
  async publishSnapshot(): Promise<IndexSnapshot> {
    return publishIndexSnapshot(this);
  }

  /**
   * Publishes a snapshot of the index when it holds at least `snapshotAfter` records (see
   * {@link IndexOptions}) beyond the latest published one; undefined when none was due.
   */
  async publishSnapshotIfDue(): Promise<IndexSnapshot | undefined> {
    return publishIndexSnapshotIfDue(this, this.#snapshotAfter);
  }

  /**
   * Adds to the index what the store's journal announced since the last refresh (what other writers, with
   * other indexes, appended); builds the index when it never was.
   */
  async refresh(): Promise<RefreshReport> {
    return refreshIndex(this);
  }
}

/** A random pause after a lost race, longer with each attempt, so racing writers spread out. */
function backOff(attempt: number): Promise<void> {
  return sleep(Math.random() * CONTENTION_BACKOFF_MS * (attempt + 1));
}

/** Whether a draft describes the same state as a stored version (ignoring when and why it was seen). */
function sameState(stored: VersionRecord, draft: VersionDraft): boolean {
  return (
    stored.deleted === draft.deleted &&
    stored.document === draft.document &&
    canonicalJson(stored.blobs) === canonicalJson(draft.blobs)
  );
}
