import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Content written to a file, with what identifies it. */
export interface SpooledContent {
  /** sha256 of the bytes, hex. */
  readonly hash: string;
  readonly size: number;
}

/** A pass-through stream that hashes and counts what flows through it; `result()` once it has ended. */
export function hashingStream(): { readonly stream: Transform; result(): SpooledContent } {
  const hash = createHash('sha256');
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  return { stream, result: () => ({ hash: hash.digest('hex'), size }) };
}

/**
 * Streams `source` into a new file (which must not exist), hashing it on the way: content of any size passes
 * through a small buffer, never whole into memory.
 */
export async function spoolHashed(
  source: Readable | AsyncIterable<Uint8Array>,
  file: string,
): Promise<SpooledContent> {
  const hashing = hashingStream();
  await pipeline(source, hashing.stream, createWriteStream(file, { flags: 'wx' }));
  return hashing.result();
}
