import { createHash } from 'node:crypto';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * How finely records are spread while they are collected: 4,096 ranges of key hash. A chunk is a run of
 * consecutive ranges, so chunks of any power-of-two count up to this are made from the same collection.
 */
export const HASH_RANGES = 4096;
const RANGE_BITS = 12;

/**
 * Spill files: records are spread over buckets of consecutive hash ranges while they are collected, each bucket
 * appended to its own temporary file; a bucket is later read back alone, so memory holds one bucket at a time. There
 * are enough buckets for about 2 MiB of records each (64 at least, 4,096 at most).
 */
const MIN_BUCKETS = 64;
const BUCKET_TARGET_BYTES = 2 * 1024 * 1024;

/** Text of records held in memory, all buckets together, before they are appended to the buckets' files. */
const HELD_BYTES = 16 * 1024 * 1024;

/** One record: its key (which orders it and places it in a chunk) and its serialised line, without newline. */
export interface KeyedLine {
  readonly key: string;
  readonly line: string;
}

/**
 * The hash range of a key (0 to {@link HASH_RANGES} - 1): the first 12 bits of its sha256. A key's range never
 * changes, so the same record always lands in the same chunk, whatever else the collection holds.
 */
export function rangeOf(key: string): number {
  const digest = createHash('sha256').update(key).digest();
  return ((digest[0] ?? 0) << 4) | ((digest[1] ?? 0) >> 4);
}

/** The chunk (of `chunkCount`, a power of two up to {@link HASH_RANGES}) holding a key. */
export function chunkOf(key: string, chunkCount: number): number {
  return rangeOf(key) >> (RANGE_BITS - Math.log2(chunkCount));
}

/**
 * The chunk count for `bytes` of records at about `targetBytes` a chunk: a power of two from 1 to
 * {@link HASH_RANGES}. The count of the previous capture is kept while it stays within a factor of four of that,
 * so a table that grows or shrinks a little keeps its chunks (and its unchanged chunks stay stored once).
 */
export function chooseChunkCount(bytes: number, targetBytes: number, previous?: number): number {
  const ideal = 2 ** Math.ceil(Math.log2(Math.max(1, bytes / targetBytes)));
  const wanted = Math.min(HASH_RANGES, ideal);
  if (previous !== undefined && isChunkCount(previous) && previous * 4 >= wanted && previous <= wanted * 4)
    return previous;
  return wanted;
}

/** Whether a number can be a chunk count: a power of two from 1 to {@link HASH_RANGES}. */
export function isChunkCount(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= 1 &&
    value <= HASH_RANGES &&
    (value & (value - 1)) === 0
  );
}

/** Lines in ascending order of their keys (UTF-16 code units, the same on every machine). */
export function sortByKey(lines: KeyedLine[]): KeyedLine[] {
  return lines.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * Collects keyed records arriving in any order (the segments of a parallel scan) into buckets of key hash, appending
 * each bucket to a temporary file as records accumulate, so memory stays bounded whatever the table's size; then
 * yields chunks of consecutive hash ranges, each sorted by key, reading one bucket at a time. Equal records give equal
 * chunks on every run, and changing one record changes one chunk. Call {@link KeyedChunkCollector.dispose} when done,
 * also after a failure.
 *
 * @example
 * const collector = new KeyedChunkCollector();
 * for (const item of items) await collector.add(keyOf(item), JSON.stringify(item));
 * for await (const { index, lines } of collector.chunks(chooseChunkCount(collector.bytes, 1 << 20))) store(lines);
 * await collector.dispose();
 */
export class KeyedChunkCollector {
  /** Bytes of lines collected (UTF-16 length, close to UTF-8 for ASCII records). */
  bytes = 0;
  count = 0;
  readonly #buckets: number;
  /** Each bucket's records not yet in its file, as the text appended to it. */
  readonly #held: string[];
  readonly #spilled = new Set<number>();
  /** Each bucket's appends in flight, chained so that two never write into its file at once. */
  readonly #spills = new Map<number, Promise<void>>();
  readonly #spillBytes: number;
  #folder: Promise<string> | undefined;

  /**
   * `expectedBytes`: about how much will be collected (a table's reported size), which sets the number of buckets.
   * `spillBytes`: text of one bucket held in memory before it goes to its file. @default 16 MiB over the buckets
   */
  constructor(options: { readonly expectedBytes?: number; readonly spillBytes?: number } = {}) {
    const wanted = 2 ** Math.ceil(Math.log2(Math.max(1, (options.expectedBytes ?? 0) / BUCKET_TARGET_BYTES)));
    this.#buckets = Math.min(HASH_RANGES, Math.max(MIN_BUCKETS, wanted));
    this.#held = Array.from({ length: this.#buckets }, () => '');
    this.#spillBytes = options.spillBytes ?? HELD_BYTES / this.#buckets;
  }

  /** Adds one record. Keys are expected to be unique; a repeated key is kept twice. */
  async add(key: string, line: string): Promise<void> {
    const bucket = Math.floor(rangeOf(key) / (HASH_RANGES / this.#buckets));
    // A key is canonical JSON, which never holds a raw tab or newline: both separate safely.
    const held = `${this.#held[bucket] ?? ''}${key}\t${line}\n`;
    this.#held[bucket] = held;
    this.bytes += line.length + 1;
    this.count += 1;
    if (held.length >= this.#spillBytes) await this.#spill(bucket);
  }

  /** The chunks of `chunkCount` (a power of two up to {@link HASH_RANGES}) that hold records, in index order. */
  async *chunks(chunkCount: number): AsyncGenerator<{ readonly index: number; readonly lines: KeyedLine[] }> {
    if (!isChunkCount(chunkCount))
      throw new RangeError(`chunk count must be a power of two up to ${HASH_RANGES}`);
    const bucketsPerChunk = Math.max(1, this.#buckets / chunkCount);
    for (let first = 0; first < this.#buckets; first += bucketsPerChunk) {
      const byChunk = new Map<number, KeyedLine[]>();
      for (let bucket = first; bucket < first + bucketsPerChunk; bucket += 1)
        for (const line of await this.#bucket(bucket)) {
          const index = chunkOf(line.key, chunkCount);
          const lines = byChunk.get(index) ?? [];
          lines.push(line);
          byChunk.set(index, lines);
        }
      for (const index of [...byChunk.keys()].sort((a, b) => a - b))
        yield { index, lines: sortByKey(byChunk.get(index) as KeyedLine[]) };
    }
  }

  /** Removes the temporary files. */
  async dispose(): Promise<void> {
    await Promise.allSettled(this.#spills.values());
    const folder = this.#folder;
    this.#folder = undefined;
    if (folder) await rm(await folder, { recursive: true, force: true });
  }

  async #spill(bucket: number): Promise<void> {
    const text = this.#held[bucket] ?? '';
    this.#held[bucket] = '';
    this.#spilled.add(bucket);
    this.#folder ??= mkdtemp(path.join(tmpdir(), 'tidemark-chunks-'));
    const folder = this.#folder;
    const append = (this.#spills.get(bucket) ?? Promise.resolve()).then(async () =>
      appendFile(path.join(await folder, String(bucket)), text),
    );
    this.#spills.set(bucket, append);
    await append;
  }

  /** A bucket's records: its file's and those still held. */
  async #bucket(bucket: number): Promise<KeyedLine[]> {
    await this.#spills.get(bucket);
    const spilled =
      this.#spilled.has(bucket) && this.#folder
        ? await readFile(path.join(await this.#folder, String(bucket)), 'utf8')
        : '';
    return `${spilled}${this.#held[bucket] ?? ''}`
      .split('\n')
      .filter((entry) => entry !== '')
      .map((entry) => {
        const tab = entry.indexOf('\t');
        return { key: entry.slice(0, tab), line: entry.slice(tab + 1) };
      });
  }
}
