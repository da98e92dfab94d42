const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const VERSION_ID_ALPHABET = `${BASE62}._`;
const HEX = '0123456789abcdef';

/**
 * A small seeded pseudo-random generator (mulberry32), so that the simulated account's content, version ids,
 * revision ids and event ids are the same on every run that makes the same changes.
 *
 * @example
 * const random = new SeededRandom(42);
 * random.uuid(); // the same value on every run
 */
export class SeededRandom {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** The next unsigned 32-bit value. */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** An integer in `[min, max]`. */
  int(min: number, max: number): number {
    return min + (this.next() % (max - min + 1));
  }

  /** `length` pseudo-random bytes. */
  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    let i = 0;
    for (; i + 4 <= length; i += 4) {
      const value = this.next();
      out[i] = value & 0xff;
      out[i + 1] = (value >>> 8) & 0xff;
      out[i + 2] = (value >>> 16) & 0xff;
      out[i + 3] = value >>> 24;
    }
    for (; i < length; i++) out[i] = this.next() & 0xff;
    return out;
  }

  /** A string of `length` characters drawn from `alphabet`. */
  chars(length: number, alphabet: string): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[this.next() % alphabet.length];
    return out;
  }

  /** Lower-case hex of `length` characters. */
  hex(length: number): string {
    return this.chars(length, HEX);
  }

  /** A version-4-shaped UUID. */
  uuid(): string {
    const h = this.hex(32).split('');
    h[12] = '4';
    h[16] = HEX[8 + (this.next() % 4)] as string;
    const s = h.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }

  /** An S3 object version id: 32 characters of `[A-Za-z0-9._]`. */
  s3VersionId(): string {
    return this.chars(32, VERSION_ID_ALPHABET);
  }

  /** Upper-case alphanumerics, as in access key ids and principal ids. */
  upperAlnum(length: number): string {
    return this.chars(length, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567');
  }

  /** Base62 characters. */
  base62(length: number): string {
    return this.chars(length, BASE62);
  }
}
