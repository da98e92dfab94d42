import { GetBucketLocationCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import type { CaptureContext, ObjectSelection } from '../capture/context.js';
import { readPart } from '../capture/read-part.js';
import { globMatches } from '../glob.js';
import { s3Service } from './services.js';

/** CloudFormation type names of the S3 definitions. */
export const S3_BUCKET_TYPE = 'AWS::S3::Bucket';
export const S3_OBJECT_TYPE = 'AWS::S3::Object';
export const S3_EVENT_SOURCE = 's3.amazonaws.com';

/**
 * The region of a bucket from its `LocationConstraint`: absent or empty means `us-east-1`, the legacy `EU`
 * means `eu-west-1`.
 */
export function regionFromLocation(constraint: string | null | undefined): string {
  if (!constraint) return 'us-east-1';
  if (constraint === 'EU') return 'eu-west-1';
  return constraint;
}

const regionCache = new WeakMap<CaptureContext, Map<string, Promise<string | undefined>>>();

/**
 * The region of a bucket, asked once per capture: `GetBucketLocation`, else `HeadBucket`'s
 * `x-amz-bucket-region`. `undefined` when neither call may be made.
 */
export function lookupBucketRegion(
  ctx: CaptureContext,
  bucket: string,
  viaRegion: string,
): Promise<string | undefined> {
  let cache = regionCache.get(ctx);
  if (!cache) {
    cache = new Map();
    regionCache.set(ctx, cache);
  }
  let region = cache.get(bucket);
  if (!region) {
    region = askBucketRegion(ctx, bucket, viaRegion);
    cache.set(bucket, region);
  }
  return region;
}

async function askBucketRegion(
  ctx: CaptureContext,
  bucket: string,
  viaRegion: string,
): Promise<string | undefined> {
  const client = ctx.client(s3Service, viaRegion);
  const spec = { type: S3_BUCKET_TYPE, region: viaRegion, id: bucket };
  const location = await readPart({ ...spec, operation: 's3:GetBucketLocation' }, () =>
    ctx.limit(s3Service)(() => client.send(new GetBucketLocationCommand({ Bucket: bucket }))),
  );
  if (location.state === 'ok') return regionFromLocation(location.value.LocationConstraint);
  if (location.state === 'not-found') return undefined;
  const head = await readPart({ ...spec, operation: 's3:ListBucket' }, () =>
    ctx.limit(s3Service)(() => client.send(new HeadBucketCommand({ Bucket: bucket }))),
  );
  return head.state === 'ok' ? head.value?.BucketRegion : undefined;
}

/** The bucket and key of an `AWS::S3::Object` identifier (`bucket/key`). */
export function splitObjectId(id: string): { bucket: string; key: string } {
  const slash = id.indexOf('/');
  if (slash <= 0 || slash === id.length - 1) {
    throw new Error(`s3 object id must be "bucket/key", received "${id}"`);
  }
  return { bucket: id.slice(0, slash), key: id.slice(slash + 1) };
}

/**
 * The fingerprint of an object from what both a listing and `HeadObject` return: ETag, size and last
 * modified time (to the second). Equal fingerprints mean the object need not be described again.
 */
export function objectFingerprint(
  etag: string | undefined,
  size: number | undefined,
  lastModified: Date | undefined,
): string {
  const time = lastModified && !Number.isNaN(lastModified.getTime()) ? lastModified.getTime() : undefined;
  const modified = time === undefined ? '' : new Date(Math.floor(time / 1000) * 1000).toISOString();
  return `etag=${etag ?? ''};size=${size ?? ''};modified=${modified}`;
}

function splitPattern(pattern: string): { bucket: string; key?: string } {
  const slash = pattern.indexOf('/');
  return slash === -1
    ? { bucket: pattern }
    : { bucket: pattern.slice(0, slash), key: pattern.slice(slash + 1) };
}

function bucketMatches(pattern: string, bucket: string): boolean {
  return globMatches(splitPattern(pattern).bucket, bucket);
}

/**
 * Whether one `bucket` or `bucket/prefix` pattern matches an object. The bucket part is a glob (Tidemark's one
 * dialect, `glob.ts`) matched against the whole bucket name. The key part is a prefix when it has no `*` (keys
 * may hold `?` and `[`), else a glob matched against the whole key (`bucket/logs/` and `bucket/logs/*` both match `logs/a.gz`;
 * `bucket/*.jpg` only `.jpg` keys).
 */
export function patternMatches(pattern: string, bucket: string, key: string): boolean {
  const parts = splitPattern(pattern);
  if (!bucketMatches(pattern, bucket)) return false;
  if (parts.key === undefined) return true;
  return parts.key.includes('*') ? globMatches(parts.key, key) : key.startsWith(parts.key);
}

/**
 * Whether the content of an object is captured under a selection: included (no include patterns means
 * every object) and not excluded. Exclusion wins.
 *
 * @example
 * objectSelected({ include: ['media/photos/'], exclude: ['media/photos/tmp*'] }, 'media', 'photos/a.jpg'); // true
 */
export function objectSelected(selection: ObjectSelection, bucket: string, key: string): boolean {
  const include = selection.include ?? [];
  const included = include.length === 0 || include.some((pattern) => patternMatches(pattern, bucket, key));
  return included && !(selection.exclude ?? []).some((pattern) => patternMatches(pattern, bucket, key));
}

/** Whether any object of a bucket can be selected (the bucket is included and not wholly excluded). */
export function bucketSelected(selection: ObjectSelection, bucket: string): boolean {
  const include = selection.include ?? [];
  if (include.length > 0 && !include.some((pattern) => bucketMatches(pattern, bucket))) return false;
  return !(selection.exclude ?? []).some((pattern) => {
    const { key } = splitPattern(pattern);
    return bucketMatches(pattern, bucket) && (key === undefined || key === '' || /^\*+$/.test(key));
  });
}

/**
 * The key prefixes worth listing in a bucket under a selection: the literal start of each include pattern
 * for that bucket, without prefixes already covered by a shorter one. `['']` means the whole bucket.
 */
export function listingPrefixes(selection: ObjectSelection, bucket: string): string[] {
  const include = (selection.include ?? []).filter((pattern) => bucketMatches(pattern, bucket));
  if (include.length === 0) return [''];
  const prefixes = include.map((pattern) => (splitPattern(pattern).key ?? '').split('*')[0] ?? '');
  const sorted = [...new Set(prefixes)].sort();
  const kept: string[] = [];
  for (const prefix of sorted) {
    if (!kept.some((shorter) => prefix.startsWith(shorter))) kept.push(prefix);
  }
  return kept;
}
