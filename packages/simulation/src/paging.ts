import { compareKeys } from './model.js';

/** An opaque pagination token for a position in a sorted listing (`NextContinuationToken`, `NextMarker`…). */
export function encodeMarker(position: string): string {
  return Buffer.from(JSON.stringify({ after: position }), 'utf8').toString('base64');
}

/** The position a token encodes, or `undefined` when it is not a token this simulation issued. */
export function decodeMarker(token: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    const after = (parsed as { after?: unknown } | null)?.after;
    return typeof after === 'string' ? after : undefined;
  } catch {
    return undefined;
  }
}

/** One page of a listing sorted by `keyOf`, starting after `after`, and the key to continue from when there is more. */
export function pageAfter<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  after: string | undefined,
  limit: number,
): { readonly page: T[]; readonly nextKey?: string } {
  const start = after === undefined ? 0 : firstAfter(items.length, (i) => keyOf(items[i] as T), after);
  const page = items.slice(start, start + limit);
  const more = start + limit < items.length;
  const last = page.at(-1);
  return more && last !== undefined ? { page, nextKey: keyOf(last) } : { page };
}

/**
 * Index of the first of `length` sorted keys that sorts after `bound` (binary search), or at or after it when
 * `inclusive`.
 */
export function firstAfter(
  length: number,
  keyAt: (index: number) => string,
  bound: string,
  inclusive = false,
): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const order = compareKeys(keyAt(middle), bound);
    if (order < 0 || (order === 0 && !inclusive)) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Where a prefixed listing of sorted keys starts: after `after`, and not before the first key with `prefix`. */
export function listingStart(keys: readonly string[], prefix: string, after: string): number {
  const keyAt = (i: number) => keys[i] as string;
  return Math.max(firstAfter(keys.length, keyAt, after), firstAfter(keys.length, keyAt, prefix, true));
}

/** Whether a key past the listing start ends a prefixed listing (keys with the prefix are contiguous). */
export function pastPrefix(key: string, prefix: string): boolean {
  return !key.startsWith(prefix) && compareKeys(key, prefix) > 0;
}
