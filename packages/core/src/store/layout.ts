import { sha256Hex } from '../canonical/canonicalise.js';
import type { ResourceRef } from '../types/resource.js';

/**
 * The store's keys. They are plain `/`-separated names, so the same layout works in a local folder and in
 * an S3 bucket:
 *
 * - `blobs/sha256/<first 2 hex>/<sha256>`: content (object bytes, code zips, canonical documents), written once
 * - `versions/<resource id>/<seq>.json`: a resource's version records, its hash chain, `seq` from 1
 * - `baselines/<seq>.json`: baseline manifests, a hash chain of their own
 * - `checkpoints/<name>.json`: small mutable progress markers (where `watch` stopped reading CloudTrail)
 */
export const StoreLayout = {
  BLOBS: 'blobs/sha256/',
  VERSIONS: 'versions/',
  BASELINES: 'baselines/',
  CHECKPOINTS: 'checkpoints/',
} as const;

const SEQ_DIGITS = 10;

/** The key of a resource, readable: `account/region/type/id`. */
export function resourceKey(ref: ResourceRef): string {
  return `${ref.account}/${ref.region}/${ref.type}/${ref.id}`;
}

/** A resource's folder name: a hash of its key (ids hold `/` and exceed key lengths). */
export function resourceFolder(ref: ResourceRef): string {
  return sha256Hex(resourceKey(ref)).slice(0, 40);
}

export function blobKey(hash: string): string {
  return `${StoreLayout.BLOBS}${hash.slice(0, 2)}/${hash}`;
}

export function versionPrefix(ref: ResourceRef): string {
  return `${StoreLayout.VERSIONS}${resourceFolder(ref)}/`;
}

export function versionKey(ref: ResourceRef, seq: number): string {
  return `${versionPrefix(ref)}${String(seq).padStart(SEQ_DIGITS, '0')}.json`;
}

export function baselineKey(seq: number): string {
  return `${StoreLayout.BASELINES}${String(seq).padStart(6, '0')}.json`;
}

/** The key of a named checkpoint; names are `/`-separated words (`watch/123456789012/us-east-1`). */
export function checkpointKey(name: string): string {
  if (!/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(name)) throw new Error(`invalid checkpoint name ${name}`);
  return `${StoreLayout.CHECKPOINTS}${name}.json`;
}

/** The sequence number in a version or baseline key, or undefined when the key is not one. */
export function seqOfKey(key: string): number | undefined {
  const match = /\/(\d+)\.json$/.exec(key);
  return match ? Number(match[1]) : undefined;
}

/** The hash in a blob key, or undefined when the key is not one. */
export function hashOfBlobKey(key: string): string | undefined {
  const match = /^blobs\/sha256\/[0-9a-f]{2}\/([0-9a-f]{64})$/.exec(key);
  return match?.[1];
}
