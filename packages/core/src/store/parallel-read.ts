import pLimit from 'p-limit';

/** Store reads in flight at once when many records are read: each S3 GET waits tens of milliseconds. */
export const READ_CONCURRENCY = 32;

/** Results handed over at a time: bounds memory and lets the index insert in transactions of this size. */
const BATCH_SIZE = 2_000;

/**
 * Reads every key with up to {@link READ_CONCURRENCY} reads in flight, starting each read as soon as its key is
 * listed, and yields the results in batches, in key order.
 *
 * @example
 * for await (const versions of readInBatches(backend.list('versions/'), (key) => store.readVersion(key)))
 *   index.addVersions(versions);
 */
export async function* readInBatches<T>(
  keys: AsyncIterable<string> | Iterable<string>,
  read: (key: string) => Promise<T>,
): AsyncGenerator<T[]> {
  const limit = pLimit(READ_CONCURRENCY);
  let batch: Promise<T>[] = [];
  for await (const key of keys) {
    batch.push(limit(() => read(key)));
    if (batch.length >= BATCH_SIZE) {
      yield await Promise.all(batch);
      batch = [];
    }
  }
  if (batch.length > 0) yield await Promise.all(batch);
}
