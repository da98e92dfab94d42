import { createCipheriv, createDecipheriv, createHmac, hkdfSync } from 'node:crypto';
import { canonicalJson } from '../canonical/canonicalise.js';
import { SEALED_MARKER } from '../constants.js';
import { SecretKeyError } from '../errors.js';
import type { Json, JsonObject } from '../types/json.js';

/** A secret as stored: encrypted, with a keyed hash so equal values can be recognised without reading them. */
export interface SealedValue {
  readonly [SEALED_MARKER]: {
    readonly v: 1;
    readonly alg: 'AES-256-GCM';
    /** Identifies the key that sealed it. */
    readonly kid: string;
    /** HMAC-SHA256 of the plaintext under a key derived from the secret key: equal values, equal macs. */
    readonly mac: string;
    readonly iv: string;
    readonly ct: string;
    readonly tag: string;
    /** `json` when the sealed value was not a string. */
    readonly enc?: 'json';
  };
}

/** Seals and unseals secret values. The local key is one implementation; KMS can be another. */
export interface SecretSealer {
  seal(value: Json): SealedValue;
  unseal(sealed: SealedValue): Json;
}

/** Whether a document value is a sealed secret. */
export function isSealed(value: unknown): value is SealedValue {
  return typeof value === 'object' && value !== null && SEALED_MARKER in value;
}

/** A key for one purpose, derived (HKDF-SHA256) from the 256-bit key the user holds. */
export function deriveKey(key: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `tidemark ${purpose}`, 32));
}

/** The public id of a 256-bit key: what a store and each sealed value record, never the key. */
export function keyIdOf(key: Buffer): string {
  return createHmac('sha256', deriveKey(key, 'key id')).update('kid').digest('hex').slice(0, 16);
}

/**
 * Seals with AES-256-GCM under keys derived (HKDF) from one 256-bit key the user holds. The IV is derived
 * from a keyed hash of the value, so sealing is deterministic: an unchanged secret gives an unchanged
 * document and no new version, while revealing nothing but equality (which the mac reveals anyway).
 *
 * @example
 * const sealer = new LocalKeySealer(await loadOrCreateKey(defaultKeyFile()));
 * const sealed = sealer.seal('sk_live_…'); // { $sealed: { mac, iv, ct, tag, … } }
 */
export class LocalKeySealer implements SecretSealer {
  readonly #encryptionKey: Buffer;
  readonly #macKey: Buffer;
  readonly #ivKey: Buffer;
  readonly #kid: string;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new SecretKeyError('a sealing key must be 32 bytes');
    this.#encryptionKey = deriveKey(key, 'encryption');
    this.#macKey = deriveKey(key, 'mac');
    this.#ivKey = deriveKey(key, 'iv');
    this.#kid = keyIdOf(key);
  }

  seal(value: Json): SealedValue {
    const isString = typeof value === 'string';
    const plaintext = Buffer.from(isString ? value : canonicalJson(value), 'utf8');
    const mac = createHmac('sha256', this.#macKey).update(plaintext).digest('hex');
    const iv = createHmac('sha256', this.#ivKey).update(plaintext).digest().subarray(0, 12);
    const cipher = createCipheriv('aes-256-gcm', this.#encryptionKey, iv);
    const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return {
      [SEALED_MARKER]: {
        v: 1,
        alg: 'AES-256-GCM',
        kid: this.#kid,
        mac,
        iv: iv.toString('base64'),
        ct: ct.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
        ...(isString ? {} : { enc: 'json' as const }),
      },
    };
  }

  unseal(sealed: SealedValue): Json {
    const box = sealed[SEALED_MARKER];
    if (box.kid !== this.#kid)
      throw new SecretKeyError(
        `this secret was sealed with key ${box.kid}, not with the key in use (${this.#kid})`,
      );
    const decipher = createDecipheriv('aes-256-gcm', this.#encryptionKey, Buffer.from(box.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(box.tag, 'base64'));
    const text = Buffer.concat([decipher.update(Buffer.from(box.ct, 'base64')), decipher.final()]).toString(
      'utf8',
    );
    return box.enc === 'json' ? (JSON.parse(text) as Json) : text;
  }
}

/** The sealed value as a plain JSON object, for storing in a document. */
export function sealedAsJson(sealed: SealedValue): JsonObject {
  return sealed as unknown as JsonObject;
}

/** `value` with every sealed value in it unsealed by `sealer` (a SecretKeyError when one is not its key's). */
export function unsealAll(value: Json, sealer: SecretSealer): Json {
  if (isSealed(value)) return sealer.unseal(value);
  if (Array.isArray(value)) return value.map((item) => unsealAll(item, sealer));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, unsealAll(child, sealer)]));
}
