import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** A DynamoDB item (or key): attribute names to `AttributeValue`s, as the SDK carries them. */
export type Item = Record<string, AttributeValue>;

/** An item with its size as {@link itemSize} counts it, so that scans of generated items count it only once. */
export interface SizedItem {
  readonly item: Item;
  readonly size: number;
}

/** The scalar types a key attribute can have. */
export type KeyType = 'S' | 'N' | 'B';

/** One key attribute of a table or index. */
export interface KeyAttribute {
  readonly name: string;
  readonly type: KeyType;
}

/** A table's primary key: a partition key, and a sort key for composite keys. */
export interface TableKey {
  readonly partition: KeyAttribute;
  readonly sort?: KeyAttribute;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Overhead of a map or list, and of each of its elements, in DynamoDB's item size arithmetic. */
const DOCUMENT_OVERHEAD = 3;
const ELEMENT_OVERHEAD = 1;

/**
 * The size DynamoDB counts for an item (for the 1 MB page of `Scan`, the 400 KB item limit, `TableSizeBytes`): each
 * attribute's UTF-8 name length plus its value's size. Strings count their UTF-8 bytes, binaries their bytes,
 * numbers about one byte per two significant digits plus one, booleans and nulls one byte, maps and lists three
 * bytes plus one per element.
 */
export function itemSize(item: Item): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += Buffer.byteLength(name) + valueSize(value);
  return size;
}

function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return value.B.length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((sum, s) => sum + Buffer.byteLength(s), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, n) => sum + numberSize(n), 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, b) => sum + b.length, 0);
  if (value.L !== undefined) {
    return value.L.reduce((sum, element) => sum + valueSize(element) + ELEMENT_OVERHEAD, DOCUMENT_OVERHEAD);
  }
  if (value.M !== undefined) {
    return Object.entries(value.M).reduce(
      (sum, [name, element]) => sum + Buffer.byteLength(name) + valueSize(element) + ELEMENT_OVERHEAD,
      DOCUMENT_OVERHEAD,
    );
  }
  return 0;
}

function numberSize(n: string): number {
  const digits = n.replace(/^[-+]?0*|[.eE].*$|\./g, '').length;
  return Math.ceil(Math.max(digits, 1) / 2) + 1;
}

/** The type of a key attribute's value, or `undefined` when it is not a scalar key type. */
export function keyTypeOf(value: AttributeValue | undefined): KeyType | undefined {
  if (value?.S !== undefined) return 'S';
  if (value?.N !== undefined) return 'N';
  if (value?.B !== undefined) return 'B';
  return undefined;
}

/** Whether `key` holds exactly the table's key attributes, each of its declared type. */
export function matchesKey(key: Item, tableKey: TableKey): boolean {
  const names = Object.keys(key);
  const expected = tableKey.sort ? 2 : 1;
  return (
    names.length === expected &&
    keyTypeOf(key[tableKey.partition.name]) === tableKey.partition.type &&
    (!tableKey.sort || keyTypeOf(key[tableKey.sort.name]) === tableKey.sort.type)
  );
}

/** The key attributes of an item (a copy), or `undefined` when the item lacks one or has the wrong type. */
export function keyOf(item: Item, tableKey: TableKey): Item | undefined {
  const attributes = tableKey.sort ? [tableKey.partition, tableKey.sort] : [tableKey.partition];
  const key: Item = {};
  for (const attribute of attributes) {
    const value = item[attribute.name];
    if (keyTypeOf(value) !== attribute.type || value === undefined) return undefined;
    key[attribute.name] = structuredClone(value);
  }
  return key;
}

/** The bytes DynamoDB hashes and sorts a scalar key value by: UTF-8 of a string or number, a binary's own bytes. */
function keyBytes(value: AttributeValue | undefined): Buffer {
  if (value === undefined) return Buffer.alloc(0);
  if (value.B !== undefined) return Buffer.from(value.B.buffer, value.B.byteOffset, value.B.length);
  return Buffer.from(value.S ?? value.N ?? '', 'utf8');
}

/** One string naming a key, for maps and sets: the same for equal keys, different for different ones. */
export function canonicalKey(key: Item, tableKey: TableKey): string {
  const partition = keyBytes(key[tableKey.partition.name]).toString('base64');
  if (!tableKey.sort) return partition;
  return `${partition}/${keyBytes(key[tableKey.sort.name]).toString('base64')}`;
}

/**
 * The 32-bit hash of a partition key that places its items in the scan order and in the segments of a scan:
 * FNV-1a over the value (a string's or number's UTF-16 code units, a binary's bytes) with murmur3's finaliser, so
 * that keys spread evenly over the hash space. Computed in JavaScript, as the first scan of a large table hashes
 * every generated key.
 */
export function partitionHash(key: Item, tableKey: TableKey): number {
  const value = key[tableKey.partition.name];
  let hash = FNV_OFFSET;
  if (value?.B !== undefined) {
    for (const byte of value.B) hash = Math.imul(hash ^ byte, FNV_PRIME);
  } else {
    const text = value?.S ?? value?.N ?? '';
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  }
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

/**
 * The scan order of two keys of one table: by partition hash (the position of the partition in the table's key
 * space), then by partition key value, then by sort key as DynamoDB orders a partition's items (numbers by value,
 * strings and binaries by their bytes).
 */
export function compareKeys(a: Item, hashA: number, b: Item, hashB: number, tableKey: TableKey): number {
  if (hashA !== hashB) return hashA < hashB ? -1 : 1;
  const partition = compareValues(a[tableKey.partition.name], b[tableKey.partition.name]);
  if (partition !== 0 || !tableKey.sort) return partition;
  return compareValues(a[tableKey.sort.name], b[tableKey.sort.name]);
}

function compareValues(a: AttributeValue | undefined, b: AttributeValue | undefined): number {
  if (a?.N !== undefined && b?.N !== undefined) return Math.sign(Number(a.N) - Number(b.N));
  return Buffer.compare(keyBytes(a), keyBytes(b));
}

/**
 * A key as CloudTrail writes it in a data event's `requestParameters.key`: attribute names to plain values (a
 * string, a number's digits, a binary in base64).
 */
export function plainKey(key: Item): Record<string, string> {
  return Object.fromEntries(
    Object.entries(key).map(([name, value]) => [
      name,
      value.B === undefined ? (value.S ?? value.N ?? '') : Buffer.from(value.B).toString('base64'),
    ]),
  );
}
