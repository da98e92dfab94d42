import { on } from 'node:events';
import { Worker } from 'node:worker_threads';
import { StoreError } from '../errors.js';
import type { ReadFile } from './backend.js';

/**
 * Buffers shared with the reader thread: it fills one while the caller reads another, so memory stays bounded
 * (and no garbage is made) whatever the store's size. A file larger than a buffer comes in a buffer of its own.
 */
const SHARED_BUFFERS = 8;
const SHARED_BUFFER_BYTES = 4 * 1024 * 1024;

/** Files per batch at most. */
const BATCH_FILES = 256;

/**
 * The reader thread's code. It is plain JavaScript in a string, so that it runs the same from the sources,
 * the built package and a bundle: it walks `folder` under `root` in the order `list` gives (each folder's
 * entries sorted by name, depth first), reads and hashes each file into the next free shared buffer, and posts
 * each batch's keys, hashes and end offsets once the buffer is full, waiting (`Atomics.wait`) until the caller
 * has released the buffer it needs next. A file larger than a buffer is posted alone, in its own buffer, one
 * at a time (the flag after the buffers' says one is out).
 */
const READER_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const { readdirSync, readFileSync } = require('node:fs');
const { createHash } = require('node:crypto');
const path = require('node:path');
const { root, folder, buffers, busy: sharedBusy, batchFiles } = workerData;
const busy = new Int32Array(sharedBusy);
const OWN = buffers.length;
let slot = 0, keys = [], hashes = [], ends = [], used = 0;
function missing(error) { return error.code === 'ENOENT' || error.code === 'ENOTDIR'; }
function claim(flag) { while (Atomics.load(busy, flag) !== 0) Atomics.wait(busy, flag, 1); }
function send() {
  if (keys.length === 0) return;
  Atomics.store(busy, slot, 1);
  parentPort.postMessage({ slot, keys, hashes, ends });
  slot = (slot + 1) % buffers.length; keys = []; hashes = []; ends = []; used = 0;
}
function add(key, content) {
  if (used + content.length > buffers[slot].byteLength) send();
  const hash = createHash('sha256').update(content).digest('hex');
  if (content.length > buffers[slot].byteLength) {
    claim(OWN);
    Atomics.store(busy, OWN, 1);
    const whole = content.byteOffset === 0 && content.buffer.byteLength === content.length;
    const own = whole ? content.buffer : content.buffer.slice(content.byteOffset, content.byteOffset + content.length);
    parentPort.postMessage({ key, hash, own }, [own]);
    return;
  }
  if (keys.length === 0) claim(slot);
  content.copy(Buffer.from(buffers[slot]), used);
  used += content.length;
  keys.push(key); hashes.push(hash); ends.push(used);
  if (keys.length >= batchFiles) send();
}
function walk(key) {
  let entries;
  try { entries = readdirSync(path.join(root, key), { withFileTypes: true }); }
  catch (error) { if (missing(error)) return; throw error; }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const child = key + '/' + entry.name;
    if (entry.isDirectory()) { walk(child); continue; }
    let content;
    try { content = readFileSync(path.join(root, child)); }
    catch (error) { if (missing(error)) continue; throw error; }
    add(child, content);
  }
}
walk(folder);
send();
parentPort.postMessage({ done: true });
`;

/** What the reader thread posts: a batch in a shared buffer, one large file in its own buffer, or the end. */
type ReaderMessage =
  | { readonly slot: number; readonly keys: string[]; readonly hashes: string[]; readonly ends: number[] }
  | { readonly key: string; readonly hash: string; readonly own: ArrayBuffer }
  | { readonly done: true };

/**
 * Reads every file under `folder` (a store key prefix without its trailing `/`, like `versions`) of the local
 * store in `root`, on a worker thread, and yields them in batches in key order. Reading and hashing a million
 * small files is mostly system calls: on their own thread they overlap with what the caller does with each
 * batch (parsing, indexing). Files that vanish during the walk are skipped.
 *
 * @example
 * for await (const files of readFilesUnder('/data/store', 'versions')) index(files);
 */
export async function* readFilesUnder(root: string, folder: string): AsyncGenerator<ReadFile[]> {
  const buffers = Array.from({ length: SHARED_BUFFERS }, () => new SharedArrayBuffer(SHARED_BUFFER_BYTES));
  // One flag per shared buffer (1: the reader filled it), and one for a large file's own buffer.
  const busy = new Int32Array(new SharedArrayBuffer(4 * (SHARED_BUFFERS + 1)));
  /** Where the caller's batch is copied to: one buffer, reused. */
  const batch = Buffer.allocUnsafeSlow(SHARED_BUFFER_BYTES);
  const worker = new Worker(READER_THREAD, {
    eval: true,
    workerData: { root, folder, buffers, busy: busy.buffer, batchFiles: BATCH_FILES },
  });
  const failed = new Promise<never>((_, reject) => {
    worker.once('error', (error) =>
      reject(new StoreError(`cannot read ${folder} in ${root}`, { cause: error })),
    );
    // A reader that ends normally posts `done` first; one that dies (out of memory) says so here.
    worker.once('exit', (code) => {
      if (code !== 0)
        reject(
          new StoreError(`cannot read ${folder} in ${root}: the reader thread stopped (exit code ${code})`),
        );
    });
  });
  failed.catch(() => undefined);
  const messages = on(worker, 'message') as AsyncIterableIterator<[ReaderMessage]>;
  try {
    while (true) {
      const next = await Promise.race([messages.next(), failed]);
      if (next.done) return;
      const [message] = next.value;
      if ('done' in message) return;
      if ('own' in message) {
        yield [{ key: message.key, bytes: Buffer.from(message.own), sha256: message.hash }];
        Atomics.store(busy, SHARED_BUFFERS, 0);
        Atomics.notify(busy, SHARED_BUFFERS);
        continue;
      }
      // Copied out at once (decoding text from shared memory is slow), and the reader may fill the buffer again.
      const length = message.ends.at(-1) ?? 0;
      Buffer.from(buffers[message.slot] as SharedArrayBuffer, 0, length).copy(batch);
      Atomics.store(busy, message.slot, 0);
      Atomics.notify(busy, message.slot);
      let start = 0;
      yield message.keys.map((key, i) => {
        const end = message.ends[i] as number;
        const file = { key, bytes: batch.subarray(start, end), sha256: message.hashes[i] as string };
        start = end;
        return file;
      });
    }
  } finally {
    await worker.terminate();
  }
}
