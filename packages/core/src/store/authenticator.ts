/**
 * Proves who wrote a record: a keyed MAC under a key only the store's writers hold (derived from the key that
 * seals its secrets), so a record edited or forged by anyone with write access to the store alone is told apart.
 */
export interface RecordAuthenticator {
  /** The id of the key, recorded in the store (never the key). */
  readonly keyId: string;
  /** The MAC of `bytes`, hex. */
  sign(bytes: Uint8Array): string;
  /** Whether `mac` is the MAC of `bytes` (constant-time). */
  verify(bytes: Uint8Array, mac: string): boolean;
}
