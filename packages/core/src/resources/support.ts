import type { CallLimit } from '../capture/call-limits.js';
import type { Json, JsonObject } from '../types/json.js';

/**
 * Turns an SDK response (or any plain value) into JSON: `Date` becomes an ISO string, bytes become base64,
 * `undefined` fields and the SDK's `$metadata` are dropped. Returns `undefined` for `undefined`.
 *
 * @example
 * toJson({ LastModified: new Date(0), $metadata: {} }); // { LastModified: '1970-01-01T00:00:00.000Z' }
 */
export function toJson(value: unknown): Json | undefined {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value === null) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map((item) => toJson(item) ?? null);
  if (typeof value === 'object') return toJsonObject(value);
  return undefined;
}

/** {@link toJson} for an object: always returns an object. */
export function toJsonObject(value: object): JsonObject {
  const result: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === '$metadata') continue;
    const converted = toJson(item);
    if (converted !== undefined) result[key] = converted;
  }
  return result;
}

/** The named fields of an object that are defined, converted to JSON. */
export function pick(source: object | undefined, keys: readonly string[]): JsonObject {
  const result: JsonObject = {};
  if (!source) return result;
  const record = source as Record<string, unknown>;
  for (const key of keys) {
    const converted = toJson(record[key]);
    if (converted !== undefined) result[key] = converted;
  }
  return result;
}

/**
 * Pages of an SDK paginator, each page request made inside `limit` so it counts against the service's
 * concurrency like any other call.
 */
export async function* limitedPages<T>(limit: CallLimit, pages: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = pages[Symbol.asyncIterator]();
  while (true) {
    const next = await limit(() => iterator.next());
    if (next.done) return;
    yield next.value;
  }
}

/** All items of all pages, collected. */
export async function collectPages<T, I>(
  limit: CallLimit,
  pages: AsyncIterable<T>,
  items: (page: T) => readonly I[] | undefined,
): Promise<I[]> {
  const result: I[] = [];
  for await (const page of limitedPages(limit, pages)) if (page) result.push(...(items(page) ?? []));
  return result;
}

/**
 * Every page of a listing the SDK has no paginator for: the first page, then the page after the token `next` reads
 * from each one, until a page has no token; each page request made inside `limit` so it counts against the
 * service's concurrency like any other call.
 *
 * @example
 * tokenPages(limit, (NextToken) => client.send(new ListRulesCommand({ NextToken })), (page) => page.NextToken);
 */
export async function* tokenPages<P>(
  limit: CallLimit,
  page: (token: string | undefined) => Promise<P>,
  next: (page: P) => string | undefined,
): AsyncGenerator<P> {
  let token: string | undefined;
  do {
    const current = await limit(() => page(token));
    yield current;
    token = next(current);
  } while (token);
}

/** Parses a JSON policy document; keeps the string when it is not valid JSON. */
export function parsePolicy(value: Json | undefined): Json | undefined {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as Json;
  } catch {
    return value;
  }
}

/** Whether a JSON value is a plain object (not null, not an array). */
export function isJsonObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `[{ Key, Value }]` tag lists as a `{ key: value }` map; other values unchanged. */
export function tagsAsMap(value: Json | undefined): Json | undefined {
  if (!Array.isArray(value)) return value;
  const map: JsonObject = {};
  for (const tag of value) {
    if (isJsonObject(tag) && typeof tag.Key === 'string') map[tag.Key] = tag.Value ?? null;
  }
  return map;
}

/** An array of objects as a map keyed by one of their string fields; other values unchanged. */
export function keyedBy(value: Json | undefined, key: string): Json | undefined {
  if (!Array.isArray(value)) return value;
  const map: JsonObject = {};
  for (const item of value) {
    if (isJsonObject(item) && typeof item[key] === 'string') map[item[key]] = item;
  }
  return map;
}

/**
 * A document with each array of objects under `fields` keyed by the field named for it ({@link keyedBy}), so that
 * their order does not matter; every other field as it is.
 *
 * @example
 * keyedFields({ Name: 'plan', Keys: [{ id: 'k1' }] }, { Keys: 'id' }); // { Name: 'plan', Keys: { k1: { id: 'k1' } } }
 */
export function keyedFields(raw: JsonObject, fields: Readonly<Record<string, string>>): JsonObject {
  const keyed: JsonObject = { ...raw };
  for (const [name, key] of Object.entries(fields)) {
    const value = keyedBy(raw[name], key);
    if (value !== undefined) keyed[name] = value;
  }
  return keyed;
}

/** A field of a loosely typed record, following a path; `undefined` when any step is missing. */
export function field(source: unknown, ...path: readonly string[]): unknown {
  let cursor: unknown = source;
  for (const step of path) {
    if (typeof cursor !== 'object' || cursor === null || Array.isArray(cursor)) return undefined;
    cursor = (cursor as Record<string, unknown>)[step];
  }
  return cursor;
}

/** A non-empty string field of a loosely typed record, or `undefined`. */
export function stringField(source: unknown, ...path: readonly string[]): string | undefined {
  const value = field(source, ...path);
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Counts the bytes of a stream as they pass, adding them to `counter`. */
export async function* countBytes(
  source: AsyncIterable<Uint8Array | string>,
  add: (bytes: number) => void,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    add(bytes.byteLength);
    yield bytes;
  }
}
