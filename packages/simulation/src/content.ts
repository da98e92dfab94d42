import { createHash } from 'node:crypto';
import { strToU8, type Zippable, zipSync } from 'fflate';
import type { SeededRandom } from './random.js';

/** Modification time written into every simulated zip entry, so that identical files give identical zips. */
const ZIP_MTIME = new Date('2024-01-01T00:00:00Z');

/** Lower-case hex md5 of bytes: an S3 ETag for a single-part upload, without its quotes. */
export function md5Hex(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

/** Base64 sha256 of bytes, as Lambda reports `CodeSha256`. */
export function sha256Base64(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64');
}

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return strToU8(text);
}

/**
 * Deterministic binary content of `size` bytes that starts with `header` (a JPEG marker, a tar name…),
 * the rest drawn from `random`.
 */
export function binaryBody(
  random: SeededRandom,
  size: number,
  header: Uint8Array = new Uint8Array(),
): Uint8Array {
  const body = random.bytes(size);
  body.set(header.subarray(0, size));
  return body;
}

/** Bytes that start a JPEG file (SOI and a JFIF APP0 segment). */
export const JPEG_HEADER = new Uint8Array([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
  0x00, 0x00,
]);

/**
 * A pool of deterministic bytes that generated objects are sliced from: cheap to build once, so thousands of
 * benchmark objects cost a copy each rather than a pseudo-random draw per byte.
 */
export class BytePool {
  readonly #pool: Uint8Array;

  constructor(random: SeededRandom, size: number) {
    this.#pool = random.bytes(size);
  }

  /** `size` bytes beginning with `label` (which keeps every object's ETag distinct), then pool bytes from `offset`. */
  body(label: string, size: number, offset: number): Uint8Array {
    const head = utf8(`${label}\n`);
    const out = new Uint8Array(size);
    out.set(head.subarray(0, size));
    let at = Math.min(head.length, size);
    let from = offset % this.#pool.length;
    while (at < size) {
      const chunk = this.#pool.subarray(from, Math.min(this.#pool.length, from + (size - at)));
      out.set(chunk, at);
      at += chunk.length;
      from = 0;
    }
    return out;
  }
}

/**
 * A zip of text files built with fflate, entries sorted by name and stamped with a fixed modification time,
 * so that the same files always give the same bytes (and the same `CodeSha256`).
 */
export function buildZip(files: Readonly<Record<string, string>>): Uint8Array {
  const entries: Zippable = {};
  for (const name of Object.keys(files).sort()) {
    entries[name] = [strToU8(files[name] ?? ''), { mtime: ZIP_MTIME }];
  }
  return zipSync(entries, { level: 6, mtime: ZIP_MTIME });
}
