import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { canonicalJson, sha256Hex } from '../canonical/canonicalise.js';
import type { ContentStore, StoredContent } from '../capture/content-store.js';
import { InputError, StoreError } from '../errors.js';
import type { Json, JsonObject } from '../types/json.js';
import type { ResourceRef } from '../types/resource.js';
import type { StoreBackend } from './backend.js';
import { IndexDb } from './index-db.js';
import {
  baselineKey,
  blobKey,
  checkpointKey,
  StoreLayout,
  seqOfKey,
  versionKey,
  versionPrefix,
} from './layout.js';
import { LocalBackend } from './local-backend.js';
import {
  type BaselineManifest,
  type BaselineSummary,
  baselineManifestSchema,
  type Hashed,
  type VersionRecord,
  versionRecordSchema,
} from './records.js';

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

/** Options to open a store. */
export interface OpenStoreOptions {
  /** Folder for the SQLite index. @default the store folder */
  readonly cacheDirectory?: string;
}

/**
 * The versioned store: content-addressed blobs, per-resource hash chains of version records, and a chain of
 * baselines, over a backend (a local folder today). The SQLite index is a cache of it.
 *
 * @example
 * const store = await VersionStore.open('.tidemark/store');
 * const { appended } = await store.append(draft);
 */
export class VersionStore {
  readonly backend: StoreBackend;
  readonly index: IndexDb;
  /** Blob storage for capture, content-addressed and deduplicated. */
  readonly content: ContentStore;

  private constructor(backend: StoreBackend, index: IndexDb) {
    this.backend = backend;
    this.index = index;
    this.content = {
      has: (hash) => backend.exists(blobKey(hash)),
      putStream: (source, options) => backend.putBlob(source, blobKey, options?.expectedHash),
      putBytes: (bytes) => backend.putBlob(Readable.from([bytes]), blobKey),
    };
  }

  /**
   * Opens the store at `location` (a folder, created when missing). An index that is missing is rebuilt from
   * the store before the store is used.
   */
  static async open(location: string, options: OpenStoreOptions = {}): Promise<VersionStore> {
    if (/^[a-z0-9]+:\/\//i.test(location))
      throw new InputError(`store ${location}: only local folders are supported in this version`);
    const backend = new LocalBackend(location);
    const indexFile = IndexDb.fileIn(options.cacheDirectory ?? backend.cacheDirectory);
    const { mkdir } = await import('node:fs/promises');
    await mkdir(backend.location, { recursive: true });
    const fresh = !existsSync(indexFile);
    const store = new VersionStore(backend, new IndexDb(indexFile));
    if (fresh) await store.rebuildIndex();
    return store;
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
      );
      if (version) {
        this.index.addVersions([version]);
        return { appended: true, version };
      }
      latest = await this.#latestFromStore(draft.resource);
    }
    throw new StoreError(
      `could not append to ${draft.resource.type} ${draft.resource.id}: too much contention`,
    );
  }

  /**
   * Creates the record that follows `last` in its chain (next seq, `prev` = its hash), if that key is still
   * free. Undefined when another writer took it first.
   */
  async #createNext<T extends { seq: number; prev: string | null }>(
    keyFor: (seq: number) => string,
    fields: Omit<T, 'seq' | 'prev'>,
    last: Hashed<{ seq: number }> | undefined,
  ): Promise<Hashed<T> | undefined> {
    const record = { ...fields, seq: (last?.record.seq ?? 0) + 1, prev: last?.hash ?? null } as T;
    const bytes = Buffer.from(canonicalJson(record as unknown as Json), 'utf8');
    if (!(await this.backend.create(keyFor(record.seq), bytes))) return undefined;
    return { hash: sha256Hex(bytes), record };
  }

  /** Reads a resource's chain from the store itself, indexes it, and returns its latest version. */
  async #latestFromStore(ref: ResourceRef): Promise<Hashed<VersionRecord> | undefined> {
    const versions: Hashed<VersionRecord>[] = [];
    for await (const key of this.backend.list(versionPrefix(ref))) versions.push(await this.readVersion(key));
    this.index.addVersions(versions);
    return versions.at(-1);
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

  /** Reads and validates one version record. */
  async readVersion(key: string): Promise<Hashed<VersionRecord>> {
    return this.#readRecord(key, (value) => versionRecordSchema.parse(value));
  }

  async readBaseline(key: string): Promise<Hashed<BaselineManifest>> {
    return this.#readRecord(key, (value) => baselineManifestSchema.parse(value));
  }

  async #readRecord<T>(key: string, parse: (value: unknown) => T): Promise<Hashed<T>> {
    const bytes = await this.backend.read(key);
    if (!bytes) throw new StoreError(`${key} is missing from ${this.backend.location}`, { key });
    try {
      return { hash: sha256Hex(bytes), record: parse(JSON.parse(bytes.toString('utf8'))) };
    } catch (error) {
      throw new StoreError(`${key} in ${this.backend.location} is not a valid record`, { cause: error, key });
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
      );
      if (hashed) {
        this.index.addBaseline(hashed);
        return hashed;
      }
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

  /** Empties the index and rebuilds it from the store alone. */
  async rebuildIndex(): Promise<{ versions: number; baselines: number }> {
    this.index.clear();
    let batch: Hashed<VersionRecord>[] = [];
    let versions = 0;
    for await (const key of this.backend.list(StoreLayout.VERSIONS)) {
      batch.push(await this.readVersion(key));
      if (batch.length >= 10_000) {
        this.index.addVersions(batch);
        versions += batch.length;
        batch = [];
      }
    }
    this.index.addVersions(batch);
    versions += batch.length;
    await this.#indexNewBaselines();
    return { versions, baselines: this.baselines().length };
  }
}

/** Whether a draft describes the same state as a stored version (ignoring when and why it was seen). */
function sameState(stored: VersionRecord, draft: VersionDraft): boolean {
  return (
    stored.deleted === draft.deleted &&
    stored.document === draft.document &&
    canonicalJson(stored.blobs) === canonicalJson(draft.blobs)
  );
}
