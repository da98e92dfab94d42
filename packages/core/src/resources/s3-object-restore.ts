import { buffer } from 'node:stream/consumers';
import { isDeepStrictEqual } from 'node:util';
import {
  CopyObjectCommand,
  type CopyObjectCommandInput,
  DeleteObjectCommand,
  DeleteObjectTaggingCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
  PutObjectTaggingCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createdSince, type StepOf, stepsOf } from '../restore/parts.js';
import { blobReference, sendCommand } from '../restore/steps.js';
import {
  type PlanInput,
  type PlannedChange,
  type ResourceState,
  RestoreAction,
  type RestoreContext,
  type RestoreSpec,
  type RestoreStep,
} from '../restore/types.js';
import type { JsonObject } from '../types/json.js';
import { splitObjectId } from './s3-shared.js';
import { s3Service } from './services.js';

/** Object settings a `PutObject` or a `CopyObject` with `REPLACE` sets, as the document records them. */
const SETTABLE_FIELDS = [
  'ContentType',
  'CacheControl',
  'ContentDisposition',
  'ContentEncoding',
  'ContentLanguage',
  'Expires',
  'Metadata',
  'StorageClass',
  'WebsiteRedirectLocation',
  'ServerSideEncryption',
  'SSEKMSKeyId',
  'BucketKeyEnabled',
] as const;

/**
 * Objects larger than this are uploaded in parts (`lib-storage`), the others with one `PutObject` of their bytes held
 * in memory: a request whose body is a stream cannot be retried when S3 throttles it, one of bytes can.
 */
const SINGLE_PUT_BYTES = 8 * 2 ** 20;

/**
 * How an object is restored: its bytes from the store (or, in a versioned bucket, its old version copied back),
 * its settings and tags; created since and `--prune`: deleted. Never deletes otherwise.
 */
export const s3ObjectRestore: RestoreSpec = {
  copies: ['bucket', 'account'],
  plan: planObject,
  apply: applyObjectStep,
};

function planObject(input: PlanInput): PlannedChange {
  const { captured, live, target } = input;
  const { bucket, key } = splitObjectId(target.id);
  const step = stepsOf('s3', target.region);
  const objectStep: StepOf = (operation, stepInput, summary) =>
    step(operation, { Bucket: bucket, Key: key, ...stepInput }, summary);
  if (!captured)
    return createdSince(live, {
      prune: input.prune,
      removal: () => [
        objectStep('DeleteObject', {}, 'delete the object created after the moment restored to'),
      ],
    });
  const doc = captured.document;
  const action = live ? RestoreAction.UPDATE : RestoreAction.RECREATE;
  if (!live || !sameContent(captured, live)) {
    const write = writeStep(input, objectStep);
    if (!write)
      return {
        action: RestoreAction.CANNOT,
        reason:
          'its bytes were not captured at that moment (see its gaps), and no older version of it can be copied',
        steps: [],
      };
    return { action, steps: [write] };
  }
  const steps: RestoreStep[] = [];
  if (SETTABLE_FIELDS.some((field) => !isDeepStrictEqual(doc[field], live.document[field])))
    steps.push(
      objectStep(
        'CopyObject',
        {
          CopySource: copySource(bucket, key),
          MetadataDirective: 'REPLACE',
          TaggingDirective: 'COPY',
          ...settings(doc),
        },
        'copy the object onto itself with the settings it had (its bytes are unchanged)',
      ),
    );
  if (!isDeepStrictEqual(doc.Tags ?? {}, live.document.Tags ?? {})) steps.push(tagStep(doc, objectStep));
  if (steps.length === 0)
    return {
      action: RestoreAction.NOTHING,
      reason: 'same bytes, settings and tags; only what S3 assigns differs (ETag, version id)',
      steps: [],
    };
  return { action, steps };
}

/**
 * Whether the live object holds the captured bytes, without downloading them: the live read names the stored content
 * when the object is as last captured (an upload in parts restored by one `PutObject` has another ETag, the same
 * bytes); else by what S3 says of them: the same version, or the same ETag and size (a version copied back keeps its
 * ETag).
 */
function sameContent(captured: ResourceState, live: ResourceState): boolean {
  if (live.blobs.content !== undefined) return live.blobs.content === captured.blobs.content;
  const [before, now] = [captured.document, live.document];
  const version = before.VersionId;
  if (typeof version === 'string' && version !== 'null' && now.VersionId === version) return true;
  return (
    typeof before.ETag === 'string' && before.ETag === now.ETag && before.ContentLength === now.ContentLength
  );
}

/**
 * The step that writes the captured bytes: in a versioned bucket, the captured version copied back (S3 copies it
 * without downloading; the stored bytes are uploaded if that version is gone); else the stored bytes uploaded.
 */
function writeStep({ captured, resource }: PlanInput, objectStep: StepOf): RestoreStep | undefined {
  const doc = captured?.document ?? {};
  const content = captured?.blobs.content;
  const version = typeof doc.VersionId === 'string' && doc.VersionId !== 'null' ? doc.VersionId : undefined;
  const source = splitObjectId(resource.id);
  const tags = (doc.Tags ?? {}) as JsonObject;
  const withTags: JsonObject = Object.keys(tags).length > 0 ? { Tagging: tagQuery(tags) } : {};
  if (version !== undefined)
    return objectStep(
      'CopyObject',
      {
        CopySource: copySource(source.bucket, source.key, version),
        MetadataDirective: 'REPLACE',
        TaggingDirective: 'REPLACE',
        ...settings(doc),
        ...withTags,
        ...(content ? { FallbackBody: blobReference(content) } : {}),
      },
      `copy version ${version} back as the current version, with its settings and tags`,
    );
  if (!content) return undefined;
  return objectStep(
    'PutObject',
    {
      Body: blobReference(content),
      ContentLength: doc.ContentLength ?? null,
      ...settings(doc),
      ...withTags,
      ...checksum(doc),
    },
    `upload the stored bytes (${doc.ContentLength ?? '?'} B) with the settings and tags it had`,
  );
}

function tagStep(doc: JsonObject, objectStep: StepOf): RestoreStep {
  const tags = (doc.Tags ?? {}) as JsonObject;
  if (Object.keys(tags).length === 0)
    return objectStep('DeleteObjectTagging', {}, 'remove the tags added since');
  return objectStep(
    'PutObjectTagging',
    { Tagging: { TagSet: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) } },
    'put back the tags it had',
  );
}

/** The captured settings that are set, as request fields. */
function settings(doc: JsonObject): JsonObject {
  const result: JsonObject = {};
  for (const field of SETTABLE_FIELDS) {
    const value = doc[field];
    if (value === undefined || value === null) continue;
    if (field === 'Metadata' && Object.keys(value as JsonObject).length === 0) continue;
    result[field] = value;
  }
  return result;
}

/** A whole-object checksum the capture recorded: S3 checks the uploaded bytes against it. */
function checksum(doc: JsonObject): JsonObject {
  if (doc.ChecksumType !== 'FULL_OBJECT') return {};
  const entry = Object.entries(doc).find(([name]) => name.startsWith('Checksum') && name !== 'ChecksumType');
  return entry ? { [entry[0]]: entry[1] } : {};
}

/** Tags as `PutObject`'s `Tagging` (a URL query). */
function tagQuery(tags: JsonObject): string {
  return new URLSearchParams(
    Object.entries(tags).map(([name, value]): [string, string] => [name, String(value)]),
  ).toString();
}

/** `CopySource`: the bucket and the URL-encoded key, with the version when given. */
function copySource(bucket: string, key: string, version?: string): string {
  const path = `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
  return version === undefined ? path : `${path}?versionId=${encodeURIComponent(version)}`;
}

async function applyObjectStep(ctx: RestoreContext, step: RestoreStep): Promise<void> {
  switch (step.operation) {
    case 'PutObject':
      return putObject(ctx, step, step.input);
    case 'CopyObject':
      return copyObject(ctx, step);
    case 'PutObjectTagging':
      await sendCommand(ctx, s3Service, PutObjectTaggingCommand, step);
      return;
    case 'DeleteObjectTagging':
      await sendCommand(ctx, s3Service, DeleteObjectTaggingCommand, step);
      return;
    case 'DeleteObject':
      await sendCommand(ctx, s3Service, DeleteObjectCommand, step);
      return;
    default:
      throw new Error(`no S3 object restore step ${step.operation}`);
  }
}

/** Copies the captured version back; when S3 no longer has it, uploads the stored bytes instead. */
async function copyObject(ctx: RestoreContext, step: RestoreStep): Promise<void> {
  const { FallbackBody, ...copy } = step.input;
  const client = ctx.client(s3Service, step.region);
  const input = withExpiresDate(copy) as unknown as CopyObjectCommandInput;
  try {
    await ctx.limited(s3Service, () => client.send(new CopyObjectCommand(input)));
  } catch (error) {
    const gone = error instanceof Error && ['NoSuchVersion', 'NoSuchKey'].includes(error.name);
    if (!gone || FallbackBody === undefined) throw error;
    const { CopySource: _source, MetadataDirective: _m, TaggingDirective: _t, ...put } = copy;
    await putObject(ctx, step, { ...put, Body: FallbackBody });
  }
}

/** A request's fields with `Expires` as the `Date` the SDK sends as an HTTP date (the document keeps its text). */
function withExpiresDate({ Expires, ...fields }: JsonObject): Record<string, unknown> {
  return typeof Expires === 'string' ? { ...fields, Expires: new Date(Expires) } : fields;
}

/**
 * Uploads the stored bytes, checked against their hash as they are read: one `PutObject` (S3 checks them against the
 * captured checksum too), or, when large, a multipart upload streamed from the store.
 */
async function putObject(ctx: RestoreContext, step: RestoreStep, input: JsonObject): Promise<void> {
  const { Body, ContentLength, ...rest } = input;
  const content = await ctx.blob((Body as { $blob: string }).$blob);
  const params = withExpiresDate(rest) as Omit<PutObjectCommandInput, 'Body'>;
  const client = ctx.client(s3Service, step.region);
  if (typeof ContentLength === 'number' && ContentLength <= SINGLE_PUT_BYTES) {
    const bytes = await buffer(content);
    await ctx.limited(s3Service, () => client.send(new PutObjectCommand({ ...params, Body: bytes })));
    return;
  }
  const { ChecksumCRC32, ChecksumCRC32C, ChecksumCRC64NVME, ChecksumSHA1, ChecksumSHA256, ...multipart } =
    params;
  await ctx.limited(s3Service, () => new Upload({ client, params: { ...multipart, Body: content } }).done());
}
