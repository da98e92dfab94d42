import {
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
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  paginateListBuckets,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import type { CaptureContext } from '../capture/context.js';
import { type PartOutcome, partValue, readPart } from '../capture/read-part.js';
import type { Gap, Json, JsonObject, ListedResource } from '../types/resource.js';
import { s3ArnParts } from './arn.js';
import { s3BucketCloudFormation } from './s3-bucket-cloudformation.js';
import { s3BucketRestore } from './s3-bucket-restore.js';
import {
  bucketSelected,
  listingPrefixes,
  lookupBucketRegion,
  objectFingerprint,
  objectSelected,
  regionFromLocation,
  S3_BUCKET_TYPE,
  S3_EVENT_SOURCE,
  S3_OBJECT_TYPE,
  splitObjectId,
} from './s3-shared.js';
import { s3Service } from './services.js';
import { limitedPages, parsePolicy, pick, stringField, tagsAsMap, toJson, toJsonObject } from './support.js';
import type { IdExtractor, ResourceDefinition } from './types.js';

/** The bucket a bucket-level call names: `requestParameters.bucketName`, else a bucket ARN in `resources`. */
export const bucketFromRecord: IdExtractor = (record) => {
  const name = stringField(record.requestParameters, 'bucketName');
  if (name) return [name];
  const names: string[] = [];
  for (const resource of record.resources ?? []) {
    const parts = resource?.type === S3_BUCKET_TYPE ? s3ArnParts(resource.ARN) : undefined;
    if (parts && parts.key === undefined) names.push(parts.bucket);
  }
  return names;
};

/** CloudTrail management events that create, delete or reconfigure a bucket. */
const BUCKET_EVENTS = [
  'CreateBucket',
  'DeleteBucket',
  'PutBucketPolicy',
  'DeleteBucketPolicy',
  'PutBucketAcl',
  'PutBucketVersioning',
  'PutBucketEncryption',
  'DeleteBucketEncryption',
  'PutBucketWebsite',
  'DeleteBucketWebsite',
  'PutBucketCors',
  'DeleteBucketCors',
  'PutBucketLifecycle',
  'DeleteBucketLifecycle',
  'PutBucketLogging',
  'PutBucketNotification',
  'PutBucketReplication',
  'DeleteBucketReplication',
  'PutObjectLockConfiguration',
  'PutBucketTagging',
  'DeleteBucketTagging',
  'PutBucketPublicAccessBlock',
  'DeleteBucketPublicAccessBlock',
  'PutBucketOwnershipControls',
  'DeleteBucketOwnershipControls',
] as const;

/** One bucket configuration read: IAM action, "not configured" codes, call and the document value. */
interface BucketPart<T> {
  readonly field: string;
  readonly operation: string;
  readonly absentCodes?: readonly string[];
  readonly call: (client: ReturnType<CaptureContext['clients']['s3']>, bucket: string) => Promise<T>;
  readonly value: (output: T) => Json;
}

function part<T>(spec: BucketPart<T>): BucketPart<unknown> {
  return spec as BucketPart<unknown>;
}

const inner = (value: unknown): Json => toJson(value) ?? null;

const BUCKET_PARTS: readonly BucketPart<unknown>[] = [
  part({
    field: 'Versioning',
    operation: 's3:GetBucketVersioning',
    call: (client, Bucket) => client.send(new GetBucketVersioningCommand({ Bucket })),
    value: (output) => pick(output, ['Status', 'MFADelete']),
  }),
  part({
    field: 'Policy',
    operation: 's3:GetBucketPolicy',
    absentCodes: ['NoSuchBucketPolicy'],
    call: (client, Bucket) => client.send(new GetBucketPolicyCommand({ Bucket })),
    value: (output) => inner(output.Policy),
  }),
  part({
    field: 'OwnershipControls',
    operation: 's3:GetBucketOwnershipControls',
    absentCodes: ['OwnershipControlsNotFoundError'],
    call: (client, Bucket) => client.send(new GetBucketOwnershipControlsCommand({ Bucket })),
    value: (output) => inner(output.OwnershipControls),
  }),
  part({
    field: 'Acl',
    operation: 's3:GetBucketAcl',
    call: (client, Bucket) => client.send(new GetBucketAclCommand({ Bucket })),
    value: (output) => pick(output, ['Owner', 'Grants']),
  }),
  part({
    field: 'PublicAccessBlock',
    operation: 's3:GetBucketPublicAccessBlock',
    absentCodes: ['NoSuchPublicAccessBlockConfiguration'],
    call: (client, Bucket) => client.send(new GetPublicAccessBlockCommand({ Bucket })),
    value: (output) => inner(output.PublicAccessBlockConfiguration),
  }),
  part({
    field: 'Encryption',
    operation: 's3:GetEncryptionConfiguration',
    absentCodes: ['ServerSideEncryptionConfigurationNotFoundError'],
    call: (client, Bucket) => client.send(new GetBucketEncryptionCommand({ Bucket })),
    value: (output) => inner(output.ServerSideEncryptionConfiguration),
  }),
  part({
    field: 'Website',
    operation: 's3:GetBucketWebsite',
    absentCodes: ['NoSuchWebsiteConfiguration'],
    call: (client, Bucket) => client.send(new GetBucketWebsiteCommand({ Bucket })),
    value: (output) => toJsonObject(output),
  }),
  part({
    field: 'Cors',
    operation: 's3:GetBucketCORS',
    absentCodes: ['NoSuchCORSConfiguration'],
    call: (client, Bucket) => client.send(new GetBucketCorsCommand({ Bucket })),
    value: (output) => inner(output.CORSRules ?? []),
  }),
  part({
    field: 'Lifecycle',
    operation: 's3:GetLifecycleConfiguration',
    absentCodes: ['NoSuchLifecycleConfiguration'],
    call: (client, Bucket) => client.send(new GetBucketLifecycleConfigurationCommand({ Bucket })),
    value: (output) => toJsonObject(output),
  }),
  part({
    field: 'Logging',
    operation: 's3:GetBucketLogging',
    call: (client, Bucket) => client.send(new GetBucketLoggingCommand({ Bucket })),
    value: (output) => inner(output.LoggingEnabled ?? null),
  }),
  part({
    field: 'Notification',
    operation: 's3:GetBucketNotification',
    call: (client, Bucket) => client.send(new GetBucketNotificationConfigurationCommand({ Bucket })),
    value: (output) => toJsonObject(output),
  }),
  part({
    field: 'Replication',
    operation: 's3:GetReplicationConfiguration',
    absentCodes: ['ReplicationConfigurationNotFoundError'],
    call: (client, Bucket) => client.send(new GetBucketReplicationCommand({ Bucket })),
    value: (output) => inner(output.ReplicationConfiguration),
  }),
  part({
    field: 'ObjectLock',
    operation: 's3:GetBucketObjectLockConfiguration',
    absentCodes: ['ObjectLockConfigurationNotFoundError'],
    call: (client, Bucket) => client.send(new GetObjectLockConfigurationCommand({ Bucket })),
    value: (output) => inner(output.ObjectLockConfiguration),
  }),
  part({
    field: 'Tags',
    operation: 's3:GetBucketTagging',
    absentCodes: ['NoSuchTagSet'],
    call: (client, Bucket) => client.send(new GetBucketTaggingCommand({ Bucket })),
    value: (output) => inner(output.TagSet ?? []),
  }),
];

async function* listBuckets(ctx: CaptureContext, region: string): AsyncGenerator<ListedResource> {
  const client = ctx.client(s3Service, region);
  for await (const page of limitedPages(ctx.limit(s3Service), paginateListBuckets({ client }, {}))) {
    for (const bucket of page.Buckets ?? []) {
      if (!bucket.Name) continue;
      // A bucket whose region cannot be learnt (both lookups denied) cannot be placed, so it is not listed.
      const bucketRegion = bucket.BucketRegion ?? (await lookupBucketRegion(ctx, bucket.Name, region));
      if (bucketRegion === region) yield { id: bucket.Name, region };
    }
  }
}

async function describeBucket(ctx: CaptureContext, bucket: string, region: string) {
  const spec = { type: S3_BUCKET_TYPE, region, id: bucket };
  const location = await readPart({ ...spec, operation: 's3:GetBucketLocation' }, () =>
    ctx.limit(s3Service)(() =>
      ctx.client(s3Service, region).send(new GetBucketLocationCommand({ Bucket: bucket })),
    ),
  );
  if (location.state === 'not-found') return { status: 'not-found' } as const;
  if (location.state === 'gap') return { status: 'gap', gap: location.gap } as const;
  const actualRegion =
    location.state === 'ok' ? regionFromLocation(location.value.LocationConstraint) : region;
  const client = ctx.client(s3Service, actualRegion);

  const outcomes: PartOutcome<unknown>[] = await Promise.all(
    BUCKET_PARTS.map((bucketPart) =>
      readPart(
        {
          ...spec,
          operation: bucketPart.operation,
          ...(bucketPart.absentCodes ? { absentCodes: bucketPart.absentCodes } : {}),
        },
        () => ctx.limit(s3Service)(() => bucketPart.call(client, bucket)),
      ),
    ),
  );
  if (outcomes.some((outcome) => outcome.state === 'not-found')) return { status: 'not-found' } as const;

  const raw: JsonObject = { Name: bucket, Region: actualRegion };
  const gaps: Gap[] = [];
  BUCKET_PARTS.forEach((bucketPart, index) => {
    const outcome = outcomes[index] as PartOutcome<unknown>;
    raw[bucketPart.field] = partValue(outcome, bucketPart.value);
    if (outcome.state === 'gap') gaps.push(outcome.gap);
  });
  return { status: 'found', raw, ...(gaps.length > 0 ? { gaps } : {}) } as const;
}

/**
 * A bucket's selected objects in key order (S3 lists keys in UTF-8 binary order, and the selection's prefixes
 * are sorted and never nested), after the object id `after` when given.
 */
async function* listObjects(
  ctx: CaptureContext,
  bucket: string,
  region: string,
  after?: string,
): AsyncGenerator<ListedResource> {
  if (!bucketSelected(ctx.objects, bucket)) return;
  const client = ctx.client(s3Service, region);
  const startAfter = after === undefined ? undefined : splitObjectId(after).key;
  for (const prefix of listingPrefixes(ctx.objects, bucket)) {
    const input = {
      Bucket: bucket,
      ...(prefix ? { Prefix: prefix } : {}),
      ...(startAfter ? { StartAfter: startAfter } : {}),
    };
    for await (const page of limitedPages(ctx.limit(s3Service), paginateListObjectsV2({ client }, input))) {
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined || !objectSelected(ctx.objects, bucket, object.Key)) continue;
        yield {
          id: `${bucket}/${object.Key}`,
          region,
          fingerprint: objectFingerprint(object.ETag, object.Size, object.LastModified),
        };
      }
    }
  }
}

/**
 * `AWS::S3::Bucket`: a bucket's configuration (versioning, policy, ACL, encryption, website, CORS, lifecycle,
 * logging, notifications, replication, object lock, tags). Identifier: the bucket name. Its objects are
 * listed as children.
 */
export const s3Bucket: ResourceDefinition = {
  type: S3_BUCKET_TYPE,
  service: s3Service,
  eventSource: S3_EVENT_SOURCE,
  scope: 'regional',
  listOperation: 's3:ListAllMyBuckets',
  permissions: [
    's3:ListAllMyBuckets',
    's3:GetBucketLocation',
    ...BUCKET_PARTS.map((bucketPart) => bucketPart.operation),
    's3:ListBucket',
  ],
  volatile: [],
  secrets: [],
  events: Object.fromEntries(BUCKET_EVENTS.map((name) => [name, bucketFromRecord])),
  list: listBuckets,
  restore: s3BucketRestore,
  cloudFormation: s3BucketCloudFormation,
  describe: describeBucket,
  normalise(raw) {
    const normalised: JsonObject = { ...raw };
    const policy = parsePolicy(raw.Policy);
    if (policy !== undefined) normalised.Policy = policy;
    const tags = tagsAsMap(raw.Tags);
    if (tags !== undefined) normalised.Tags = tags;
    return normalised;
  },
  children: [
    {
      type: S3_OBJECT_TYPE,
      listOperation: 's3:ListBucket',
      order: 'utf8-ascending',
      ids: 'parent-prefixed',
      list: listObjects,
    },
  ],
};
