import type { Readable } from 'node:stream';
import type { StoredContent } from '../capture/content-store.js';

/**
 * Where the store's keys live. Every write is all-or-nothing: a reader never sees a half-written key.
 * A local folder is one backend; an S3 bucket is another, with the same keys.
 */
export interface StoreBackend {
  /** Where the store is, for messages (`/path/to/store`, `s3://bucket/prefix`). */
  readonly location: string;
  /** The S3 bucket holding the store, when it lives in one: Tidemark never captures its objects. */
  readonly bucket?: string;
  /** The key's bytes, or undefined when it does not exist. */
  read(key: string): Promise<Buffer | undefined>;
  /** The key's bytes as a stream, or undefined when it does not exist. */
  readStream(key: string): Promise<Readable | undefined>;
  exists(key: string): Promise<boolean>;
  /**
   * Creates a key that must not exist yet, durably. Resolves false, changing nothing, when it already exists:
   * the primitive that lets concurrent writers append to a chain without losing each other's versions.
   */
  create(key: string, bytes: Uint8Array): Promise<boolean>;
  /**
   * Writes a small mutable key (a checkpoint), replacing what was there, all-or-nothing. Never used for
   * versions, baselines or blobs, which are immutable.
   */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /**
   * Streams content into the blob whose key `keyFor` derives from its sha256, hashing as it goes.
   * Identical content already stored is not written again. With `expectedHash`, other content is rejected.
   */
  putBlob(
    source: Readable | AsyncIterable<Uint8Array>,
    keyFor: (hash: string) => string,
    expectedHash?: string,
  ): Promise<StoredContent>;
  /**
   * Stores bytes already in memory (canonical documents) as the blob `keyFor` derives from their sha256;
   * identical content already stored is not written again.
   */
  putBlobBytes(bytes: Uint8Array, keyFor: (hash: string) => string): Promise<StoredContent>;
  /** Keys under a prefix, in lexical order; with `startAfter`, only the keys that sort after it. */
  list(prefix: string, startAfter?: string): AsyncIterable<string>;
  /**
   * Every key under a folder prefix (`versions/`) with its bytes and their sha256, in batches in key order: how a
   * whole store is read (a folder's files on a reader thread, a bucket's keys many GETs at a time). A key that
   * disappears meanwhile is left out.
   */
  readAll(prefix: string): AsyncIterable<readonly ReadFile[]>;
  /** A local folder where caches (the SQLite index) may be kept. */
  readonly cacheDirectory: string;
}

/**
 * A key of the store read in bulk: the key, its bytes and their sha256. The bytes are valid until the next batch
 * is asked for (a backend may reuse the buffer that holds them).
 */
export interface ReadFile {
  readonly key: string;
  readonly bytes: Buffer;
  readonly sha256: string;
}
