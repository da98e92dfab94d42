import { homedir } from 'node:os';
import path from 'node:path';
import { sha256Hex } from '../canonical/canonicalise.js';
import { InputError } from '../errors.js';

/** Where a store lives: a local folder, or a bucket and key prefix (`''` or ending in `/`). */
export type StoreLocation =
  | { readonly kind: 'local'; readonly folder: string }
  | { readonly kind: 's3'; readonly bucket: string; readonly prefix: string };

/** S3's bucket naming rules, as `{ invalid, message }` pairs. */
const BUCKET_RULES: ReadonlyArray<{ invalid: (bucket: string) => boolean; message: string }> = [
  {
    invalid: (bucket) => bucket.length < 3 || bucket.length > 63,
    message: 'must be 3 to 63 characters long',
  },
  {
    invalid: (bucket) => !/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(bucket),
    message:
      'may hold only lowercase letters, digits, dots and hyphens, and start and end with a letter or digit',
  },
  { invalid: (bucket) => bucket.includes('..'), message: 'may not hold two dots in a row' },
  { invalid: (bucket) => /^\d+\.\d+\.\d+\.\d+$/.test(bucket), message: 'may not look like an IP address' },
];

/**
 * Reads where a store is: `s3://bucket` or `s3://bucket/prefix` (a trailing `/` is ignored), else a local folder.
 * Throws an InputError for another scheme, an invalid bucket name, or a prefix with empty, `.` or `..` parts.
 *
 * @example
 * parseStoreLocation('s3://acme-backups/tidemark'); // { kind: 's3', bucket: 'acme-backups', prefix: 'tidemark/' }
 */
export function parseStoreLocation(location: string): StoreLocation {
  if (location.trim() === '')
    throw new InputError('the store location is empty: expected a folder or s3://bucket');
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(location);
  if (!scheme) return { kind: 'local', folder: path.resolve(location) };
  if (scheme[1]?.toLowerCase() !== 's3')
    throw new InputError(`unsupported store ${location}: expected a folder or s3://bucket/prefix`);
  const rest = location.slice(scheme[0].length);
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const prefix = slash === -1 ? '' : rest.slice(slash + 1).replace(/\/+$/, '');
  const broken = BUCKET_RULES.find((rule) => rule.invalid(bucket));
  if (broken)
    throw new InputError(`invalid store bucket "${bucket}" in ${location}: a bucket name ${broken.message}`);
  if (prefix !== '' && prefix.split('/').some((part) => part === '' || part === '.' || part === '..'))
    throw new InputError(`invalid store prefix "${prefix}" in ${location}: parts may not be empty, . or ..`);
  return { kind: 's3', bucket, prefix: prefix === '' ? '' : `${prefix}/` };
}

/** An S3 store location as users write it: `s3://bucket` or `s3://bucket/prefix`. */
export function s3Location(bucket: string, prefix: string): string {
  return `s3://${bucket}${prefix === '' ? '' : `/${prefix.replace(/\/$/, '')}`}`;
}

/**
 * The folder for local caches (the SQLite index) of a store that is not a local folder: `$TIDEMARK_CACHE_DIR`,
 * else `$XDG_CACHE_HOME/tidemark`, else `~/.cache/tidemark`, then one folder per store, named by a hash of
 * `storeId` (its location and endpoint, so two servers' buckets of the same name never share an index).
 */
export function storeCacheDirectory(storeId: string, env: NodeJS.ProcessEnv = process.env): string {
  const root =
    env.TIDEMARK_CACHE_DIR || path.join(env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'tidemark');
  return path.join(root, sha256Hex(storeId).slice(0, 16));
}
