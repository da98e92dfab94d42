import { Readable } from 'node:stream';
import {
  type _Object,
  AccessDenied,
  BucketAlreadyOwnedByYou,
  type DeleteMarkerEntry,
  GetBucketAclCommand,
  GetBucketCorsCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketNotificationConfigurationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketReplicationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetBucketWebsiteCommand,
  GetObjectCommand,
  GetObjectLockConfigurationCommand,
  GetObjectTaggingCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  InvalidObjectState,
  InvalidRequest,
  ListBucketsCommand,
  type ObjectVersion as ListedVersion,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  NoSuchBucket,
  NoSuchKey,
  NoSuchUpload,
  NotFound,
  ObjectNotInActiveTierError,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { sdkStreamMixin } from '@smithy/util-stream';
import {
  type CallContext,
  type CallTarget,
  defineOperation,
  type InputOf,
  type Operation,
  type OutputOf,
  type ServiceProfile,
} from './dispatch.js';
import { fault, type SimulatedFault } from './errors.js';
import {
  type AccountModel,
  type ObjectEncryption,
  type ObjectVersion,
  optional,
  type SimBucket,
} from './model.js';
import { decodeMarker, encodeMarker, listingStart, pageAfter, pastPrefix } from './paging.js';

/** S3 returns at most this many keys per listing page. */
const MAX_KEYS = 1000;

/**
 * The S3 API of the simulated account: bucket listing and configuration reads, object listings, object reads, and
 * the `writes` given (see `s3WriteOperations`). Bucket-scoped calls from a client in another region than the
 * bucket's fail with `PermanentRedirect`, as they do with the real SDK (only `ListBuckets` and `GetBucketLocation`
 * work from anywhere).
 */
export function s3Profile(model: AccountModel, writes: readonly Operation[] = []): ServiceProfile {
  return {
    service: 's3',
    exceptions: {
      base: S3ServiceException,
      modeled: {
        AccessDenied,
        BucketAlreadyOwnedByYou,
        InvalidObjectState,
        InvalidRequest,
        NoSuchBucket,
        NoSuchKey,
        NoSuchUpload,
        NotFound,
        ObjectNotInActiveTierError,
      },
    },
    client: S3Client,
    operations: [...bucketOperations(model), ...objectOperations(model), ...writes],
    injectedFault(kind, action, target) {
      if (kind === 'throttled') return fault('SlowDown', 503, 'Please reduce your request rate.');
      const resource = target.arn ? ` on resource: "${target.arn}"` : '';
      return fault(
        'AccessDenied',
        403,
        `User: ${model.caller.arn} is not authorized to perform: ${action}${resource} with an explicit deny in a service control policy`,
      );
    },
  };
}

/** An S3 command that names a bucket. */
export type BucketCommand = abstract new (
  ...args: never[]
) => { readonly input: { Bucket?: string | undefined } };

function bucketOperations(model: AccountModel): Operation[] {
  /** A read of one part of a bucket's configuration: find the bucket (in the caller's region), then read. */
  const bucketRead = <C extends BucketCommand>(
    command: C,
    action: string,
    read: (bucket: SimBucket, input: InputOf<C>) => OutputOf<C>,
    options: { anyRegion?: boolean; head?: boolean } = {},
  ): Operation =>
    defineOperation(command, {
      action,
      ...optional('head', options.head),
      target: bucketTarget,
      answer: (input, call) => read(findBucket(model, input.Bucket, call, options.anyRegion === true), input),
    });

  return [
    defineOperation(ListBucketsCommand, {
      action: 's3:ListAllMyBuckets',
      answer: (input) => {
        const buckets = [...model.buckets.values()]
          .filter((bucket) => bucket.name.startsWith(input.Prefix ?? ''))
          .filter((bucket) => input.BucketRegion === undefined || bucket.region === input.BucketRegion)
          .sort((a, b) => (a.name < b.name ? -1 : 1));
        const after = input.ContinuationToken === undefined ? undefined : token(input.ContinuationToken);
        const { page, nextKey } = pageAfter(buckets, (b) => b.name, after, input.MaxBuckets ?? 10_000);
        return {
          Buckets: page.map((bucket) => ({
            Name: bucket.name,
            CreationDate: bucket.config.creationDate,
            BucketRegion: bucket.region,
          })),
          Owner: { ID: model.canonicalUserId },
          ...optional('ContinuationToken', nextKey === undefined ? undefined : encodeMarker(nextKey)),
          ...optional('Prefix', input.Prefix),
        };
      },
    }),
    bucketRead(
      HeadBucketCommand,
      's3:ListBucket',
      (b) => ({ BucketRegion: b.region, AccessPointAlias: false }),
      {
        head: true,
      },
    ),
    bucketRead(
      GetBucketLocationCommand,
      's3:GetBucketLocation',
      (b) => (b.region === 'us-east-1' ? {} : { LocationConstraint: b.region as never }),
      { anyRegion: true },
    ),
    bucketRead(GetBucketVersioningCommand, 's3:GetBucketVersioning', (b) =>
      optional('Status', b.config.versioning),
    ),
    bucketRead(GetBucketPolicyCommand, 's3:GetBucketPolicy', (b) => ({
      Policy: present(b, b.config.policy, 'NoSuchBucketPolicy', 'The bucket policy does not exist'),
    })),
    bucketRead(GetBucketOwnershipControlsCommand, 's3:GetBucketOwnershipControls', (b) => ({
      OwnershipControls: {
        Rules: [
          {
            ObjectOwnership: present(
              b,
              b.config.ownership,
              'OwnershipControlsNotFoundError',
              'The bucket ownership controls were not found',
            ),
          },
        ],
      },
    })),
    bucketRead(GetBucketAclCommand, 's3:GetBucketAcl', (b) => ({
      Owner: { ID: model.canonicalUserId },
      Grants: [
        {
          Grantee: { Type: 'CanonicalUser' as const, ID: model.canonicalUserId },
          Permission: 'FULL_CONTROL' as const,
        },
        ...(b.config.extraGrants ?? []),
      ],
    })),
    bucketRead(GetPublicAccessBlockCommand, 's3:GetBucketPublicAccessBlock', (b) => ({
      PublicAccessBlockConfiguration: present(
        b,
        b.config.publicAccessBlock,
        'NoSuchPublicAccessBlockConfiguration',
        'The public access block configuration was not found',
      ),
    })),
    bucketRead(GetBucketEncryptionCommand, 's3:GetEncryptionConfiguration', (b) => ({
      ServerSideEncryptionConfiguration: b.config.encryption,
    })),
    bucketRead(GetBucketWebsiteCommand, 's3:GetBucketWebsite', (b) =>
      present(
        b,
        b.config.website,
        'NoSuchWebsiteConfiguration',
        'The specified bucket does not have a website configuration',
      ),
    ),
    bucketRead(GetBucketCorsCommand, 's3:GetBucketCORS', (b) => ({
      CORSRules: present(
        b,
        b.config.cors,
        'NoSuchCORSConfiguration',
        'The CORS configuration does not exist',
      ),
    })),
    bucketRead(GetBucketLifecycleConfigurationCommand, 's3:GetLifecycleConfiguration', (b) => ({
      Rules: present(
        b,
        b.config.lifecycle,
        'NoSuchLifecycleConfiguration',
        'The lifecycle configuration does not exist',
      ),
      TransitionDefaultMinimumObjectSize: 'all_storage_classes_128K' as const,
    })),
    bucketRead(GetBucketLoggingCommand, 's3:GetBucketLogging', (b) =>
      optional('LoggingEnabled', b.config.logging),
    ),
    bucketRead(GetBucketNotificationConfigurationCommand, 's3:GetBucketNotification', (b) =>
      b.config.eventBridge ? { EventBridgeConfiguration: {} } : {},
    ),
    bucketRead(GetBucketReplicationCommand, 's3:GetReplicationConfiguration', (b) => ({
      ReplicationConfiguration: present(
        b,
        b.config.replication,
        'ReplicationConfigurationNotFoundError',
        'The replication configuration was not found',
      ),
    })),
    bucketRead(GetObjectLockConfigurationCommand, 's3:GetBucketObjectLockConfiguration', (b) => ({
      ObjectLockConfiguration: present(
        b,
        undefined,
        'ObjectLockConfigurationNotFoundError',
        'Object Lock configuration does not exist for this bucket',
      ),
    })),
    bucketRead(GetBucketTaggingCommand, 's3:GetBucketTagging', (b) => ({
      TagSet: present(b, b.config.tags, 'NoSuchTagSet', 'The TagSet does not exist'),
    })),
    bucketRead(ListObjectsV2Command, 's3:ListBucket', (b, input) => listObjectsV2(model, b, input)),
    bucketRead(ListObjectVersionsCommand, 's3:ListBucketVersions', (b, input) =>
      listObjectVersions(model, b, input),
    ),
  ];
}

function objectOperations(model: AccountModel): Operation[] {
  return [
    defineOperation(HeadObjectCommand, {
      action: versionAction('s3:GetObject', 's3:GetObjectVersion'),
      head: true,
      target: objectTarget,
      answer: (input, call) => {
        const bucket = findBucket(model, input.Bucket, call, false);
        return objectHeaders(bucket, findVersion(bucket, input.Key ?? '', input.VersionId, 'HEAD'));
      },
    }),
    defineOperation(GetObjectCommand, {
      action: versionAction('s3:GetObject', 's3:GetObjectVersion'),
      target: objectTarget,
      answer: (input, call) => {
        const bucket = findBucket(model, input.Bucket, call, false);
        const version = findVersion(bucket, input.Key ?? '', input.VersionId, 'GET');
        if (archived(version)) {
          throw fault(
            'InvalidObjectState',
            403,
            "The operation is not valid for the object's storage class",
            {
              StorageClass: version.storageClass,
            },
          );
        }
        if (input.IfMatch !== undefined && !etagMatches(input.IfMatch, version.etag)) {
          throw preconditionFailed('If-Match');
        }
        const range = input.Range === undefined ? undefined : byteRange(input.Range, version.body.length);
        const body = range ? version.body.subarray(range.start, range.end + 1) : version.body;
        if (range) call.status = 206;
        return {
          ...objectHeaders(bucket, version),
          ContentLength: body.length,
          ...optional('ContentRange', range && `bytes ${range.start}-${range.end}/${version.body.length}`),
          Body: sdkStreamMixin(Readable.from([Buffer.from(body.buffer, body.byteOffset, body.length)])),
        };
      },
    }),
    defineOperation(GetObjectTaggingCommand, {
      action: versionAction('s3:GetObjectTagging', 's3:GetObjectVersionTagging'),
      target: objectTarget,
      answer: (input, call) => {
        const bucket = findBucket(model, input.Bucket, call, false);
        const version = findVersion(bucket, input.Key ?? '', input.VersionId, 'GET');
        return { ...(bucket.versioned ? { VersionId: version.versionId } : {}), TagSet: [...version.tags] };
      },
    }),
  ];
}

/** The IAM action of an object call: `versioned` when it names a version (`s3:GetObjectVersion`), else `plain`. */
export function versionAction(plain: string, versioned: string) {
  return (input: { VersionId?: string | undefined }) => (input.VersionId === undefined ? plain : versioned);
}

/** Whether a version sits in an archive tier (Glacier Flexible Retrieval, Deep Archive), unreadable until restored. */
export function archived(version: ObjectVersion): boolean {
  return version.storageClass === 'GLACIER' || version.storageClass === 'DEEP_ARCHIVE';
}

/** S3's answer when a request's `If-Match` or `If-None-Match` does not hold. */
export function preconditionFailed(condition: 'If-Match' | 'If-None-Match'): SimulatedFault {
  return fault('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', {
    Condition: condition,
  });
}

/** The encryption headers of a response about an object: `ServerSideEncryption`, its KMS key and bucket key. */
export function encryptionHeaders(encryption: ObjectEncryption) {
  return {
    ServerSideEncryption: encryption.algorithm,
    ...optional('SSEKMSKeyId', encryption.kmsKeyId),
    ...(encryption.bucketKeyEnabled ? { BucketKeyEnabled: true } : {}),
  };
}

/** A bucket-level call's target: the bucket. */
export function bucketTarget(input: { Bucket?: string | undefined }): CallTarget {
  return { ids: [input.Bucket ?? ''], arn: `arn:aws:s3:::${input.Bucket}` };
}

/** An object-level call's target: `bucket/key` and the bucket. */
export function objectTarget(input: { Bucket?: string | undefined; Key?: string | undefined }): CallTarget {
  const id = `${input.Bucket}/${input.Key}`;
  return { ids: [id, input.Bucket ?? ''], arn: `arn:aws:s3:::${id}` };
}

/** The bucket a call names; `NoSuchBucket` when absent, `PermanentRedirect` when asked from another region. */
export function findBucket(
  model: AccountModel,
  name: string | undefined,
  call: CallContext,
  anyRegion: boolean,
): SimBucket {
  const bucket = model.buckets.get(name ?? '');
  if (!bucket) {
    throw fault('NoSuchBucket', 404, 'The specified bucket does not exist', { BucketName: name });
  }
  if (!anyRegion && bucket.region !== call.region) {
    throw fault(
      'PermanentRedirect',
      301,
      'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.',
      { Endpoint: `${bucket.name}.s3.${bucket.region}.amazonaws.com`, Bucket: bucket.name },
      { 'x-amz-bucket-region': bucket.region },
    );
  }
  return bucket;
}

/** A configured part of a bucket, or the 404 S3 answers when it is not configured. */
function present<T>(bucket: SimBucket, value: T | undefined, code: string, message: string): T {
  if (value === undefined) throw fault(code, 404, message, { BucketName: bucket.name });
  return value;
}

/**
 * The version a call reads or changes: the current one, or the one named by `VersionId`. A delete marker answers
 * `MethodNotAllowed` naming the HTTP `method` (`GET`, `HEAD`, `PUT`…).
 */
export function findVersion(bucket: SimBucket, key: string, versionId: string | undefined, method: string) {
  if (versionId === undefined) {
    const current = bucket.current(key);
    if (!current) throw fault('NoSuchKey', 404, 'The specified key does not exist.', { Key: key });
    return current;
  }
  const version = bucket.versions(key).find((candidate) => candidate.versionId === versionId);
  if (!version) {
    throw fault('NoSuchVersion', 404, 'The specified version does not exist.', {
      Key: key,
      VersionId: versionId,
    });
  }
  if (version.deleteMarker) {
    throw fault(
      'MethodNotAllowed',
      405,
      'The specified method is not allowed against this resource.',
      { Method: method, ResourceType: 'DeleteMarker' },
      { 'x-amz-delete-marker': 'true' },
    );
  }
  return version;
}

/** The headers HeadObject and GetObject share, with only the fields AWS sends for this object. */
function objectHeaders(bucket: SimBucket, version: ObjectVersion): OutputOf<typeof HeadObjectCommand> {
  return {
    AcceptRanges: 'bytes',
    LastModified: version.lastModified,
    ContentLength: version.body.length,
    ETag: `"${version.etag}"`,
    ...optional('ContentType', version.contentType),
    ...optional('CacheControl', version.cacheControl),
    ...optional('ContentDisposition', version.contentDisposition),
    ...optional('ContentEncoding', version.contentEncoding),
    ...optional('ContentLanguage', version.contentLanguage),
    ...optional('Expires', version.expires),
    ...optional('ExpiresString', version.expires?.toUTCString()),
    ...optional('WebsiteRedirectLocation', version.websiteRedirectLocation),
    ...(bucket.versioned ? { VersionId: version.versionId } : {}),
    ...encryptionHeaders(version.encryption),
    ...(version.storageClass === 'STANDARD' ? {} : { StorageClass: version.storageClass as never }),
    ...(version.tags.length > 0 ? { TagCount: version.tags.length } : {}),
    Metadata: { ...version.metadata },
  };
}

/** Whether an `If-Match` / `If-None-Match` condition (quoted ETags, comma-separated, or `*`) matches `etag`. */
export function etagMatches(condition: string, etag: string): boolean {
  return condition
    .split(',')
    .map((candidate) => candidate.trim().replace(/^"|"$/g, ''))
    .some((candidate) => candidate === '*' || candidate === etag);
}

/**
 * The inclusive byte range of a `Range: bytes=…` header, clamped to the object; `undefined` for headers S3 ignores
 * (bad syntax, several ranges); `InvalidRange` when it starts past the end.
 */
function byteRange(header: string, size: number): { start: number; end: number } | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  const [, from = '', to = ''] = match;
  let start: number;
  let end: number;
  if (from === '') {
    start = Math.max(0, size - Number(to));
    end = size - 1;
  } else {
    start = Number(from);
    end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
    if (to !== '' && Number(to) < start) return undefined;
  }
  if (start >= size || size === 0) {
    throw fault('InvalidRange', 416, 'The requested range is not satisfiable', {
      RangeRequested: header,
      ActualObjectSize: String(size),
    });
  }
  return { start, end };
}

/** A continuation token's position, or `InvalidArgument` as S3 answers for a token it did not issue. */
function token(value: string): string {
  const position = decodeMarker(value);
  if (position === undefined) {
    throw fault('InvalidArgument', 400, 'The continuation token provided is incorrect', {
      ArgumentName: 'continuation-token',
      ArgumentValue: value,
    });
  }
  return position;
}

function listObjectsV2(
  model: AccountModel,
  bucket: SimBucket,
  input: InputOf<typeof ListObjectsV2Command>,
): OutputOf<typeof ListObjectsV2Command> {
  const prefix = input.Prefix ?? '';
  const delimiter = input.Delimiter || undefined;
  const maxKeys = input.MaxKeys ?? MAX_KEYS;
  const pageSize = Math.min(maxKeys, MAX_KEYS);
  // A token is `k:<last key>` or `p:<last common prefix>`; keys under a returned common prefix are skipped.
  const position = input.ContinuationToken === undefined ? undefined : token(input.ContinuationToken);
  const skipPrefix = position?.startsWith('p:') ? position.slice(2) : undefined;
  const after = position === undefined ? (input.StartAfter ?? '') : position.slice(2);
  const keys = bucket.keys();
  const contents: _Object[] = [];
  const commonPrefixes: string[] = [];
  let last: string | undefined;
  let truncated = false;
  for (let i = listingStart(keys, prefix, after); i < keys.length; i++) {
    const key = keys[i] as string;
    if (pastPrefix(key, prefix)) break;
    if (!key.startsWith(prefix)) continue;
    if (skipPrefix !== undefined && key.startsWith(skipPrefix)) continue;
    const version = bucket.current(key);
    if (!version) continue;
    const cut = delimiter === undefined ? -1 : key.indexOf(delimiter, prefix.length);
    const common = cut < 0 ? undefined : key.slice(0, cut + (delimiter as string).length);
    if (common !== undefined && common === commonPrefixes.at(-1)) continue;
    if (contents.length + commonPrefixes.length >= pageSize) {
      truncated = true;
      break;
    }
    if (common !== undefined) {
      commonPrefixes.push(common);
      last = `p:${common}`;
    } else {
      contents.push(listedObject(model, version, key, input.FetchOwner === true));
      last = `k:${key}`;
    }
  }
  return {
    IsTruncated: truncated,
    ...(contents.length > 0 ? { Contents: contents } : {}),
    Name: bucket.name,
    Prefix: prefix,
    ...optional('Delimiter', delimiter),
    MaxKeys: maxKeys,
    ...(commonPrefixes.length > 0 ? { CommonPrefixes: commonPrefixes.map((Prefix) => ({ Prefix })) } : {}),
    KeyCount: contents.length + commonPrefixes.length,
    ...optional('ContinuationToken', input.ContinuationToken),
    ...(truncated && last !== undefined ? { NextContinuationToken: encodeMarker(last) } : {}),
    ...optional('StartAfter', input.StartAfter),
  };
}

function listedObject(model: AccountModel, version: ObjectVersion, key: string, withOwner: boolean): _Object {
  return {
    Key: key,
    LastModified: version.lastModified,
    ETag: `"${version.etag}"`,
    ...checksumFields(version),
    Size: version.body.length,
    StorageClass: version.storageClass as never,
    ...(withOwner ? { Owner: { ID: model.canonicalUserId } } : {}),
  };
}

function checksumFields(version: ObjectVersion) {
  return version.checksumAlgorithm === undefined
    ? {}
    : { ChecksumAlgorithm: [version.checksumAlgorithm as never], ChecksumType: 'FULL_OBJECT' as const };
}

function listObjectVersions(
  model: AccountModel,
  bucket: SimBucket,
  input: InputOf<typeof ListObjectVersionsCommand>,
): OutputOf<typeof ListObjectVersionsCommand> {
  const prefix = input.Prefix ?? '';
  const maxKeys = input.MaxKeys ?? MAX_KEYS;
  const pageSize = Math.min(maxKeys, MAX_KEYS);
  const keyMarker = input.KeyMarker ?? '';
  const versionIdMarker = input.VersionIdMarker ?? '';
  const keys = bucket.keys();
  const versions: ListedVersion[] = [];
  const deleteMarkers: DeleteMarkerEntry[] = [];
  let last: { key: string; versionId: string } | undefined;
  let truncated = false;
  // With a version id marker, listing resumes inside the marker key; without one, after the whole key.
  const start = listingStart(keys, prefix, keyMarker);
  const firstIndex = versionIdMarker !== '' && keys[start - 1] === keyMarker ? start - 1 : start;
  outer: for (let i = firstIndex; i < keys.length; i++) {
    const key = keys[i] as string;
    if (pastPrefix(key, prefix)) break;
    if (!key.startsWith(prefix)) continue;
    const all = bucket.versions(key);
    const from =
      key === keyMarker ? all.findIndex((version) => version.versionId === versionIdMarker) + 1 : 0;
    for (let v = from; v < all.length; v++) {
      const version = all[v] as ObjectVersion;
      if (versions.length + deleteMarkers.length >= pageSize) {
        truncated = true;
        break outer;
      }
      const common = {
        Key: key,
        VersionId: version.versionId,
        IsLatest: v === 0,
        LastModified: version.lastModified,
        Owner: { ID: model.canonicalUserId },
      };
      if (version.deleteMarker) deleteMarkers.push(common);
      else {
        versions.push({
          ETag: `"${version.etag}"`,
          ...checksumFields(version),
          Size: version.body.length,
          StorageClass: version.storageClass as never,
          ...common,
        });
      }
      last = { key, versionId: version.versionId };
    }
  }
  return {
    IsTruncated: truncated,
    KeyMarker: keyMarker,
    VersionIdMarker: versionIdMarker,
    ...(truncated && last ? { NextKeyMarker: last.key, NextVersionIdMarker: last.versionId } : {}),
    ...(versions.length > 0 ? { Versions: versions } : {}),
    ...(deleteMarkers.length > 0 ? { DeleteMarkers: deleteMarkers } : {}),
    Name: bucket.name,
    Prefix: prefix,
    MaxKeys: maxKeys,
  };
}
