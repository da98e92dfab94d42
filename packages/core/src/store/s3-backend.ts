import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { sha256Hex } from '../canonical/canonicalise.js';
import type { StoredContent } from '../capture/content-store.js';
import { ContentMismatchError, StoreError } from '../errors.js';
import type { ReadFile, StoreBackend } from './backend.js';
import { s3Location, storeCacheDirectory } from './location.js';
import { READ_CONCURRENCY, readInBatches } from './parallel-read.js';
import { spoolHashed } from './spool.js';

/** How to reach the bucket of a store on S3. */
export interface StoreAccessOptions {
  /**
   * Endpoint of an S3-protocol server holding the store (path-style addressing), apart from where AWS calls go.
   * @default `$TIDEMARK_STORE_ENDPOINT_URL`, else the SDK's own (`AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`, AWS)
   */
  readonly endpointUrl?: string;
  /** Named profile for the store's credentials. @default the standard credential chain */
  readonly profile?: string;
  /** Region the client starts from; a bucket in another region is followed. @default `$AWS_REGION`, else us-east-1 */
  readonly region?: string;
}

/** Options of an {@link S3Backend}. */
export interface S3BackendOptions extends StoreAccessOptions {
  readonly bucket: string;
  /** Key prefix of the store in the bucket: `''` or ending in `/`. @default '' */
  readonly prefix?: string;
  /** Folder for the local index. @default {@link storeCacheDirectory} of this store */
  readonly cacheDirectory?: string;
}

/** Attempts per call, adaptive-rate retries included (as for the capture clients). */
const STORE_MAX_ATTEMPTS = 8;

/** Error names S3 answers a conditional write with when the key exists or another write to it is in flight. */
const KEY_TAKEN = new Set(['PreconditionFailed', 'ConditionalRequestConflict']);

/** Error names of a key that does not exist (`GetObject`, and `HeadObject`, which has no body). */
const KEY_MISSING = new Set(['NoSuchKey', 'NotFound']);

/**
 * The store in an S3 bucket, under a key prefix, with the same keys as a local store. Records are created with
 * `If-None-Match: *` (S3 conditional writes), so of two writers racing for a key exactly one wins; blobs are
 * hashed while spooled to a temporary file, then uploaded (multipart when large) unless already present.
 *
 * @example
 * const backend = new S3Backend({ bucket: 'acme-backups', prefix: 'tidemark/' });
 * await backend.create('versions/…/0000000001.json', bytes); // false when another writer took the key
 */
export class S3Backend implements StoreBackend {
  readonly location: string;
  readonly bucket: string;
  readonly prefix: string;
  readonly cacheDirectory: string;
  readonly client: S3Client;

  constructor(options: S3BackendOptions) {
    const endpoint = options.endpointUrl ?? process.env.TIDEMARK_STORE_ENDPOINT_URL;
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? '';
    this.location = s3Location(this.bucket, this.prefix);
    this.cacheDirectory =
      options.cacheDirectory ?? storeCacheDirectory(`${endpoint ?? 'aws'} ${this.location}`);
    this.client = new S3Client({
      region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
      retryMode: 'adaptive',
      maxAttempts: STORE_MAX_ATTEMPTS,
      followRegionRedirects: true,
      forcePathStyle: Boolean(endpoint ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL),
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      ...(endpoint ? { endpoint } : {}),
      ...(options.profile ? { profile: options.profile } : {}),
    });
  }

  async read(key: string): Promise<Buffer | undefined> {
    const body = await this.#get(key);
    if (!body) return undefined;
    try {
      return Buffer.from(await body.transformToByteArray());
    } catch (error) {
      throw this.#error('read', key, error);
    }
  }

  async readStream(key: string): Promise<Readable | undefined> {
    return (await this.#get(key)) as Readable | undefined;
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.#key(key) }));
      return true;
    } catch (error) {
      if (KEY_MISSING.has(errorName(error))) return false;
      throw this.#error('read', key, error);
    }
  }

  async create(key: string, bytes: Uint8Array): Promise<boolean> {
    try {
      await this.#put(key, bytes, { IfNoneMatch: '*' });
      return true;
    } catch (error) {
      if (KEY_TAKEN.has(errorName(error))) return false;
      throw this.#error('write', key, error);
    }
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    try {
      await this.#put(key, bytes, {});
    } catch (error) {
      throw this.#error('write', key, error);
    }
  }

  /** Hashed in memory and written with one `PutObject`: no temporary file, no multipart upload. */
  async putBlobBytes(bytes: Uint8Array, keyFor: (hash: string) => string): Promise<StoredContent> {
    const hash = sha256Hex(bytes);
    const key = keyFor(hash);
    if (await this.exists(key)) return { hash, size: bytes.length, written: false };
    await this.put(key, bytes);
    return { hash, size: bytes.length, written: true };
  }

  async putBlob(
    source: Readable | AsyncIterable<Uint8Array>,
    keyFor: (hash: string) => string,
    expectedHash?: string,
  ): Promise<StoredContent> {
    const temp = path.join(tmpdir(), `tidemark-blob-${process.pid}-${randomUUID()}`);
    try {
      const { hash, size } = await spoolHashed(source, temp).catch((error: unknown) => {
        throw new StoreError(`cannot write a blob in ${this.location}`, { cause: error });
      });
      if (expectedHash && hash !== expectedHash) throw new ContentMismatchError(expectedHash, hash);
      const key = keyFor(hash);
      if (await this.exists(key)) return { hash, size, written: false };
      const upload = new Upload({
        client: this.client,
        params: {
          Bucket: this.bucket,
          Key: this.#key(key),
          Body: createReadStream(temp),
          ContentLength: size,
          ChecksumAlgorithm: 'CRC32',
        },
      });
      await upload.done().catch((error: unknown) => {
        throw this.#error('write', key, error);
      });
      return { hash, size, written: true };
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }

  /** Every key under a prefix with its bytes and sha256, read {@link READ_CONCURRENCY} at a time as listed. */
  async *readAll(prefix: string): AsyncIterable<readonly ReadFile[]> {
    const read = async (key: string) => {
      const bytes = await this.read(key);
      return bytes && { key, bytes, sha256: sha256Hex(bytes) };
    };
    for await (const batch of readInBatches(this.list(prefix), read))
      yield batch.filter((file): file is ReadFile => file !== undefined);
  }

  async *list(prefix: string, startAfter?: string): AsyncIterable<string> {
    const pages = paginateListObjectsV2(
      { client: this.client },
      {
        Bucket: this.bucket,
        Prefix: this.#key(prefix),
        ...(startAfter ? { StartAfter: this.#key(startAfter) } : {}),
      },
    );
    try {
      for await (const page of pages)
        for (const object of page.Contents ?? [])
          if (object.Key?.startsWith(this.prefix)) yield object.Key.slice(this.prefix.length);
    } catch (error) {
      throw this.#error('list', prefix, error);
    }
  }

  /** The body of a key, or undefined when it does not exist. */
  async #get(key: string) {
    try {
      const { Body } = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.#key(key) }),
      );
      return Body;
    } catch (error) {
      if (KEY_MISSING.has(errorName(error))) return undefined;
      throw this.#error('read', key, error);
    }
  }

  /**
   * One `PutObject` of a small key. The CRC32 checksum is sent because buckets with S3 Object Lock refuse
   * writes without one.
   */
  async #put(key: string, bytes: Uint8Array, condition: { IfNoneMatch?: string }): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.#key(key),
        Body: bytes,
        ChecksumAlgorithm: 'CRC32',
        ...condition,
      }),
    );
  }

  #key(key: string): string {
    return `${this.prefix}${key}`;
  }

  /** A StoreError naming the key, that says plainly when access is denied or the bucket does not exist. */
  #error(action: 'read' | 'write' | 'list', key: string, error: unknown): StoreError {
    const name = errorName(error);
    if (name === 'AccessDenied' || name === 'Forbidden')
      return new StoreError(
        `access denied to ${action} ${key} in ${this.location}: the credentials need s3:GetObject, s3:PutObject and s3:ListBucket on bucket ${this.bucket}`,
        { cause: error, key },
      );
    if (name === 'NoSuchBucket')
      return new StoreError(`the store bucket ${this.bucket} does not exist (store ${this.location})`, {
        cause: error,
        key,
      });
    return new StoreError(`cannot ${action} ${key} in ${this.location}`, { cause: error, key });
  }
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : '';
}
