import {
  AbortMultipartUploadCommand,
  ChecksumAlgorithm,
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCorsCommand,
  DeleteBucketEncryptionCommand,
  DeleteBucketLifecycleCommand,
  DeleteBucketPolicyCommand,
  DeleteBucketTaggingCommand,
  DeleteBucketWebsiteCommand,
  DeleteObjectCommand,
  DeleteObjectTaggingCommand,
  DeletePublicAccessBlockCommand,
  PutBucketCorsCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutBucketWebsiteCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  PutPublicAccessBlockCommand,
  type ServerSideEncryptionConfiguration,
  type Tag,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { md5Hex, utf8 } from './content.js';
import {
  type CallContext,
  defineOperation,
  type InputOf,
  type Operation,
  type OutputOf,
} from './dispatch.js';
import { fault } from './errors.js';
import { deletionHeaders, type ObjectTaggingCall, type ObjectWriteCall, s3Xml } from './events.js';
import {
  type BucketConfiguration,
  type ObjectEncryption,
  type ObjectVersion,
  type ObjectWrite,
  optional,
  SimBucket,
  wholeSeconds,
} from './model.js';
import {
  archived,
  type BucketCommand,
  bucketTarget,
  encryptionHeaders,
  etagMatches,
  findBucket,
  findVersion,
  objectTarget,
  preconditionFailed,
  versionAction,
} from './s3-api.js';
import type { SimulationContext } from './service-simulator.js';

/** Storage classes a general purpose bucket accepts for a new object. */
const STORAGE_CLASSES: ReadonlySet<string> = new Set([
  'STANDARD',
  'REDUCED_REDUNDANCY',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER',
  'DEEP_ARCHIVE',
  'GLACIER_IR',
]);

/** The checksum fields of S3 requests and responses (`ChecksumCRC32`…), one per algorithm. */
const CHECKSUM_FIELDS = Object.values(ChecksumAlgorithm).map((algorithm) => `Checksum${algorithm}` as const);
type ChecksumField = (typeof CHECKSUM_FIELDS)[number];

/** S3's smallest part of a multipart upload, but for the last one. */
const MIN_PART_SIZE = 5 * 1024 * 1024;
const UPLOAD_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-';

/** Encryption of a bucket created without any: SSE-S3, S3's default for every new bucket. */
const SSE_S3: ServerSideEncryptionConfiguration = {
  Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }],
};

const MALFORMED_XML =
  'The XML you provided was not well-formed or did not validate against our published schema';

type PutObjectInput = InputOf<typeof PutObjectCommand>;
/** The object attributes a PutObject, a CreateMultipartUpload or a CopyObject with `REPLACE` sets. */
type AttributeInput = Pick<
  PutObjectInput,
  | 'ContentType'
  | 'CacheControl'
  | 'ContentDisposition'
  | 'ContentEncoding'
  | 'ContentLanguage'
  | 'Expires'
  | 'Metadata'
  | 'WebsiteRedirectLocation'
>;
/** What a request says about a new object's storage: class, encryption, checksum. */
type StorageInput = Pick<
  PutObjectInput,
  'StorageClass' | 'ServerSideEncryption' | 'SSEKMSKeyId' | 'BucketKeyEnabled' | 'ChecksumAlgorithm'
> &
  Partial<Record<ChecksumField, string | undefined>>;

/**
 * The S3 write calls of the simulated account, for `s3Profile`: object uploads (single and multipart), copies,
 * deletions and tagging, bucket creation and bucket configuration writes. Each success changes the model and emits
 * what AWS emits for it (S3's EventBridge notifications and CloudTrail records), with the caller's user agent.
 */
export function s3WriteOperations(context: SimulationContext): Operation[] {
  return [...objectWrites(context), ...multipartUploads(context), ...bucketWrites(context)];
}

function objectWrites(context: SimulationContext): Operation[] {
  const { model } = context;
  return [
    defineOperation(PutObjectCommand, {
      action: 's3:PutObject',
      target: objectTarget,
      answer: async (input, call) => {
        const bucket = findBucket(model, input.Bucket, call, false);
        const key = input.Key ?? '';
        checkWritePreconditions(bucket, key, input);
        const write: ObjectWrite = {
          body: await bodyBytes(input.Body),
          ...attributes(input),
          ...storage(context, bucket, input),
          ...optional('tags', taggingHeader(input.Tagging)),
        };
        const version = writeObject(context, bucket, key, write, call);
        const checksums = givenChecksums(input);
        return {
          ETag: `"${version.etag}"`,
          ...checksums,
          ...(Object.keys(checksums).length > 0 ? { ChecksumType: 'FULL_OBJECT' as const } : {}),
          ...writeHeaders(bucket, version),
        };
      },
    }),
    defineOperation(CopyObjectCommand, {
      action: 's3:PutObject',
      target: objectTarget,
      answer: (input, call) => {
        const bucket = findBucket(model, input.Bucket, call, false);
        const key = input.Key ?? '';
        const source = copySource(context, input.CopySource ?? '', call);
        if (source.version === bucket.current(key) && !changesOnCopy(input)) {
          throw fault(
            'InvalidRequest',
            400,
            "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
          );
        }
        const from = source.version;
        const write: ObjectWrite = {
          body: from.body,
          ...(input.MetadataDirective === 'REPLACE' ? attributes(input) : copiedAttributes(from)),
          ...optional('websiteRedirectLocation', input.WebsiteRedirectLocation),
          ...storage(context, bucket, {
            ...input,
            ChecksumAlgorithm: input.ChecksumAlgorithm ?? (from.checksumAlgorithm as ChecksumAlgorithm),
          }),
          tags: input.TaggingDirective === 'REPLACE' ? (taggingHeader(input.Tagging) ?? []) : from.tags,
        };
        const version = writeObject(context, bucket, key, write, call, {
          eventName: 'CopyObject',
          ...optional('copySource', input.CopySource),
        });
        return {
          CopyObjectResult: { ETag: `"${version.etag}"`, LastModified: version.lastModified },
          ...optional('CopySourceVersionId', source.bucket.versioned ? from.versionId : undefined),
          ...writeHeaders(bucket, version),
        };
      },
    }),
    defineOperation(DeleteObjectCommand, {
      action: versionAction('s3:DeleteObject', 's3:DeleteObjectVersion'),
      target: objectTarget,
      answer: (input, call) => {
        const bucket = findBucket(model, input.Bucket, call, false);
        const key = input.Key ?? '';
        const at = context.now();
        const removed =
          input.VersionId === undefined
            ? bucket.remove(key, at, model.random)
            : bucket.removeVersion(key, input.VersionId);
        context.emit(
          context.events.objectDeleted(bucket, key, removed, at, {
            userAgent: call.userAgent,
            ...optional('versionId', input.VersionId),
          }),
        );
        call.status = 204;
        const headers = deletionHeaders(removed, input.VersionId);
        return {
          ...optional('VersionId', headers?.['x-amz-version-id']),
          ...(headers?.['x-amz-delete-marker'] ? { DeleteMarker: true } : {}),
        };
      },
    }),
    defineOperation(PutObjectTaggingCommand, {
      action: versionAction('s3:PutObjectTagging', 's3:PutObjectVersionTagging'),
      target: objectTarget,
      answer: (input, call) =>
        retag(context, input, call, {
          eventName: 'PutObjectTagging',
          tags: objectTags(input.Tagging?.TagSet ?? []),
        }),
    }),
    defineOperation(DeleteObjectTaggingCommand, {
      action: versionAction('s3:DeleteObjectTagging', 's3:DeleteObjectVersionTagging'),
      target: objectTarget,
      answer: (input, call) => {
        call.status = 204;
        return retag(context, input, call, { eventName: 'DeleteObjectTagging' });
      },
    }),
  ];
}

/** A multipart upload in progress: the object CreateMultipartUpload described, and the parts uploaded so far. */
interface PendingUpload {
  readonly bucket: string;
  readonly key: string;
  readonly object: Omit<ObjectWrite, 'body'> & { readonly encryption: ObjectEncryption };
  readonly parts: Map<number, { readonly body: Uint8Array; readonly etag: string }>;
}

type UploadInput = { Bucket?: string | undefined; Key?: string | undefined; UploadId?: string | undefined };

function multipartUploads(context: SimulationContext): Operation[] {
  const { model } = context;
  const uploads = new Map<string, PendingUpload>();
  /** The bucket and upload a call names; `NoSuchUpload` for an upload completed, aborted or never created. */
  const findUpload = (input: UploadInput, call: CallContext) => {
    const bucket = findBucket(model, input.Bucket, call, false);
    const upload = uploads.get(input.UploadId ?? '');
    if (!upload || upload.bucket !== bucket.name || upload.key !== input.Key) {
      throw fault(
        'NoSuchUpload',
        404,
        'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
        { UploadId: input.UploadId },
      );
    }
    return { bucket, upload };
  };
  return [
    defineOperation(CreateMultipartUploadCommand, {
      action: 's3:PutObject',
      target: objectTarget,
      answer: (input, call) => {
        const bucket = findBucket(model, input.Bucket, call, false);
        const object = {
          ...attributes(input),
          ...storage(context, bucket, input),
          ...optional('tags', taggingHeader(input.Tagging)),
          encryption: requestedEncryption(context, bucket, input) ?? bucket.defaultEncryption(),
        };
        const uploadId = model.random.chars(64, UPLOAD_ID_ALPHABET);
        uploads.set(uploadId, { bucket: bucket.name, key: input.Key ?? '', object, parts: new Map() });
        const algorithm = input.ChecksumAlgorithm;
        return {
          Bucket: bucket.name,
          Key: input.Key,
          UploadId: uploadId,
          ...encryptionHeaders(object.encryption),
          ...optional('ChecksumAlgorithm', algorithm),
          ...optional(
            'ChecksumType',
            algorithm && (input.ChecksumType ?? (algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE')),
          ),
        };
      },
    }),
    defineOperation(UploadPartCommand, {
      action: 's3:PutObject',
      target: objectTarget,
      answer: async (input, call) => {
        const { upload } = findUpload(input, call);
        const partNumber = input.PartNumber ?? 0;
        if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10_000) {
          throw fault(
            'InvalidArgument',
            400,
            'Part number must be an integer between 1 and 10000, inclusive',
            {
              ArgumentName: 'partNumber',
              ArgumentValue: String(partNumber),
            },
          );
        }
        const body = await bodyBytes(input.Body);
        const etag = md5Hex(body);
        upload.parts.set(partNumber, { body, etag });
        return {
          ETag: `"${etag}"`,
          ...givenChecksums(input),
          ...encryptionHeaders(upload.object.encryption),
        };
      },
    }),
    defineOperation(CompleteMultipartUploadCommand, {
      action: 's3:PutObject',
      target: objectTarget,
      answer: (input, call) => {
        const { bucket, upload } = findUpload(input, call);
        const parts = listedParts(upload, input.MultipartUpload?.Parts ?? [], input.UploadId ?? '');
        const write: ObjectWrite = {
          ...upload.object,
          body: Buffer.concat(parts.map((part) => part.body)),
          etag: `${md5Hex(Buffer.concat(parts.map((part) => Buffer.from(part.etag, 'hex'))))}-${parts.length}`,
        };
        uploads.delete(input.UploadId ?? '');
        const version = writeObject(context, bucket, upload.key, write, call, {
          eventName: 'CompleteMultipartUpload',
        });
        return {
          Location: `https://${bucket.name}.s3.${bucket.region}.amazonaws.com/${encodeURIComponent(upload.key)}`,
          Bucket: bucket.name,
          Key: upload.key,
          ETag: `"${version.etag}"`,
          ...writeHeaders(bucket, version),
        };
      },
    }),
    defineOperation(AbortMultipartUploadCommand, {
      action: 's3:AbortMultipartUpload',
      target: objectTarget,
      answer: (input, call) => {
        findUpload(input, call);
        uploads.delete(input.UploadId ?? '');
        call.status = 204;
        return {};
      },
    }),
  ];
}

/** How a bucket configuration write is answered and recorded. */
interface ConfigurationWrite<C extends BucketCommand> {
  /** The IAM action, as AWS names it (`s3:PutBucketCORS` for `PutBucketCors` and `DeleteBucketCors`). */
  readonly action: string;
  /** The CloudTrail event name. @default the operation name */
  readonly eventName?: string;
  /** The request's sub-resource (`?cors`), recorded as an empty request parameter. */
  readonly subresource: string;
  /** Validates and applies the change; returns the response. */
  readonly apply: (bucket: SimBucket, input: InputOf<C>) => OutputOf<C>;
  /** The request body as CloudTrail records it. */
  readonly body?: (input: InputOf<C>) => Record<string, unknown>;
  /** @default 200 */
  readonly status?: 200 | 204;
}

function bucketWrites(context: SimulationContext): Operation[] {
  const { model } = context;
  const configurationWrite = <C extends BucketCommand>(command: C, spec: ConfigurationWrite<C>): Operation =>
    defineOperation(command, {
      action: spec.action,
      target: bucketTarget,
      answer: (input, call) => {
        const bucket = findBucket(model, input.Bucket, call, false);
        const output = spec.apply(bucket, input);
        call.status = spec.status ?? 200;
        const change = {
          eventName: spec.eventName ?? command.name.replace(/Command$/, ''),
          subresource: spec.subresource,
          ...optional('body', spec.body?.(input)),
          userAgent: call.userAgent,
        };
        context.emit(context.events.bucketChanged(bucket, change, context.now()));
        return output;
      },
    });
  /** A delete of one part of the configuration: it succeeds whether or not that part was configured. */
  const unset =
    (field: 'policy' | 'tags' | 'cors' | 'website' | 'publicAccessBlock' | 'lifecycle') =>
    (bucket: SimBucket) => {
      bucket.config[field] = undefined;
      return {};
    };
  return [
    defineOperation(CreateBucketCommand, {
      action: 's3:CreateBucket',
      target: bucketTarget,
      answer: (input, call) => {
        const name = input.Bucket ?? '';
        checkBucketName(name);
        const constraint = input.CreateBucketConfiguration?.LocationConstraint;
        const region = creationRegion(constraint, call);
        const existing = model.buckets.get(name);
        // In us-east-1, S3 answers 200 for a bucket its caller already owns, for legacy clients, and keeps it as is.
        if (existing && !(existing.region === 'us-east-1' && call.region === 'us-east-1')) {
          throw fault(
            'BucketAlreadyOwnedByYou',
            409,
            'Your previous request to create the named bucket succeeded and you already own it.',
            { BucketName: name },
          );
        }
        const bucket = existing ?? new SimBucket(name, newBucket(region, context.now()));
        model.buckets.set(name, bucket);
        const body = constraint && s3Xml('CreateBucketConfiguration', { LocationConstraint: constraint });
        context.emit(
          context.events.bucketChanged(
            bucket,
            { eventName: 'CreateBucket', ...optional('body', body), userAgent: call.userAgent },
            context.now(),
          ),
        );
        return { Location: region === 'us-east-1' ? `/${name}` : `http://${name}.s3.amazonaws.com/` };
      },
    }),
    configurationWrite(PutBucketPolicyCommand, {
      action: 's3:PutBucketPolicy',
      subresource: 'policy',
      status: 204,
      apply: (bucket, input) => {
        policyDocument(input.Policy);
        bucket.config.policy = input.Policy;
        return {};
      },
      body: (input) => ({ bucketPolicy: policyDocument(input.Policy) }),
    }),
    configurationWrite(DeleteBucketPolicyCommand, {
      action: 's3:DeleteBucketPolicy',
      subresource: 'policy',
      status: 204,
      apply: unset('policy'),
    }),
    configurationWrite(PutBucketTaggingCommand, {
      action: 's3:PutBucketTagging',
      subresource: 'tagging',
      status: 204,
      apply: (bucket, input) => {
        bucket.config.tags = uniqueTags(input.Tagging?.TagSet ?? []);
        return {};
      },
      body: (input) => s3Xml('Tagging', { TagSet: { Tag: input.Tagging?.TagSet ?? [] } }),
    }),
    configurationWrite(DeleteBucketTaggingCommand, {
      action: 's3:PutBucketTagging',
      subresource: 'tagging',
      status: 204,
      apply: unset('tags'),
    }),
    configurationWrite(PutBucketCorsCommand, {
      action: 's3:PutBucketCORS',
      subresource: 'cors',
      apply: (bucket, input) => {
        bucket.config.cors = required(input.CORSConfiguration?.CORSRules);
        return {};
      },
      body: (input) => s3Xml('CORSConfiguration', { CORSRule: input.CORSConfiguration?.CORSRules }),
    }),
    configurationWrite(DeleteBucketCorsCommand, {
      action: 's3:PutBucketCORS',
      subresource: 'cors',
      status: 204,
      apply: unset('cors'),
    }),
    configurationWrite(PutBucketWebsiteCommand, {
      action: 's3:PutBucketWebsite',
      subresource: 'website',
      apply: (bucket, input) => {
        const website = input.WebsiteConfiguration ?? {};
        if (!website.IndexDocument?.Suffix && !website.RedirectAllRequestsTo) {
          throw fault(
            'InvalidArgument',
            400,
            'A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty',
            { ArgumentName: 'IndexDocument', ArgumentValue: 'null' },
          );
        }
        bucket.config.website = structuredClone(website);
        return {};
      },
      body: (input) => s3Xml('WebsiteConfiguration', { ...input.WebsiteConfiguration }),
    }),
    configurationWrite(DeleteBucketWebsiteCommand, {
      action: 's3:DeleteBucketWebsite',
      subresource: 'website',
      status: 204,
      apply: unset('website'),
    }),
    configurationWrite(PutPublicAccessBlockCommand, {
      action: 's3:PutBucketPublicAccessBlock',
      eventName: 'PutBucketPublicAccessBlock',
      subresource: 'publicAccessBlock',
      apply: (bucket, input) => {
        const block = input.PublicAccessBlockConfiguration ?? {};
        bucket.config.publicAccessBlock = {
          BlockPublicAcls: block.BlockPublicAcls === true,
          IgnorePublicAcls: block.IgnorePublicAcls === true,
          BlockPublicPolicy: block.BlockPublicPolicy === true,
          RestrictPublicBuckets: block.RestrictPublicBuckets === true,
        };
        return {};
      },
      body: (input) => s3Xml('PublicAccessBlockConfiguration', { ...input.PublicAccessBlockConfiguration }),
    }),
    configurationWrite(DeletePublicAccessBlockCommand, {
      action: 's3:PutBucketPublicAccessBlock',
      eventName: 'DeleteBucketPublicAccessBlock',
      subresource: 'publicAccessBlock',
      status: 204,
      apply: unset('publicAccessBlock'),
    }),
    configurationWrite(PutBucketEncryptionCommand, {
      action: 's3:PutEncryptionConfiguration',
      subresource: 'encryption',
      apply: (bucket, input) => {
        bucket.config.encryption = { Rules: required(input.ServerSideEncryptionConfiguration?.Rules) };
        return {};
      },
      body: (input) =>
        s3Xml('ServerSideEncryptionConfiguration', { Rule: input.ServerSideEncryptionConfiguration?.Rules }),
    }),
    // Every bucket is encrypted: deleting the configuration goes back to S3's default, SSE-S3.
    configurationWrite(DeleteBucketEncryptionCommand, {
      action: 's3:PutEncryptionConfiguration',
      subresource: 'encryption',
      status: 204,
      apply: (bucket) => {
        bucket.config.encryption = structuredClone(SSE_S3);
        return {};
      },
    }),
    configurationWrite(PutBucketLifecycleConfigurationCommand, {
      action: 's3:PutLifecycleConfiguration',
      eventName: 'PutBucketLifecycle',
      subresource: 'lifecycle',
      apply: (bucket, input) => {
        bucket.config.lifecycle = required(input.LifecycleConfiguration?.Rules);
        return {
          TransitionDefaultMinimumObjectSize:
            input.TransitionDefaultMinimumObjectSize ?? 'all_storage_classes_128K',
        };
      },
      body: (input) => s3Xml('LifecycleConfiguration', { Rule: input.LifecycleConfiguration?.Rules }),
    }),
    configurationWrite(DeleteBucketLifecycleCommand, {
      action: 's3:PutLifecycleConfiguration',
      subresource: 'lifecycle',
      status: 204,
      apply: unset('lifecycle'),
    }),
    configurationWrite(PutBucketVersioningCommand, {
      action: 's3:PutBucketVersioning',
      subresource: 'versioning',
      apply: (bucket, input) => {
        const status = input.VersioningConfiguration?.Status;
        if (status !== 'Enabled' && status !== 'Suspended') throw fault('MalformedXML', 400, MALFORMED_XML);
        bucket.config.versioning = status;
        return {};
      },
      body: (input) => s3Xml('VersioningConfiguration', { Status: input.VersioningConfiguration?.Status }),
    }),
  ];
}

/** Writes a version of `key` and emits its events, with the caller's user agent. */
function writeObject(
  context: SimulationContext,
  bucket: SimBucket,
  key: string,
  write: ObjectWrite,
  call: CallContext,
  how: Omit<ObjectWriteCall, 'userAgent'> = {},
): ObjectVersion {
  const at = context.now();
  const version = bucket.put(key, write, at, context.model.random);
  context.emit(context.events.objectCreated(bucket, key, version, at, { ...how, userAgent: call.userAgent }));
  return version;
}

/** Replaces the tags of the version a tagging call names, emits its record, and answers with its version id. */
function retag(
  context: SimulationContext,
  input: { Bucket?: string | undefined; Key?: string | undefined; VersionId?: string | undefined },
  call: CallContext,
  change: Omit<ObjectTaggingCall, 'userAgent'>,
): { VersionId?: string } {
  const bucket = findBucket(context.model, input.Bucket, call, false);
  const key = input.Key ?? '';
  const method = change.tags ? 'PUT' : 'DELETE';
  const version = bucket.setTags(key, findVersion(bucket, key, input.VersionId, method), change.tags ?? []);
  context.emit(
    context.events.objectTagsChanged(bucket, key, version, context.now(), {
      ...change,
      userAgent: call.userAgent,
    }),
  );
  return bucket.versioned ? { VersionId: version.versionId } : {};
}

/** PutObject's conditional writes: `If-None-Match: *` refuses to replace an object, `If-Match` needs its ETag. */
function checkWritePreconditions(bucket: SimBucket, key: string, input: PutObjectInput): void {
  const current = bucket.current(key);
  if (input.IfNoneMatch !== undefined && current) throw preconditionFailed('If-None-Match');
  if (input.IfMatch === undefined) return;
  if (!current) throw fault('NoSuchKey', 404, 'The specified key does not exist.', { Key: key });
  if (!etagMatches(input.IfMatch, current.etag)) throw preconditionFailed('If-Match');
}

/** What a request says about a new object's storage: its class, encryption and checksum algorithm. */
function storage(
  context: SimulationContext,
  bucket: SimBucket,
  input: StorageInput,
): Omit<ObjectWrite, 'body'> {
  return {
    ...optional('storageClass', storageClass(input.StorageClass)),
    ...optional('encryption', requestedEncryption(context, bucket, input)),
    checksumAlgorithm:
      input.ChecksumAlgorithm ??
      CHECKSUM_FIELDS.find((field) => input[field] !== undefined)?.slice('Checksum'.length) ??
      'CRC64NVME',
  };
}

/** The object attributes a request sets; metadata keys in lower case, as S3 keeps them. */
function attributes(input: AttributeInput): Omit<ObjectWrite, 'body'> {
  return {
    ...optional('contentType', input.ContentType),
    ...optional('cacheControl', input.CacheControl),
    ...optional('contentDisposition', input.ContentDisposition),
    ...optional('contentEncoding', input.ContentEncoding),
    ...optional('contentLanguage', input.ContentLanguage),
    ...optional('expires', input.Expires),
    ...optional('websiteRedirectLocation', input.WebsiteRedirectLocation),
    ...optional(
      'metadata',
      input.Metadata &&
        Object.fromEntries(
          Object.entries(input.Metadata).map(([name, value]) => [name.toLowerCase(), value]),
        ),
    ),
  };
}

/** The attributes a CopyObject with `COPY` (the default) takes from its source: not its website redirect. */
function copiedAttributes(source: ObjectVersion): Omit<ObjectWrite, 'body'> {
  return {
    ...optional('contentType', source.contentType),
    ...optional('cacheControl', source.cacheControl),
    ...optional('contentDisposition', source.contentDisposition),
    ...optional('contentEncoding', source.contentEncoding),
    ...optional('contentLanguage', source.contentLanguage),
    ...optional('expires', source.expires),
    metadata: source.metadata,
  };
}

/** Whether a CopyObject changes something S3 lets an object be copied onto itself for. */
function changesOnCopy(input: InputOf<typeof CopyObjectCommand>): boolean {
  return (
    input.MetadataDirective === 'REPLACE' ||
    input.StorageClass !== undefined ||
    input.WebsiteRedirectLocation !== undefined ||
    input.ServerSideEncryption !== undefined
  );
}

/** The response headers of a write: how the new version is encrypted, and its id in a versioned bucket. */
function writeHeaders(bucket: SimBucket, version: ObjectVersion) {
  return {
    ...encryptionHeaders(version.encryption),
    ...(bucket.versioned ? { VersionId: version.versionId } : {}),
  };
}

/** The checksums a request carried (`ChecksumCRC32`…), which S3 answers with. */
function givenChecksums(input: Partial<Record<ChecksumField, string | undefined>>) {
  const given: Partial<Record<ChecksumField, string>> = {};
  for (const field of CHECKSUM_FIELDS) {
    const value = input[field];
    if (value !== undefined) given[field] = value;
  }
  return given;
}

/** `InvalidStorageClass` unless S3 takes the class for a new object. */
function storageClass(value: string | undefined): string | undefined {
  if (value !== undefined && !STORAGE_CLASSES.has(value)) {
    throw fault('InvalidStorageClass', 400, 'The storage class you specified is not valid', {
      StorageClassRequested: value,
    });
  }
  return value;
}

/** The encryption a request asks for, `undefined` for the bucket's default; SSE-KMS without a key uses `aws/s3`. */
function requestedEncryption(
  context: SimulationContext,
  bucket: SimBucket,
  input: StorageInput,
): ObjectEncryption | undefined {
  const algorithm = input.ServerSideEncryption;
  if (algorithm === undefined) return undefined;
  if (algorithm === 'AES256') return { algorithm };
  if (algorithm !== 'aws:kms') {
    throw fault('InvalidArgument', 400, 'The encryption method specified is not supported', {
      ArgumentName: 'x-amz-server-side-encryption',
      ArgumentValue: algorithm,
    });
  }
  const managedKey = `arn:aws:kms:${bucket.region}:${context.model.accountId}:alias/aws/s3`;
  return {
    algorithm,
    kmsKeyId: input.SSEKMSKeyId ?? managedKey,
    ...(input.BucketKeyEnabled ? { bucketKeyEnabled: true } : {}),
  };
}

/** The tags of a `Tagging` header (`a=1&b=2`, URL-encoded), checked as an object's tag set. */
function taggingHeader(header: string | undefined): Tag[] | undefined {
  if (header === undefined) return undefined;
  return objectTags([...new URLSearchParams(header)].map(([Key, Value]) => ({ Key, Value })));
}

/** An object's tag set: at most 10 tags, each key once. */
function objectTags(tags: Tag[]): Tag[] {
  if (tags.length > 10) throw fault('BadRequest', 400, 'Object tags cannot be greater than 10');
  return uniqueTags(tags);
}

/** `InvalidTag` when a key appears twice. */
function uniqueTags(tags: Tag[]): Tag[] {
  if (new Set(tags.map((tag) => tag.Key)).size !== tags.length) {
    throw fault('InvalidTag', 400, 'Cannot provide multiple Tags with the same key');
  }
  return tags.map((tag) => ({ ...tag }));
}

/** A list a configuration needs at least one of, or `MalformedXML` as S3 answers an empty one. */
function required<T>(items: T[] | undefined): T[] {
  if (!items || items.length === 0) throw fault('MalformedXML', 400, MALFORMED_XML);
  return structuredClone(items);
}

/** A bucket policy parsed, or `MalformedPolicy` when it is not a JSON object. */
function policyDocument(policy: string | undefined): object {
  try {
    const parsed: unknown = JSON.parse(policy ?? '');
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
  } catch {
    // answered below, as for any text that is not a JSON object
  }
  throw fault('MalformedPolicy', 400, "Policies must be valid JSON and the first byte must be '{'");
}

/**
 * The object a CopySource names (`bucket/key` or `/bucket/key`, the key URL-encoded, `?versionId=` optional), in
 * any region; S3's errors for a missing, deleted or archived source.
 */
function copySource(context: SimulationContext, header: string, call: CallContext) {
  const [path = '', query = ''] = header.split('?', 2);
  const trimmed = path.startsWith('/') ? path.slice(1) : path;
  const slash = trimmed.indexOf('/');
  const key = slash > 0 ? decodedKey(trimmed.slice(slash + 1)) : '';
  if (!key) {
    throw fault('InvalidArgument', 400, 'Invalid copy source object key', {
      ArgumentName: 'x-amz-copy-source',
      ArgumentValue: header,
    });
  }
  const bucket = findBucket(context.model, trimmed.slice(0, slash), call, true);
  const versionId = new URLSearchParams(query).get('versionId') ?? undefined;
  const named = bucket.versions(key).find((candidate) => candidate.versionId === versionId);
  if (named?.deleteMarker) {
    throw fault(
      'InvalidRequest',
      400,
      'The source of a copy request may not specifically refer to a delete marker by version id.',
    );
  }
  const version = findVersion(bucket, key, versionId, 'GET');
  if (archived(version)) {
    throw fault(
      'ObjectNotInActiveTierError',
      403,
      'The source object of the COPY action is not in the active tier and is only stored in Amazon S3 Glacier.',
    );
  }
  return { bucket, key, version };
}

/** A URL-encoded key, or `''` when it does not decode. */
function decodedKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return '';
  }
}

/** The uploaded parts a CompleteMultipartUpload lists, checked as S3 checks them. */
function listedParts(upload: PendingUpload, listed: CompletedPart[], uploadId: string) {
  if (listed.length === 0) throw fault('MalformedXML', 400, MALFORMED_XML);
  return listed.map((part, i) => {
    const partNumber = part.PartNumber ?? 0;
    if (i > 0 && partNumber <= (listed[i - 1]?.PartNumber ?? 0)) {
      throw fault(
        'InvalidPartOrder',
        400,
        'The list of parts was not in ascending order. Parts must be ordered by part number.',
        { UploadId: uploadId },
      );
    }
    const uploaded = upload.parts.get(partNumber);
    if (!uploaded || part.ETag?.replace(/"/g, '') !== uploaded.etag) {
      throw fault(
        'InvalidPart',
        400,
        "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
        { UploadId: uploadId, PartNumber: String(partNumber), ETag: part.ETag },
      );
    }
    if (i < listed.length - 1 && uploaded.body.length < MIN_PART_SIZE) {
      throw fault(
        'EntityTooSmall',
        400,
        'Your proposed upload is smaller than the minimum allowed object size.',
        {
          ProposedSize: String(uploaded.body.length),
          MinSizeAllowed: String(MIN_PART_SIZE),
          PartNumber: String(partNumber),
          ETag: uploaded.etag,
        },
      );
    }
    return uploaded;
  });
}

/**
 * The region a CreateBucket creates in: its `LocationConstraint`, or us-east-1 without one. A regional endpoint
 * only creates in its own region (us-east-1's creates anywhere), and us-east-1 is never named as a constraint.
 */
function creationRegion(constraint: string | undefined, call: CallContext): string {
  if (constraint === 'us-east-1') {
    throw fault('InvalidLocationConstraint', 400, 'The specified location-constraint is not valid', {
      LocationConstraint: constraint,
    });
  }
  const region = constraint || 'us-east-1';
  if (call.region !== 'us-east-1' && region !== call.region) {
    throw fault(
      'IllegalLocationConstraintException',
      400,
      `The ${constraint || 'unspecified'} location constraint is incompatible for the region specific endpoint this request was sent to.`,
    );
  }
  return region;
}

/** `InvalidBucketName` unless the name follows S3's rules for general purpose buckets. */
function checkBucketName(name: string): void {
  const valid =
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) &&
    !name.includes('..') &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(name) &&
    !name.startsWith('xn--');
  if (!valid)
    throw fault('InvalidBucketName', 400, 'The specified bucket is not valid.', { BucketName: name });
}

/** A new bucket as S3 creates it today: public access blocked, ACLs disabled, SSE-S3, unversioned. */
function newBucket(region: string, now: Date): BucketConfiguration {
  return {
    region,
    creationDate: wholeSeconds(now),
    publicAccessBlock: {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    },
    ownership: 'BucketOwnerEnforced',
    encryption: structuredClone(SSE_S3),
    eventBridge: false,
  };
}

/** The bytes of a request body as the SDK hands it over: bytes, a string, a Blob, or a Node or web stream. */
async function bodyBytes(body: unknown): Promise<Uint8Array> {
  if (body === undefined || body === null) return new Uint8Array();
  if (typeof body === 'string') return utf8(body);
  if (body instanceof Uint8Array) return new Uint8Array(body);
  if (body instanceof Blob) return new Uint8Array(await body.arrayBuffer());
  if (typeof body === 'object' && Symbol.asyncIterator in body) {
    const chunks: Uint8Array[] = [];
    for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
      chunks.push(typeof chunk === 'string' ? utf8(chunk) : chunk);
    }
    return Buffer.concat(chunks);
  }
  throw new Error(
    `the simulated S3 cannot read a request body of type ${body.constructor?.name ?? typeof body}`,
  );
}
