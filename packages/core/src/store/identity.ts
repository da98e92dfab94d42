import { randomUUID } from 'node:crypto';
import { canonicalJson } from '../canonical/canonicalise.js';
import { InvalidRecordError, WrongKeyError } from '../errors.js';
import type { Json } from '../types/json.js';
import type { RecordAuthenticator } from './authenticator.js';
import type { StoreBackend } from './backend.js';
import { StoreLayout } from './layout.js';
import { type StoreIdentity, storeIdentitySchema } from './records.js';
import { hasValidMacIn, signRecord } from './signing.js';

/**
 * The store's identity, or undefined when it has none (an empty store, or one written before identities). With
 * `key`, a WrongKeyError when the store is another key's, and an InvalidRecordError unless the identity is signed
 * with it (an identity swapped or edited without the key would point every check at another store).
 */
export async function readIdentity(
  backend: StoreBackend,
  key?: RecordAuthenticator,
): Promise<StoreIdentity | undefined> {
  const bytes = await backend.read(StoreLayout.IDENTITY);
  if (!bytes) return undefined;
  let identity: StoreIdentity;
  try {
    identity = storeIdentitySchema.parse(JSON.parse(bytes.toString('utf8')));
  } catch (error) {
    throw new InvalidRecordError(StoreLayout.IDENTITY, backend.location, error);
  }
  if (!key) return identity;
  requireKey(identity, key.keyId, backend.location);
  if (!hasValidMacIn(bytes, identity, key))
    throw new InvalidRecordError(
      StoreLayout.IDENTITY,
      backend.location,
      "it is not signed by the store's key",
    );
  return identity;
}

/** Whether the store has log heads: written only by writers with a key, so only in a store with an identity. */
export async function holdsLog(backend: StoreBackend): Promise<boolean> {
  for await (const _ of backend.list(StoreLayout.LOG)) return true;
  return false;
}

/** Whether the backend holds a version or a baseline: a store written before identities has no `store.json`. */
export async function holdsRecords(backend: StoreBackend): Promise<boolean> {
  for (const prefix of [StoreLayout.VERSIONS, StoreLayout.BASELINES])
    for await (const _ of backend.list(prefix)) return true;
  return false;
}

/**
 * Writes the identity of a new store sealed by `key`, signed with it, unless another writer just did: then that one is
 * returned, and a WrongKeyError is raised when it names another key.
 */
export async function createIdentity(
  backend: StoreBackend,
  key: RecordAuthenticator,
): Promise<StoreIdentity> {
  const identity = signRecord(
    { schema: 1 as const, storeId: randomUUID(), createdAt: new Date().toISOString(), keyId: key.keyId },
    key,
  );
  const bytes = Buffer.from(canonicalJson(identity as unknown as Json), 'utf8');
  if (await backend.create(StoreLayout.IDENTITY, bytes)) return identity;
  const winner = await readIdentity(backend, key);
  if (!winner) throw new InvalidRecordError(StoreLayout.IDENTITY, backend.location, 'it disappeared');
  return winner;
}

/** A WrongKeyError unless the store is sealed by the key `keyId`. */
export function requireKey(identity: StoreIdentity, keyId: string, location: string): void {
  if (identity.keyId !== keyId) throw new WrongKeyError(location, identity.keyId, keyId);
}
