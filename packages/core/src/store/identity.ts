import { randomUUID } from 'node:crypto';
import { canonicalJson } from '../canonical/canonicalise.js';
import { InvalidRecordError, WrongKeyError } from '../errors.js';
import type { Json } from '../types/json.js';
import type { StoreBackend } from './backend.js';
import { StoreLayout } from './layout.js';
import { type StoreIdentity, storeIdentitySchema } from './records.js';

/** The store's identity, or undefined when it has none (an empty store, or one written before identities). */
export async function readIdentity(backend: StoreBackend): Promise<StoreIdentity | undefined> {
  const bytes = await backend.read(StoreLayout.IDENTITY);
  if (!bytes) return undefined;
  try {
    return storeIdentitySchema.parse(JSON.parse(bytes.toString('utf8')));
  } catch (error) {
    throw new InvalidRecordError(StoreLayout.IDENTITY, backend.location, error);
  }
}

/** Whether the backend holds a version or a baseline: a store written before identities has no `store.json`. */
export async function holdsRecords(backend: StoreBackend): Promise<boolean> {
  for (const prefix of [StoreLayout.VERSIONS, StoreLayout.BASELINES])
    for await (const _ of backend.list(prefix)) return true;
  return false;
}

/**
 * Writes the identity of a new store sealed by `keyId`, unless another writer just did: then that one is
 * returned, and a WrongKeyError is raised when it names another key.
 */
export async function createIdentity(backend: StoreBackend, keyId: string): Promise<StoreIdentity> {
  const identity: StoreIdentity = {
    schema: 1,
    storeId: randomUUID(),
    createdAt: new Date().toISOString(),
    keyId,
  };
  const bytes = Buffer.from(canonicalJson(identity as unknown as Json), 'utf8');
  if (await backend.create(StoreLayout.IDENTITY, bytes)) return identity;
  const winner = await readIdentity(backend);
  if (!winner) throw new InvalidRecordError(StoreLayout.IDENTITY, backend.location, 'it disappeared');
  requireKey(winner, keyId, backend.location);
  return winner;
}

/** A WrongKeyError unless the store is sealed by the key `keyId`. */
export function requireKey(identity: StoreIdentity, keyId: string, location: string): void {
  if (identity.keyId !== keyId) throw new WrongKeyError(location, identity.keyId, keyId);
}
