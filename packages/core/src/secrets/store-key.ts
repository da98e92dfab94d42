import { createHmac, timingSafeEqual } from 'node:crypto';
import { SecretKeyError } from '../errors.js';
import type { RecordAuthenticator } from '../store/authenticator.js';
import { deriveKey, keyIdOf, LocalKeySealer } from './sealer.js';

/**
 * The one 256-bit key a store's writers hold, and what is derived from it: the sealer of secret values, and the
 * MAC that authenticates every record and log head (HMAC-SHA256 under a key of its own, derived with HKDF).
 *
 * @example
 * const key = new StoreKey(await loadOrCreateKey(defaultKeyFile()));
 * const store = await VersionStore.open(location, { key });
 */
export class StoreKey implements RecordAuthenticator {
  readonly keyId: string;
  readonly sealer: LocalKeySealer;
  readonly #macKey: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new SecretKeyError('a store key must be 32 bytes');
    this.keyId = keyIdOf(key);
    this.sealer = new LocalKeySealer(key);
    this.#macKey = deriveKey(key, 'record mac');
  }

  sign(bytes: Uint8Array): string {
    return createHmac('sha256', this.#macKey).update(bytes).digest('hex');
  }

  /** Whether `mac` is exactly (lower-case hex, nothing else) the MAC of `bytes`: one text, one MAC. */
  verify(bytes: Uint8Array, mac: string): boolean {
    const expected = Buffer.from(this.sign(bytes), 'latin1');
    const given = Buffer.from(mac, 'latin1');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
