import {
  canonicalKey,
  compareKeys,
  type Item,
  itemSize,
  keyOf,
  partitionHash,
  type SizedItem,
  type TableKey,
} from './attribute-values.js';

/**
 * Items computed on demand from their index, so that a table of a million items holds none of them: the same item
 * for the same index on every call.
 */
export interface ItemSource {
  readonly count: number;
  /** The sum of the items' sizes, as DynamoDB counts them. */
  readonly bytes: number;
  /** The key attributes of item `index`. */
  key(index: number): Item;
  /** The whole item `index`, and its size. */
  item(index: number): SizedItem;
  /** The index of the generated item with this key, or `undefined` when no generated item has it. */
  index(key: Item): number | undefined;
}

/** Where a scan starts and stops: after a key (exclusive), within a range of partition hashes. */
export interface ScanRange {
  readonly after?: Item;
  /** The first partition hash of the segment. */
  readonly low: number;
  /** The first partition hash past the segment (up to 2^32). */
  readonly high: number;
}

/** Up to 2^21 generated items: a sort key of the hash (32 bits) and the index fits a double exactly. */
const INDEX_BITS = 21;
const MAX_GENERATED = 2 ** INDEX_BITS;

interface OverlayEntry extends SizedItem {
  readonly hash: number;
  readonly key: Item;
}

/**
 * The items of a table: a generated base ({@link ItemSource}) under an overlay of items written since and a set of
 * keys deleted since. Scans walk the items in one fixed order, by partition hash as DynamoDB lays out a table, the
 * overlay merged into the generated items; the generated items' order is computed once, on the first scan, as an
 * array of indices (4 bytes per item), never as items.
 */
export class TableItems {
  readonly #key: TableKey;
  readonly #source: ItemSource;
  readonly #overlay = new Map<string, OverlayEntry>();
  readonly #deleted = new Set<string>();
  #count: number;
  #bytes: number;
  /** Generated indices in scan order, and each one's partition hash. */
  #order?: { readonly indices: Uint32Array; readonly hashes: Uint32Array };
  #overlayOrder?: OverlayEntry[];

  constructor(key: TableKey, source: ItemSource) {
    if (source.count > MAX_GENERATED) {
      throw new RangeError(
        `a table holds at most ${MAX_GENERATED} generated items, received ${source.count}`,
      );
    }
    this.#key = key;
    this.#source = source;
    this.#count = source.count;
    this.#bytes = source.bytes;
  }

  /** How many items the table holds. */
  get count(): number {
    return this.#count;
  }

  /** The sum of the items' sizes. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The item with this key (a copy), or `undefined`. */
  get(key: Item): Item | undefined {
    const canonical = canonicalKey(key, this.#key);
    const written = this.#overlay.get(canonical);
    if (written) return structuredClone(written.item);
    if (this.#deleted.has(canonical)) return undefined;
    const index = this.#source.index(key);
    return index === undefined ? undefined : this.#source.item(index).item;
  }

  /** Writes an item, replacing any with the same key; throws when it lacks a key attribute. */
  put(item: Item): void {
    const key = keyOf(item, this.#key);
    if (!key) throw new Error(`the item lacks the key attributes ${JSON.stringify(this.#key)}`);
    this.#forget(key);
    const entry = {
      hash: partitionHash(key, this.#key),
      key,
      item: structuredClone(item),
      size: itemSize(item),
    };
    this.#overlay.set(canonicalKey(key, this.#key), entry);
    this.#count++;
    this.#bytes += entry.size;
    this.#overlayOrder = undefined;
  }

  /** Deletes the item with this key; returns it, or `undefined` when there was none. */
  delete(key: Item): Item | undefined {
    const removed = this.#forget(key);
    if (removed && this.#source.index(key) !== undefined) this.#deleted.add(canonicalKey(key, this.#key));
    return removed;
  }

  /** The items of a range in scan order with their sizes, lazily: only those read are ever built. */
  *scan(range: ScanRange): Generator<SizedItem> {
    const generated = this.#generatedFrom(range);
    const written = this.#writtenFrom(range);
    let nextGenerated = generated.next();
    let nextWritten = written.next();
    for (;;) {
      const fromGenerated = nextGenerated.done ? undefined : nextGenerated.value;
      const fromWritten = nextWritten.done ? undefined : nextWritten.value;
      if (!fromGenerated && !fromWritten) return;
      const generatedFirst =
        fromGenerated !== undefined &&
        (fromWritten === undefined ||
          compareKeys(fromGenerated.key, fromGenerated.hash, fromWritten.key, fromWritten.hash, this.#key) <
            0);
      if (generatedFirst) {
        yield this.#source.item(fromGenerated.index);
        nextGenerated = generated.next();
      } else if (fromWritten) {
        yield { item: structuredClone(fromWritten.item), size: fromWritten.size };
        nextWritten = written.next();
      }
    }
  }

  /** Removes a key from the overlay and the live counts; returns the item it held. */
  #forget(key: Item): Item | undefined {
    const previous = this.get(key);
    if (!previous) return undefined;
    const canonical = canonicalKey(key, this.#key);
    if (this.#overlay.delete(canonical)) this.#overlayOrder = undefined;
    this.#count--;
    this.#bytes -= itemSize(previous);
    return previous;
  }

  /** Generated items of the range not since overwritten or deleted, with their keys and hashes. */
  *#generatedFrom(range: ScanRange): Generator<{ index: number; key: Item; hash: number }> {
    const { indices, hashes } = this.#generatedOrder();
    const source = this.#source;
    let position = this.#lowerBound(indices.length, range, (i) => ({
      hash: hashes[i] as number,
      key: source.key(indices[i] as number),
    }));
    const shadowed = this.#overlay.size > 0 || this.#deleted.size > 0;
    for (; position < indices.length; position++) {
      const hash = hashes[position] as number;
      if (hash >= range.high) return;
      const index = indices[position] as number;
      const key = source.key(index);
      const canonical = shadowed ? canonicalKey(key, this.#key) : '';
      if (shadowed && (this.#overlay.has(canonical) || this.#deleted.has(canonical))) continue;
      yield { index, key, hash };
    }
  }

  *#writtenFrom(range: ScanRange): Generator<OverlayEntry> {
    this.#overlayOrder ??= [...this.#overlay.values()].sort((a, b) =>
      compareKeys(a.key, a.hash, b.key, b.hash, this.#key),
    );
    const entries = this.#overlayOrder;
    for (
      let i = this.#lowerBound(entries.length, range, (j) => entries[j] as OverlayEntry);
      i < entries.length;
      i++
    ) {
      const entry = entries[i] as OverlayEntry;
      if (entry.hash >= range.high) return;
      yield entry;
    }
  }

  /** The first position of an ordered sequence inside the range: at or after `low`, strictly after `after`. */
  #lowerBound(length: number, range: ScanRange, at: (i: number) => { hash: number; key: Item }): number {
    const afterHash = range.after ? partitionHash(range.after, this.#key) : undefined;
    let low = 0;
    let high = length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const entry = at(middle);
      const before =
        entry.hash < range.low ||
        (range.after !== undefined &&
          afterHash !== undefined &&
          compareKeys(entry.key, entry.hash, range.after, afterHash, this.#key) <= 0);
      if (before) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /**
   * The generated indices sorted by scan order: by hash through one numeric sort of `hash * 2^21 + index`, then
   * each run of equal hashes (rare, or one partition's items) put in key order.
   */
  #generatedOrder(): { readonly indices: Uint32Array; readonly hashes: Uint32Array } {
    if (this.#order) return this.#order;
    const source = this.#source;
    const n = source.count;
    const sortKeys = new Float64Array(n);
    for (let i = 0; i < n; i++) sortKeys[i] = partitionHash(source.key(i), this.#key) * MAX_GENERATED + i;
    sortKeys.sort();
    const indices = new Uint32Array(n);
    const hashes = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const value = sortKeys[i] as number;
      indices[i] = value % MAX_GENERATED;
      hashes[i] = Math.floor(value / MAX_GENERATED);
    }
    for (let start = 0; start < n; ) {
      let end = start + 1;
      while (end < n && hashes[end] === hashes[start]) end++;
      if (end - start > 1) {
        const run = [...indices.subarray(start, end)].sort((a, b) =>
          compareKeys(source.key(a), 0, source.key(b), 0, this.#key),
        );
        indices.set(run, start);
      }
      start = end;
    }
    this.#order = { indices, hashes };
    return this.#order;
  }
}
