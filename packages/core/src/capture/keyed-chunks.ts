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

/** Records of one range held in memory before they are appended to the range's temporary file. */
const DEFAULT_SPILL_BYTES = 16 * 1024;

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
 * Collects keyed records arriving in any order (the segments of a parallel scan) into hash ranges, spilling each
 * range to a temporary file past 16 KiB so memory stays bounded whatever the table's size; then yields chunks of
 * consecutive ranges, each sorted by key. Equal records give equal chunks on every run, and changing one record
 * changes one chunk. Call {@link KeyedChunkCollector.dispose} when done, also after a failure.
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
  readonly #held: KeyedLine[][] = Array.from({ length: HASH_RANGES }, () => []);
  readonly #heldBytes = new Uint32Array(HASH_RANGES);
  readonly #spilled = new Set<number>();
  /** Each range's appends in flight, chained so that two never write into its file at once. */
  readonly #spills = new Map<number, Promise<void>>();
  readonly #spillBytes: number;
  #folder: Promise<string> | undefined;

  /** `spillBytes`: bytes of one range held in memory before they go to its temporary file. @default 16 KiB */
  constructor(options: { readonly spillBytes?: number } = {}) {
    this.#spillBytes = options.spillBytes ?? DEFAULT_SPILL_BYTES;
  }

  /** Adds one record. Keys are expected to be unique; a repeated key is kept twice. */
  async add(key: string, line: string): Promise<void> {
    const range = rangeOf(key);
    const held = this.#held[range] as KeyedLine[];
    held.push({ key, line });
    const size = key.length + line.length + 2;
    this.bytes += line.length + 1;
    this.count += 1;
    this.#heldBytes[range] = (this.#heldBytes[range] ?? 0) + size;
    if ((this.#heldBytes[range] ?? 0) >= this.#spillBytes) await this.#spill(range);
  }

  /** The chunks of `chunkCount` (a power of two up to {@link HASH_RANGES}) that hold records, in index order. */
  async *chunks(chunkCount: number): AsyncGenerator<{ readonly index: number; readonly lines: KeyedLine[] }> {
    if (!isChunkCount(chunkCount))
      throw new RangeError(`chunk count must be a power of two up to ${HASH_RANGES}`);
    const rangesPerChunk = HASH_RANGES / chunkCount;
    for (let index = 0; index < chunkCount; index += 1) {
      const lines: KeyedLine[] = [];
      for (let range = index * rangesPerChunk; range < (index + 1) * rangesPerChunk; range += 1)
        lines.push(...(await this.#range(range)));
      if (lines.length > 0) yield { index, lines: sortByKey(lines) };
    }
  }

  /** Removes the temporary files. */
  async dispose(): Promise<void> {
    await Promise.allSettled(this.#spills.values());
    const folder = this.#folder;
    this.#folder = undefined;
    if (folder) await rm(await folder, { recursive: true, force: true });
  }

  async #spill(range: number): Promise<void> {
    const held = this.#held[range] as KeyedLine[];
    this.#held[range] = [];
    this.#heldBytes[range] = 0;
    this.#spilled.add(range);
    this.#folder ??= mkdtemp(path.join(tmpdir(), 'tidemark-chunks-'));
    const folder = this.#folder;
    // A key is canonical JSON, which never holds a raw tab or newline: both separate safely.
    const text = held.map(({ key, line }) => `${key}\t${line}\n`).join('');
    const append = (this.#spills.get(range) ?? Promise.resolve()).then(async () =>
      appendFile(path.join(await folder, String(range)), text),
    );
    this.#spills.set(range, append);
    await append;
  }

  async #range(range: number): Promise<KeyedLine[]> {
    await this.#spills.get(range);
    const held = this.#held[range] as KeyedLine[];
    if (!this.#spilled.has(range) || !this.#folder) return held;
    const text = await readFile(path.join(await this.#folder, String(range)), 'utf8');
    const spilled = text
      .split('\n')
      .filter((entry) => entry !== '')
      .map((entry) => {
        const tab = entry.indexOf('\t');
        return { key: entry.slice(0, tab), line: entry.slice(tab + 1) };
      });
    return [...spilled, ...held];
  }
}
