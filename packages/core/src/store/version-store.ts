import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { type Readable, Transform } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { canonicalJson, sha256Hex } from '../canonical/canonicalise.js';
import type { ContentStore, StoredContent } from '../capture/content-store.js';
import {
  DamagedContentError,
  IndexCorruptError,
  InputError,
  InvalidRecordError,
  StoreError,
} from '../errors.js';
import type { Json, JsonObject } from '../types/json.js';
import type { ResourceRef } from '../types/resource.js';
import type { RecordAuthenticator } from './authenticator.js';
import type { StoreBackend } from './backend.js';
import { createIdentity, holdsLog, holdsRecords, readIdentity, requireKey } from './identity.js';
import { IndexDb } from './index-db.js';
import { indexFolder } from './index-folder.js';
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
  labelKey,
  labelOfKey,
  StoreLayout,
  seqOfKey,
  versionKey,
  versionPrefix,
} from './layout.js';
import { LocalBackend } from './local-backend.js';
import { parseStoreLocation } from './location.js';
import { StoreLog } from './log.js';
import { readInBatches } from './parallel-read.js';
import {
  type BaselineManifest,
  type BaselineSummary,
  baselineManifestSchema,
  type Hashed,
  type LoggedRecord,
  type LogHead,
  type StoreIdentity,
  type VersionRecord,
  versionRecordSchema,
} from './records.js';
import type { StoreAccessOptions } from './s3-backend.js';
import { hasValidMacIn, journalAnnouncement, signRecord } from './signing.js';
import { removeDatabaseFiles } from './sqlite.js';

/** A version to append: everything but its place in the chain. */
export type VersionDraft = Omit<VersionRecord, 'schema' | 'seq' | 'prev' | 'mac'>;

/** A baseline to append: everything but its place in the chain. */
export type BaselineDraft = Omit<BaselineManifest, 'schema' | 'seq' | 'prev' | 'mac'>;

/** The outcome of an append. */
export interface AppendResult {
  /** False when the draft equals the latest version (nothing was written). */
  readonly appended: boolean;
  /** The latest version after the call; undefined only for a deletion of a never-seen resource. */
  readonly version?: Hashed<VersionRecord>;
  /** True when the draft was built on a version that is no longer the latest (see `basedOn`): nothing was written. */
  readonly conflict?: true;
}

/** Options of {@link VersionStore.append}. */
export interface AppendOptions {
  /**
   * The hash of the version the draft was built from (`null`: none), for a draft that holds only what changed since
   * it (a table's rebuilt chunks): when another writer appended first, nothing is written and `conflict` is set.
   */
  readonly basedOn?: string | null;
}

const MAX_APPEND_ATTEMPTS = 20;

/** Records a writer creates before it appends a log head naming them, even within one long capture. */
const LOG_BATCH = 1_000;

/** Upper bound of the random pause after a lost race, per attempt. */
const CONTENTION_BACKOFF_MS = 10;

/** How a store keeps its local index. */
export interface IndexOptions {
  /**
   * Folder for the SQLite index.
   * @default the store folder (a folder of this user's per store under `$TIDEMARK_CACHE_DIR` or
   * `~/.cache/tidemark` when the index cannot be written there: see {@link indexFolder}); for S3, such a folder
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
  /**
   * Opens no index (an empty one in memory, never refreshed): for what reads the store itself (`verify`), which
   * then works whatever state the index is in. Queries of such a store answer nothing.
   */
  readonly withoutIndex?: boolean;
}

/** Options to open a store. */
export interface OpenStoreOptions extends StoreAccessOptions, IndexOptions {
  /**
   * Whether a store may be created here: when false, a location that holds no store is an InputError (a query
   * of a mistyped or someone else's location must not leave an empty store there, nor answer "nothing").
   * @default true
   */
  readonly create?: boolean;
}

/** How a store's records are authenticated. */
export interface KeyOptions {
  /**
   * The store's key: records written are signed with it (and a new store records its id), records read are
   * checked against it. Without one, records are checked by hash and chain only. A store sealed by another key
   * is a WrongKeyError.
   */
  readonly key?: RecordAuthenticator;
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
  /** The store's identity; undefined for a new store until its first record, and for stores older than identities. */
  #identity: StoreIdentity | undefined;
  #key: RecordAuthenticator | undefined;
  #log: StoreLog | undefined;
  /** Records this writer created that no log head names yet. */
  #unlogged: LoggedRecord[] = [];
  /** Whether the store was found to hold records written before identities (it gets none). */
  #predatesIdentity = false;
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
    identity: StoreIdentity | undefined,
  ) {
    this.backend = backend;
    this.#identity = identity;
    this.index = index;
    this.warn = warn;
    this.#snapshotAfter = snapshotAfter;
    if (restoredFrom) this.restoredFrom = restoredFrom;
    this.content = {
      has: (hash) => backend.exists(blobKey(hash)),
      putStream: (source, options) => backend.putBlob(source, blobKey, options?.expectedHash),
      putBytes: (bytes) => backend.putBlobBytes(bytes, blobKey),
      read: (hash) => this.readBlob(hash),
    };
  }

  /**
   * Opens the store at `location`: a folder (created when missing, unless `create` is false) or
   * `s3://bucket[/prefix]` (an InputError when malformed), and brings its index up to date (see
   * {@link VersionStore.openBackend}).
   */
  static async open(location: string, options: OpenStoreOptions & KeyOptions = {}): Promise<VersionStore> {
    const where = parseStoreLocation(location);
    const create = options.create ?? true;
    if (where.kind === 'local') {
      if (existsSync(where.folder) && !statSync(where.folder).isDirectory())
        throw new InputError(`the store ${where.folder} is a file, not a folder`);
      if (!create && !existsSync(where.folder)) throw noStoreAt(where.folder);
      await mkdir(where.folder, { recursive: true });
      const backend = new LocalBackend(where.folder);
      if (!create) await requireStore(backend);
      else await backend.removeStaleTemporaryFiles();
      return VersionStore.openBackend(backend, options);
    }
    // The S3 backend brings the S3 client and everything it needs: loaded only when an S3 store is opened.
    const { S3Backend } = await import('./s3-backend.js');
    const backend = new S3Backend({ ...options, bucket: where.bucket, prefix: where.prefix });
    if (!create) await requireStore(backend);
    return VersionStore.openBackend(backend, options);
  }

  /**
   * Opens the store held by `backend`. With no index yet, the latest published index snapshot is restored (one
   * download, checked; on any problem a warning and a full rebuild instead), then the index catches up with
   * what the journal announced since. Every open catches up so: an index kept apart from the store (an S3
   * store's, a private cache) is not updated by other writers, and even the index a local store shares with its
   * writers misses a record whose writer stopped between writing it and indexing it.
   */
  static async openBackend(
    backend: StoreBackend,
    options: IndexOptions & KeyOptions = {},
  ): Promise<VersionStore> {
    const identity = await readIdentity(backend, options.key);
    if (!identity && !options.withoutIndex && (await holdsLog(backend)))
      throw new InvalidRecordError(
        StoreLayout.IDENTITY,
        backend.location,
        'it is missing, yet the store has signed log heads: run `tidemark verify`',
      );
    const warn = options.onWarning ?? emitTidemarkWarning;
    if (options.withoutIndex) {
      const store = new VersionStore(backend, new IndexDb(':memory:'), 0, undefined, warn, identity);
      if (options.key) store.#useKey(options.key);
      return store;
    }
    const indexFile = IndexDb.fileIn(await indexFolder(backend, options.cacheDirectory));
    const restoredFrom = existsSync(indexFile)
      ? undefined
      : await restoreLatestSnapshot(backend, indexFile, warn);
    const store = new VersionStore(
      backend,
      openIndexOf(indexFile, identity, warn),
      options.snapshotAfter ?? snapshotAfterFromEnvironment(),
      restoredFrom,
      warn,
      identity,
    );
    try {
      if (options.key) store.#useKey(options.key);
      store.#authenticateIndex();
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

  /** The store's identity: undefined for a new store until its first record, and for stores older than identities. */
  get identity(): StoreIdentity | undefined {
    return this.#identity;
  }

  /** Whether records are checked against the store's key (a key was given and the store has an identity). */
  get authenticated(): boolean {
    return this.#key !== undefined && this.#identity !== undefined;
  }

  /** The key records are signed and checked with, when one was given. */
  get key(): RecordAuthenticator | undefined {
    return this.#key;
  }

  /**
   * Signs what this store writes from now on with `key` (a key created after the store was opened, for a new
   * store); a WrongKeyError when the store is sealed by another key.
   */
  useKey(key: RecordAuthenticator): void {
    if (this.#identity) requireKey(this.#identity, key.keyId, this.backend.location);
    this.#useKey(key);
  }

  #useKey(key: RecordAuthenticator): void {
    this.#key = key;
    this.#log = new StoreLog(this.backend, key);
  }

  /**
   * In an authenticated store, has the index sign its rows and check them; an index whose rows do not match
   * their seal (altered without the key, or grown by a command without it) is discarded, to be rebuilt.
   */
  #authenticateIndex(): void {
    if (!this.#key || !this.#identity) return;
    try {
      this.index.authenticate(this.#key);
    } catch (error) {
      if (!(error instanceof IndexCorruptError)) throw error;
      this.warn(`${error.message}: rebuilding it from the store`);
      this.index.discard();
      this.index.authenticate(this.#key);
    }
  }

  /**
   * Appends a log head naming the records this writer created since its last one (nothing when there are none,
   * or no key): once named, a record cannot be removed or replaced unnoticed. Called at the end of each capture,
   * and on the way every {@link LOG_BATCH} records.
   */
  async appendLogHead(): Promise<Hashed<LogHead> | undefined> {
    if (!this.#log || this.#unlogged.length === 0) return undefined;
    const records = this.#unlogged;
    this.#unlogged = [];
    try {
      return await this.#log.append(records);
    } catch (error) {
      this.#unlogged = [...records, ...this.#unlogged];
      throw error;
    }
  }

  close(): void {
    this.index.close();
  }

  /** Stores a document as a canonical-JSON blob and returns its hash. */
  async putDocument(document: JsonObject): Promise<StoredContent> {
    return this.content.putBytes(Buffer.from(canonicalJson(document), 'utf8'));
  }

  /** A document blob, checked against its hash: a DamagedContentError when it was altered. */
  async readDocument(hash: string): Promise<JsonObject> {
    const key = blobKey(hash);
    const bytes = await this.backend.read(key);
    if (!bytes) throw new StoreError(`document ${hash} is missing from ${this.backend.location}`, { key });
    const actual = sha256Hex(bytes);
    if (actual !== hash) throw new DamagedContentError(key, this.backend.location, `it hashes to ${actual}`);
    try {
      return JSON.parse(bytes.toString('utf8')) as JsonObject;
    } catch {
      throw new DamagedContentError(key, this.backend.location, 'it is not a JSON document');
    }
  }

  /**
   * A blob's content as a stream, hashed as it flows: the stream ends with a DamagedContentError instead of its
   * end when the content does not hash to `hash`, so a consumer that waits for the end never keeps altered bytes.
   */
  async readBlob(hash: string): Promise<Readable> {
    const key = blobKey(hash);
    const stream = await this.backend.readStream(key);
    if (!stream) throw new StoreError(`blob ${hash} is missing from ${this.backend.location}`, { key });
    const digest = createHash('sha256');
    const location = this.backend.location;
    const checked = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        digest.update(chunk);
        done(null, chunk);
      },
      flush(done) {
        const actual = digest.digest('hex');
        done(actual === hash ? null : new DamagedContentError(key, location, `it hashes to ${actual}`));
      },
    });
    stream.on('error', (error) => checked.destroy(error));
    return stream.pipe(checked);
  }

  latest(ref: ResourceRef): Hashed<VersionRecord> | undefined {
    return this.index.latest(ref);
  }

  /**
   * Appends a version to the resource's chain unless it equals the latest version. Safe with concurrent
   * writers: the next key is created only if absent; on a race the chain is re-read and the draft compared
   * again with what won, or, for a draft `basedOn` a version that is no longer the latest, refused as a conflict.
   */
  async append(draft: VersionDraft, options: AppendOptions = {}): Promise<AppendResult> {
    let latest = this.index.latest(draft.resource);
    for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
      if (latest ? sameState(latest.record, draft) : draft.deleted)
        return { appended: false, version: latest };
      if (options.basedOn !== undefined && (latest?.hash ?? null) !== options.basedOn)
        return { appended: false, ...(latest ? { version: latest } : {}), conflict: true };
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
   * nothing is written. A journal entry announcing the key (and, signed, the record's hash) is written first, so an
   * index refreshing from the journal never misses the record (an entry whose record never came is skipped).
   */
  async #createNext<T extends { seq: number; prev: string | null }>(
    keyFor: (seq: number) => string,
    fields: Omit<T, 'seq' | 'prev'>,
    last: Hashed<{ seq: number }> | undefined,
    schema: { safeParse(value: unknown): { success: boolean; error?: unknown } },
  ): Promise<Hashed<T> | undefined> {
    const unsigned = { ...fields, seq: (last?.record.seq ?? 0) + 1, prev: last?.hash ?? null } as T;
    const record = this.#key ? signRecord(unsigned as T & { mac?: string }, this.#key) : unsigned;
    const key = keyFor(record.seq);
    const valid = schema.safeParse(record);
    if (!valid.success)
      throw new StoreError(`refusing to write ${key}: it would not be a valid record`, {
        cause: valid.error,
        key,
      });
    const bytes = Buffer.from(canonicalJson(record as unknown as Json), 'utf8');
    const hash = sha256Hex(bytes);
    await this.#identify();
    await this.#announce(key, hash);
    if (!(await this.backend.create(key, bytes))) return undefined;
    this.#unlogged.push({ key, sha256: hash });
    if (this.#unlogged.length >= LOG_BATCH) await this.appendLogHead();
    return { hash, record };
  }

  /**
   * Before the first record of a new store, writes its identity with the id of the key in use. A store that
   * already holds records without an identity (written before identities) stays without one.
   */
  async #identify(): Promise<void> {
    if (this.#identity || !this.#key || this.#predatesIdentity) return;
    // Another writer may have made the store since this one opened it: its identity is then adopted.
    const identity =
      (await readIdentity(this.backend, this.#key)) ??
      ((await holdsRecords(this.backend)) ? undefined : await createIdentity(this.backend, this.#key));
    if (!identity) {
      this.#predatesIdentity = true;
      return;
    }
    requireKey(identity, this.#key.keyId, this.backend.location);
    this.#identity = identity;
    this.index.setStoreId(identity.storeId);
    this.#authenticateIndex();
  }

  /**
   * Writes the journal entry announcing the record `key` (hashing to `hash`), at the first free moment from now: two
   * writers racing for one record key in one millisecond each get an entry, so the winner's record is announced.
   */
  async #announce(key: string, hash: string): Promise<void> {
    for (let at = Date.now(); ; at++) {
      const entry = journalKey(key, new Date(at));
      if (await this.backend.create(entry, journalAnnouncement(entry, hash, this.#key))) return;
    }
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
   * they are not a valid one, or (unless `authenticate` is false) not signed by the store's key.
   */
  decodeVersion(key: string, bytes: Uint8Array, hash?: string, authenticate = true): Hashed<VersionRecord> {
    return this.#decode(key, bytes, hash, versionRecordSchema, authenticate, (record) =>
      versionKey(record.resource, record.seq),
    );
  }

  /** The baseline manifest `bytes` hold; an InvalidRecordError as for {@link decodeVersion}. */
  decodeBaseline(
    key: string,
    bytes: Uint8Array,
    hash?: string,
    authenticate = true,
  ): Hashed<BaselineManifest> {
    return this.#decode(key, bytes, hash, baselineManifestSchema, authenticate, (record) =>
      baselineKey(record.seq),
    );
  }

  #required<T>(key: string, record: T | undefined): T {
    if (record === undefined)
      throw new StoreError(`${key} is missing from ${this.backend.location}`, { key });
    return record;
  }

  /**
   * Parses and validates a record, which must be the record of `key` (not another one moved there); in an
   * authenticated store (see {@link authenticated}), its MAC is checked too,
   * so a record edited or forged without the key is an InvalidRecordError like a corrupted one.
   */
  #decode<T extends { mac?: string | undefined }>(
    key: string,
    bytes: Uint8Array,
    hash: string | undefined,
    schema: { parse(value: unknown): T },
    authenticate: boolean,
    keyOf: (record: T) => string,
  ): Hashed<T> {
    let record: T;
    try {
      const text = (
        Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      ).toString('utf8');
      record = schema.parse(JSON.parse(text));
    } catch (error) {
      throw new InvalidRecordError(key, this.backend.location, error);
    }
    if (keyOf(record) !== key)
      throw new InvalidRecordError(key, this.backend.location, `it is the record of ${keyOf(record)}`);
    if (authenticate && this.#key && this.#identity && !hasValidMacIn(bytes, record, this.#key))
      throw new InvalidRecordError(key, this.backend.location, "it is not signed by the store's key");
    return { hash: hash ?? sha256Hex(bytes), record };
  }

  /** Every baseline's summary, oldest first. */
  baselines(): Hashed<BaselineSummary>[] {
    return this.index.baselines();
  }

  /** The full manifest of a baseline, read from the store. */
  async manifest(seq: number): Promise<Hashed<BaselineManifest>> {
    return this.readBaseline(baselineKey(seq));
  }

  /**
   * Takes a label for a baseline about to start, atomically (`labels/<label>` is created): an InputError when a
   * baseline has it or another run took it (even one that never finished). Without `label`, takes the first
   * `v1.N` nobody took.
   */
  async takeLabel(label?: string): Promise<string> {
    await this.#indexNewBaselines();
    const taken = new Set(this.baselines().map((b) => b.record.label));
    if (label === undefined)
      for await (const key of this.backend.list(StoreLayout.LABELS)) taken.add(labelOfKey(key));
    for (let minor = 0; ; minor++) {
      const wanted = label ?? `v1.${minor}`;
      if (taken.has(wanted) && label === undefined) continue;
      const claim = Buffer.from(canonicalJson({ label: wanted, takenAt: new Date().toISOString() }), 'utf8');
      if (!taken.has(wanted) && (await this.backend.create(labelKey(wanted), claim))) return wanted;
      if (label !== undefined)
        throw new InputError(`a baseline labelled ${label} already exists or is under way`);
      taken.add(wanted);
    }
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
    return {
      versions,
      baselines,
      invalid: [...new Set([...onOpen.invalid, ...invalid])],
      removed: onOpen.removed,
    };
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

/** What a query of a location that holds no store says. */
function noStoreAt(location: string): InputError {
  return new InputError(`no Tidemark store at ${location}: a capture (baseline, ingest, watch) creates one`);
}

/** An InputError unless the backend holds a store (an identity, or records written before identities). */
async function requireStore(backend: StoreBackend): Promise<void> {
  if ((await backend.exists(StoreLayout.IDENTITY)) || (await holdsRecords(backend))) return;
  throw noStoreAt(backend.location);
}

/**
 * Opens the index in `file` for the store of `identity`. An index built from another store (one emptied, or made
 * again under the same name) answers for records this store does not hold: it is deleted, to be rebuilt.
 */
function openIndexOf(file: string, identity: StoreIdentity | undefined, warn: WarningSink): IndexDb {
  const index = new IndexDb(file);
  const built = index.storeId();
  const fromAnotherStore = identity
    ? built !== identity.storeId && (built !== undefined || !index.isEmpty())
    : built !== undefined;
  if (!fromAnotherStore) {
    if (identity && built === undefined) index.setStoreId(identity.storeId);
    return index;
  }
  warn(`the index in ${file} was built from another store at this location: rebuilding it`);
  index.close();
  removeDatabaseFiles(file);
  const fresh = new IndexDb(file);
  if (identity) fresh.setStoreId(identity.storeId);
  return fresh;
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
