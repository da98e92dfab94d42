import {
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  type HeadObjectOutput,
} from '@aws-sdk/client-s3';
import type { CaptureContext } from '../capture/context.js';
import { partValue, readPart } from '../capture/read-part.js';
import { GapKind } from '../constants.js';
import type {
  BlobRefs,
  Described,
  Gap,
  JsonObject,
  ListedResource,
  PreviousCapture,
} from '../types/resource.js';
import { s3ArnParts } from './arn.js';
import { s3ObjectCloudFormation } from './s3-object-cloudformation.js';
import { s3ObjectRestore } from './s3-object-restore.js';
import {
  objectFingerprint,
  objectSelected,
  S3_EVENT_SOURCE,
  S3_OBJECT_TYPE,
  splitObjectId,
} from './s3-shared.js';
import { s3Service } from './services.js';
import { countBytes, field, pick, stringField, tagsAsMap, toJson } from './support.js';
import type { IdExtractor, ResourceDefinition } from './types.js';

/** `HeadObject` fields recorded in an object's document. Never the SSE-C key fields. */
const HEAD_FIELDS = [
  'ContentType',
  'CacheControl',
  'ContentDisposition',
  'ContentEncoding',
  'ContentLanguage',
  'Metadata',
  'ServerSideEncryption',
  'SSEKMSKeyId',
  'BucketKeyEnabled',
  'VersionId',
  'ETag',
  'ContentLength',
  'ChecksumType',
  'WebsiteRedirectLocation',
  'ObjectLockMode',
  'ObjectLockRetainUntilDate',
  'ObjectLockLegalHoldStatus',
  'LastModified',
] as const;

/** Storage classes whose content must be restored before it can be read. */
const ARCHIVED_CLASSES = new Set(['GLACIER', 'DEEP_ARCHIVE']);
const ARCHIVED_TIERS = new Set(['ARCHIVE_ACCESS', 'DEEP_ARCHIVE_ACCESS']);

/** Which object a data event names: `requestParameters.bucketName` + `key`, else object ARNs in `resources`. */
export const objectFromRecord: IdExtractor = (record) => {
  const bucket = stringField(record.requestParameters, 'bucketName');
  const key = stringField(record.requestParameters, 'key');
  if (bucket && key) return [`${bucket}/${key}`];
  return objectsFromResources(record.resources);
};

function objectsFromResources(
  resources: readonly { ARN?: string; type?: string }[] | null | undefined,
): string[] {
  const ids: string[] = [];
  for (const resource of resources ?? []) {
    const parts = resource?.type === S3_OBJECT_TYPE ? s3ArnParts(resource.ARN) : undefined;
    if (parts?.key) ids.push(`${parts.bucket}/${parts.key}`);
  }
  return ids;
}

/**
 * The objects a `DeleteObjects` call names. CloudTrail usually records `delete: ""` without the keys;
 * when a trail does carry them (`delete.Object[].Key`, `Delete.Objects[].Key`…) each becomes an id.
 */
export const deletedObjectsFromRecord: IdExtractor = (record) => {
  const bucket = stringField(record.requestParameters, 'bucketName');
  if (!bucket) return [];
  const request = field(record.requestParameters, 'delete') ?? field(record.requestParameters, 'Delete');
  const listed = field(request, 'Object') ?? field(request, 'Objects') ?? field(request, 'objects');
  const entries = Array.isArray(listed) ? listed : listed === undefined ? [] : [listed];
  const ids = entries
    .map((entry) => stringField(entry, 'Key') ?? stringField(entry, 'key'))
    .filter((key): key is string => key !== undefined)
    .map((key) => `${bucket}/${key}`);
  return ids.length > 0 ? ids : objectsFromResources(record.resources);
};

/** CloudTrail data events that create, delete or change an object. */
const OBJECT_EVENTS = [
  'PutObject',
  'CopyObject',
  'CompleteMultipartUpload',
  'DeleteObject',
  'PutObjectTagging',
  'DeleteObjectTagging',
  'PutObjectAcl',
  'PutObjectRetention',
  'PutObjectLegalHold',
  'RestoreObject',
] as const;

function isArchived(head: HeadObjectOutput): boolean {
  const archived =
    ARCHIVED_CLASSES.has(head.StorageClass ?? 'STANDARD') || ARCHIVED_TIERS.has(head.ArchiveStatus ?? '');
  return archived && !(head.Restore ?? '').includes('ongoing-request="false"');
}

/** A version id that names one immutable version (`null` is the overwritable pre-versioning version). */
function stableVersion(versionId: unknown): string | undefined {
  return typeof versionId === 'string' && versionId !== '' && versionId !== 'null' ? versionId : undefined;
}

/** Whether the previous capture holds the same content as the object now described. */
function sameContent(
  previous: PreviousCapture | undefined,
  head: HeadObjectOutput,
): previous is PreviousCapture {
  if (!previous?.blobs.content) return false;
  const before = previous.document;
  const version = stableVersion(head.VersionId);
  if (version !== undefined) return stableVersion(before.VersionId) === version;
  return (
    stableVersion(before.VersionId) === undefined &&
    head.ETag !== undefined &&
    before.ETag === head.ETag &&
    before.ContentLength === (head.ContentLength ?? null)
  );
}

async function* emptyBody(): AsyncGenerator<Uint8Array> {}

/** The bytes of one GET, as an async iterable, counted into `bytesDownloaded`. */
function bodyBytes(ctx: CaptureContext, body: unknown): AsyncIterable<Uint8Array> {
  if (body === undefined || body === null) return emptyBody();
  if (typeof body !== 'object' || !(Symbol.asyncIterator in body)) {
    throw new Error('s3 object body is not a stream');
  }
  return countBytes(body as AsyncIterable<Uint8Array>, (bytes) => {
    ctx.counters.bytesDownloaded += bytes;
  });
}

/**
 * The object's bytes, streamed into the content store: one GET, or sequential ranged GETs of `partSize`
 * for larger objects. `IfMatch` and the version id keep every part from the same object version.
 */
async function downloadContent(
  ctx: CaptureContext,
  bucket: string,
  key: string,
  region: string,
  head: HeadObjectOutput,
) {
  const client = ctx.client(s3Service, region);
  const size = head.ContentLength ?? 0;
  const base = {
    Bucket: bucket,
    Key: key,
    ...(head.VersionId ? { VersionId: head.VersionId } : {}),
    ...(head.ETag ? { IfMatch: head.ETag } : {}),
  };
  const get = (range?: string) =>
    ctx.limit(s3Service)(() =>
      client.send(new GetObjectCommand({ ...base, ...(range ? { Range: range } : {}) })),
    );

  async function* parts(): AsyncGenerator<Uint8Array> {
    if (size <= ctx.partSize) {
      yield* bodyBytes(ctx, (await get()).Body);
      return;
    }
    for (let start = 0; start < size; start += ctx.partSize) {
      const end = Math.min(start + ctx.partSize, size) - 1;
      yield* bodyBytes(ctx, (await get(`bytes=${start}-${end}`)).Body);
    }
  }

  return ctx.downloads(() => ctx.content.putStream(parts()));
}

async function describeObject(
  ctx: CaptureContext,
  id: string,
  region: string,
  previous?: PreviousCapture,
): Promise<Described> {
  const { bucket, key } = splitObjectId(id);
  const spec = { type: S3_OBJECT_TYPE, region, id };
  const client = ctx.client(s3Service, region);

  // One retry when the object changes between HeadObject and GetObject (IfMatch fails).
  for (let attempt = 1; ; attempt++) {
    const head = await readPart({ ...spec, operation: 's3:GetObject' }, () =>
      ctx.limit(s3Service)(() =>
        client.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' })),
      ),
    );
    if (head.state === 'not-found' || head.state === 'absent') return { status: 'not-found' };
    if (head.state === 'gap') return { status: 'gap', gap: head.gap };
    const meta = head.value;

    const version = stableVersion(meta.VersionId);
    const tagging = await readPart(
      { ...spec, operation: version ? 's3:GetObjectVersionTagging' : 's3:GetObjectTagging' },
      () =>
        ctx.limit(s3Service)(() =>
          client.send(
            new GetObjectTaggingCommand({
              Bucket: bucket,
              Key: key,
              ...(version ? { VersionId: version } : {}),
            }),
          ),
        ),
    );
    if (tagging.state === 'not-found') return { status: 'not-found' };

    const raw: JsonObject = {
      Bucket: bucket,
      Key: key,
      ...pick(meta, HEAD_FIELDS),
      ...checksums(meta),
      StorageClass: meta.StorageClass ?? 'STANDARD',
      Tags: partValue(tagging, (output) => toJson(output.TagSet ?? []) ?? []),
    };
    const expires = meta.ExpiresString ?? toJson(meta.Expires);
    if (typeof expires === 'string') raw.Expires = expires;
    const gaps: Gap[] = tagging.state === 'gap' ? [tagging.gap] : [];
    const fingerprint = objectFingerprint(meta.ETag, meta.ContentLength, meta.LastModified);
    const found = (blobs?: BlobRefs): Described => ({
      status: 'found',
      raw,
      fingerprint,
      ...(blobs ? { blobs } : {}),
      ...(gaps.length > 0 ? { gaps } : {}),
    });

    // Outside the selection only metadata is kept (the engine normally does not capture such objects at all).
    if (!objectSelected(ctx.objects, bucket, key)) return found();
    if (sameContent(previous, meta)) return found({ content: previous.blobs.content as string });
    if (ctx.metadataOnly) return found();
    if (isArchived(meta)) {
      gaps.push({
        kind: GapKind.NEEDS_RESTORE,
        ...spec,
        operation: 's3:GetObject',
        code: 'InvalidObjectState',
        message: `object is in storage class ${meta.StorageClass ?? meta.ArchiveStatus}; restore it to capture its content`,
      });
      return found();
    }

    const download = await readPart({ ...spec, operation: 's3:GetObject' }, () =>
      downloadContent(ctx, bucket, key, region, meta),
    );
    if (download.state === 'ok') return found({ content: download.value.hash });
    if (download.state === 'not-found' || download.state === 'absent') return { status: 'not-found' };
    if (download.gap.code === 'PreconditionFailed' && attempt < 2) continue;
    gaps.push(download.gap);
    return found();
  }
}

/** Every `Checksum*` value `HeadObject` returned (algorithms are added over time). */
function checksums(meta: HeadObjectOutput): JsonObject {
  const result: JsonObject = {};
  for (const [name, value] of Object.entries(meta)) {
    if (name.startsWith('Checksum') && name !== 'ChecksumType' && typeof value === 'string')
      result[name] = value;
  }
  return result;
}

/** Objects are listed per bucket by the bucket definition's `children`; a baseline never lists them alone. */
async function* noListing(): AsyncGenerator<ListedResource> {}

/**
 * `AWS::S3::Object`: an object's metadata and tags, with its bytes as the `content` blob. Identifier:
 * `bucket/key`; region: the bucket's.
 */
export const s3Object: ResourceDefinition = {
  type: S3_OBJECT_TYPE,
  service: s3Service,
  eventSource: S3_EVENT_SOURCE,
  scope: 'regional',
  listedByParent: true,
  notifications: [
    {
      source: 'aws.s3',
      detailTypes: ['Object Created', 'Object Deleted'],
      changes: true,
      filterField: 'bucket.name',
      ids(event) {
        const bucket = stringField(event.detail, 'bucket', 'name');
        const key = stringField(event.detail, 'object', 'key');
        return bucket && key ? [`${bucket}/${key}`] : [];
      },
      cause(event) {
        const eventName = stringField(event.detail, 'reason');
        const principal = stringField(event.detail, 'requester');
        return { ...(eventName ? { eventName } : {}), ...(principal ? { principal } : {}) };
      },
    },
  ],
  selected(ctx, id) {
    const slash = id.indexOf('/');
    return slash > 0 && objectSelected(ctx.objects, id.slice(0, slash), id.slice(slash + 1));
  },
  listOperation: 's3:ListBucket',
  permissions: [
    's3:GetObject',
    's3:GetObjectVersion',
    's3:GetObjectTagging',
    's3:GetObjectVersionTagging',
    's3:ListBucket',
  ],
  volatile: ['LastModified'],
  secrets: [],
  events: {
    ...Object.fromEntries(OBJECT_EVENTS.map((name) => [name, objectFromRecord])),
    DeleteObjects: deletedObjectsFromRecord,
  },
  list: noListing,
  describe: describeObject,
  restore: s3ObjectRestore,
  cloudFormation: s3ObjectCloudFormation,
  normalise(raw) {
    const normalised: JsonObject = { ...raw };
    const tags = tagsAsMap(raw.Tags);
    if (tags !== undefined) normalised.Tags = tags;
    return normalised;
  },
};
