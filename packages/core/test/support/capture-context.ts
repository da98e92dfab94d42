import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import pLimit, { type LimitFunction } from 'p-limit';
import { AwsClients } from '../../src/aws/clients.js';
import type { ContentStore, StoredContent } from '../../src/capture/content-store.js';
import type {
  CaptureContext,
  CaptureCounters,
  ObjectSelection,
  TableItemSettings,
} from '../../src/capture/context.js';
import { DEFAULT_PART_SIZE, DEFAULT_TABLE_ITEM_LIMIT_BYTES } from '../../src/constants.js';
import { endpointRegion } from '../../src/resources/service.js';
import type { Described } from '../../src/types/resource.js';

/** Content whose sha256 is not the one its source promised. */
export class FakeContentMismatchError extends Error {
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`content hashes to ${actual}, expected ${expected}`);
    this.name = 'ContentMismatchError';
  }
}

/**
 * An in-memory content store for tests: hashes while it consumes a stream, deduplicates by hash, rejects
 * content that does not match `expectedHash`, and counts what it was asked to store.
 */
export class MemoryContentStore implements ContentStore {
  readonly blobs = new Map<string, Buffer>();
  /** Every `putStream` / `putBytes` call, in order. */
  readonly puts: StoredContent[] = [];

  constructor(private readonly counters?: CaptureCounters) {}

  async has(hash: string): Promise<boolean> {
    return this.blobs.has(hash);
  }

  async putStream(
    source: Readable | AsyncIterable<Uint8Array>,
    options: { expectedHash?: string } = {},
  ): Promise<StoredContent> {
    const hash = createHash('sha256');
    const chunks: Buffer[] = [];
    for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
      hash.update(bytes);
      chunks.push(bytes);
    }
    const digest = hash.digest('hex');
    if (options.expectedHash !== undefined && options.expectedHash !== digest) {
      throw new FakeContentMismatchError(options.expectedHash, digest);
    }
    return this.#keep(digest, Buffer.concat(chunks));
  }

  async putBytes(bytes: Uint8Array): Promise<StoredContent> {
    return this.#keep(createHash('sha256').update(bytes).digest('hex'), Buffer.from(bytes));
  }

  async read(hash: string): Promise<Readable> {
    const bytes = this.blobs.get(hash);
    if (!bytes) throw new Error(`blob ${hash} is not stored`);
    return Readable.from([bytes]);
  }

  /** Stores content directly (arrange step of a test). */
  seed(bytes: Uint8Array): string {
    const digest = createHash('sha256').update(bytes).digest('hex');
    this.blobs.set(digest, Buffer.from(bytes));
    return digest;
  }

  #keep(digest: string, bytes: Buffer): StoredContent {
    const written = !this.blobs.has(digest);
    if (written) this.blobs.set(digest, bytes);
    if (this.counters) {
      if (written) this.counters.bytesStored += bytes.length;
      else this.counters.bytesDeduplicated += bytes.length;
    }
    const stored = { hash: digest, size: bytes.length, written };
    this.puts.push(stored);
    return stored;
  }
}

/** A capture context whose content store is a {@link MemoryContentStore}. */
export interface TestCaptureContext extends CaptureContext {
  readonly content: MemoryContentStore;
}

/** Overrides for {@link createCaptureContext}. */
export interface TestContextOptions {
  readonly account?: string;
  readonly objects?: ObjectSelection;
  readonly partSize?: number;
  readonly concurrency?: number;
  /** @default us-east-1 */
  readonly homeRegion?: string;
  readonly tableItems?: Partial<TableItemSettings>;
  readonly lightsailSnapshots?: boolean;
}

/**
 * A capture context for tests: real `AwsClients` (mock them with `aws-sdk-client-mock`), one `p-limit`
 * limiter per service (no rate limit), an in-memory content store and zeroed counters.
 *
 * @example
 * const ctx = createCaptureContext({ partSize: 5 });
 * await s3Object.describe(ctx, 'bucket/key', 'eu-west-1');
 */
export function createCaptureContext(options: TestContextOptions = {}): TestCaptureContext {
  const counters: CaptureCounters = { bytesDownloaded: 0, bytesStored: 0, bytesDeduplicated: 0 };
  const limits = new Map<string, LimitFunction>();
  const limitOf = (name: string) => {
    let limit = limits.get(name);
    if (!limit) {
      limit = pLimit(options.concurrency ?? 4);
      limits.set(name, limit);
    }
    return limit;
  };
  const clients = new AwsClients();
  const homeRegion = options.homeRegion ?? 'us-east-1';
  return {
    account: options.account ?? '123456789012',
    homeRegion,
    clients,
    client: (service, region) => clients.client(service.client, endpointRegion(service, region, homeRegion)),
    content: new MemoryContentStore(counters),
    limit: (service) => (fn) => limitOf(service.name)(() => fn()),
    downloads: (fn) => limitOf('downloads')(() => fn()),
    objects: options.objects ?? {},
    partSize: options.partSize ?? DEFAULT_PART_SIZE,
    counters,
    tableItems: { maxBytes: DEFAULT_TABLE_ITEM_LIMIT_BYTES, ...options.tableItems },
    lightsailSnapshots: options.lightsailSnapshots ?? false,
  };
}

/** A describe result that found the resource, or an error saying what it was instead. */
export function found(described: Described): Extract<Described, { status: 'found' }> {
  if (described.status !== 'found') throw new Error(`expected found, got ${described.status}`);
  return described;
}

/** Collects an async iterable into an array. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of items) result.push(item);
  return result;
}
