import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
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
  GetBucketCorsCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetBucketWebsiteCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
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
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type EventBridgeApiCallEnvelope,
  LOGS_REPLICA_BUCKET,
  MEDIA_BUCKET,
  type S3ObjectNotification,
  SimulatedAccount,
} from '../src/index.js';
import { failure } from './support/failure.js';

const NOW = new Date('2024-06-01T12:00:00.000Z');
const MiB = 1024 * 1024;
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'CloudFrontRead',
      Effect: 'Allow',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::queenofsandiego.com/*',
    },
  ],
});

async function text(body: { transformToString(): Promise<string> } | undefined): Promise<string> {
  return (await body?.transformToString()) ?? '';
}

describe('the simulated account answering S3 writes', () => {
  let account: SimulatedAccount;
  const s3 = new S3Client({ region: 'us-east-1' });
  const tidemark = new S3Client({ region: 'us-east-1', customUserAgent: 'tidemark/1' });

  beforeEach(async () => {
    account = await SimulatedAccount.start({ now: () => NOW });
  });

  afterEach(async () => {
    await account.stop();
  });

  function apiCalls(): EventBridgeApiCallEnvelope[] {
    return account
      .events()
      .filter((e): e is EventBridgeApiCallEnvelope => e['detail-type'] === 'AWS API Call via CloudTrail');
  }

  function notifications(): S3ObjectNotification[] {
    return account
      .events()
      .filter(
        (e): e is S3ObjectNotification =>
          e['detail-type'] === 'Object Created' || e['detail-type'] === 'Object Deleted',
      );
  }

  describe('PutObject', () => {
    it('stores the bytes, headers, metadata, storage class and tags that Head, Get and GetObjectTagging read back', async () => {
      const put = await s3.send(
        new PutObjectCommand({
          Bucket: 'sailjada.com',
          Key: 'restored/page.html',
          Body: '<h1>Restored</h1>\n',
          ContentType: 'text/html; charset=utf-8',
          CacheControl: 'max-age=300',
          ContentDisposition: 'inline',
          ContentLanguage: 'en',
          Expires: new Date('2030-01-01T00:00:00Z'),
          Metadata: { Author: 'jada', restored: 'yes' },
          StorageClass: 'STANDARD_IA',
          WebsiteRedirectLocation: '/index.html',
          Tagging: 'team=web&stage=prod%20ready',
        }),
      );

      expect(put.$metadata.httpStatusCode).toBe(200);
      expect(put.ETag).toBe('"f0606178e863f22a420b050c0a0d8df6"');
      expect(put.ServerSideEncryption).toBe('AES256');
      expect(put.VersionId).toBeUndefined();
      const head = await s3.send(
        new HeadObjectCommand({ Bucket: 'sailjada.com', Key: 'restored/page.html' }),
      );
      expect(head).toMatchObject({
        ContentLength: 18,
        ETag: '"f0606178e863f22a420b050c0a0d8df6"',
        ContentType: 'text/html; charset=utf-8',
        CacheControl: 'max-age=300',
        ContentDisposition: 'inline',
        ContentLanguage: 'en',
        ExpiresString: 'Tue, 01 Jan 2030 00:00:00 GMT',
        WebsiteRedirectLocation: '/index.html',
        StorageClass: 'STANDARD_IA',
        Metadata: { author: 'jada', restored: 'yes' },
        TagCount: 2,
        LastModified: NOW,
      });
      const got = await s3.send(new GetObjectCommand({ Bucket: 'sailjada.com', Key: 'restored/page.html' }));
      expect(await text(got.Body)).toBe('<h1>Restored</h1>\n');
      const tagging = await s3.send(
        new GetObjectTaggingCommand({ Bucket: 'sailjada.com', Key: 'restored/page.html' }),
      );
      expect(tagging.TagSet).toEqual([
        { Key: 'team', Value: 'web' },
        { Key: 'stage', Value: 'prod ready' },
      ]);
    });

    it('reads a stream body to its end', async () => {
      await s3.send(
        new PutObjectCommand({
          Bucket: 'sailjada.com',
          Key: 'streamed.txt',
          Body: Readable.from([Buffer.from('part one, '), Buffer.from('part two')]),
          ContentLength: 18,
        }),
      );

      const got = await s3.send(new GetObjectCommand({ Bucket: 'sailjada.com', Key: 'streamed.txt' }));
      expect(await text(got.Body)).toBe('part one, part two');
      expect(got.ContentType).toBe('binary/octet-stream');
    });

    it('returns a new version id in a versioned bucket, and an unknown storage class is refused', async () => {
      const put = await s3.send(new PutObjectCommand({ Bucket: MEDIA_BUCKET, Key: 'notes.txt', Body: 'v1' }));
      expect(put.VersionId).toMatch(/^[A-Za-z0-9._]{32}$/);
      expect(put.ServerSideEncryption).toBe('aws:kms');

      const refused = await failure(
        s3.send(
          new PutObjectCommand({ Bucket: MEDIA_BUCKET, Key: 'x', Body: 'x', StorageClass: 'TAPE' as never }),
        ),
      );
      expect([refused.name, refused.$metadata.httpStatusCode]).toEqual(['InvalidStorageClass', 400]);
    });

    it('refuses to replace an object under If-None-Match: *', async () => {
      const error = await failure(
        s3.send(
          new PutObjectCommand({ Bucket: 'sailjada.com', Key: 'index.html', Body: 'x', IfNoneMatch: '*' }),
        ),
      );
      expect([error.name, error.$metadata.httpStatusCode]).toEqual(['PreconditionFailed', 412]);
    });

    it('answers AccessDenied when s3:PutObject is denied, and changes nothing', async () => {
      account.deny('s3:PutObject');

      const error = await failure(
        s3.send(new PutObjectCommand({ Bucket: 'sailjada.com', Key: 'index.html', Body: 'defaced' })),
      );

      expect([error.name, error.$metadata.httpStatusCode]).toEqual(['AccessDenied', 403]);
      expect(error.message).toContain('is not authorized to perform: s3:PutObject on resource: ');
      const got = await s3.send(new GetObjectCommand({ Bucket: 'sailjada.com', Key: 'index.html' }));
      expect(await text(got.Body)).toContain('Sail Jada: sunset sails on San Diego Bay');
      expect(account.events()).toEqual([]);
    });
  });

  describe('multipart uploads', () => {
    it('round-trips a 6 MiB body through lib-storage Upload, with the multipart ETag', async () => {
      const body = Buffer.alloc(6 * MiB);
      for (let i = 0; i < body.length; i++) body[i] = i % 251;

      const result = await new Upload({
        client: s3,
        params: { Bucket: MEDIA_BUCKET, Key: 'videos/tour.mp4', Body: body, ContentType: 'video/mp4' },
      }).done();

      expect(result.ETag).toBe('"39196c287c83de246893d27411b64dba-2"');
      expect(account.callCounts()).toMatchObject({
        CreateMultipartUpload: 1,
        UploadPart: 2,
        CompleteMultipartUpload: 1,
      });
      const got = await s3.send(new GetObjectCommand({ Bucket: MEDIA_BUCKET, Key: 'videos/tour.mp4' }));
      expect(got.ContentType).toBe('video/mp4');
      expect(got.ETag).toBe('"39196c287c83de246893d27411b64dba-2"');
      expect(Buffer.from(await (got.Body?.transformToByteArray() ?? [])).equals(body)).toBe(true);
      const created = notifications().find((n) => n.detail.object.key === 'videos/tour.mp4');
      expect(created?.detail.reason).toBe('CompleteMultipartUpload');
      expect(created?.detail.object.size).toBe(6 * MiB);
    });

    it('refuses parts smaller than 5 MiB but the last, and forgets an aborted upload', async () => {
      const bucket = { Bucket: 'sailjada.com', Key: 'big.bin' };
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand(bucket));
      const first = await s3.send(
        new UploadPartCommand({ ...bucket, UploadId, PartNumber: 1, Body: 'small' }),
      );
      const second = await s3.send(
        new UploadPartCommand({ ...bucket, UploadId, PartNumber: 2, Body: 'last' }),
      );

      const tooSmall = await failure(
        s3.send(
          new CompleteMultipartUploadCommand({
            ...bucket,
            UploadId,
            MultipartUpload: {
              Parts: [
                { PartNumber: 1, ETag: first.ETag },
                { PartNumber: 2, ETag: second.ETag },
              ],
            },
          }),
        ),
      );
      expect([tooSmall.name, tooSmall.$metadata.httpStatusCode]).toEqual(['EntityTooSmall', 400]);

      const aborted = await s3.send(new AbortMultipartUploadCommand({ ...bucket, UploadId }));
      expect(aborted.$metadata.httpStatusCode).toBe(204);
      const gone = await failure(
        s3.send(new UploadPartCommand({ ...bucket, UploadId, PartNumber: 3, Body: 'late' })),
      );
      expect([gone.name, gone.$metadata.httpStatusCode]).toEqual(['NoSuchUpload', 404]);
      expect(await failure(s3.send(new HeadObjectCommand(bucket)))).toMatchObject({ name: 'NotFound' });
    });
  });

  describe('DeleteObject', () => {
    it('puts a delete marker over the object in a versioned bucket, keeping its version', async () => {
      const key = 'documents/charter-waiver.pdf';
      const deleted = await s3.send(new DeleteObjectCommand({ Bucket: MEDIA_BUCKET, Key: key }));

      expect(deleted.$metadata.httpStatusCode).toBe(204);
      expect(deleted.DeleteMarker).toBe(true);
      expect(deleted.VersionId).toMatch(/^[A-Za-z0-9._]{32}$/);
      const head = await failure(s3.send(new HeadObjectCommand({ Bucket: MEDIA_BUCKET, Key: key })));
      expect([head.name, head.$metadata.httpStatusCode]).toEqual(['NotFound', 404]);
      const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: MEDIA_BUCKET, Prefix: key }));
      expect(listed.DeleteMarkers?.map((m) => [m.VersionId, m.IsLatest])).toEqual([
        [deleted.VersionId, true],
      ]);
      expect(listed.Versions?.map((v) => [v.Key, v.IsLatest, v.Size])).toEqual([[key, false, 48_211]]);
      const [notification] = notifications();
      expect(notification?.['detail-type']).toBe('Object Deleted');
      expect(notification?.detail['deletion-type']).toBe('Delete Marker Created');
    });

    it('succeeds for a key that is not there, as S3 does', async () => {
      const deleted = await s3.send(
        new DeleteObjectCommand({ Bucket: 'sailjada.com', Key: 'never-there.html' }),
      );

      expect(deleted.$metadata.httpStatusCode).toBe(204);
      expect(deleted.DeleteMarker).toBeUndefined();
      expect(deleted.VersionId).toBeUndefined();
    });

    it('undeletes an object when its delete marker is deleted by version id', async () => {
      const key = 'drafts/old-flyer.pdf';
      const before = await s3.send(new ListObjectVersionsCommand({ Bucket: MEDIA_BUCKET, Prefix: key }));
      const marker = before.DeleteMarkers?.[0]?.VersionId;

      const deleted = await s3.send(
        new DeleteObjectCommand({ Bucket: MEDIA_BUCKET, Key: key, VersionId: marker }),
      );

      expect(deleted).toMatchObject({ DeleteMarker: true, VersionId: marker });
      const head = await s3.send(new HeadObjectCommand({ Bucket: MEDIA_BUCKET, Key: key }));
      expect(head.ContentLength).toBe(9_001);
      expect(notifications()[0]?.detail['deletion-type']).toBe('Permanently Deleted');
    });
  });

  describe('CopyObject', () => {
    it('makes an older version current again by copying it onto its own key', async () => {
      const key = 'documents/price-list.pdf';
      const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: MEDIA_BUCKET, Prefix: key }));
      const older = versions.Versions?.find((v) => v.IsLatest === false);
      expect(older?.Size).toBe(20_480);

      const copied = await s3.send(
        new CopyObjectCommand({
          Bucket: MEDIA_BUCKET,
          Key: key,
          CopySource: `${MEDIA_BUCKET}/${encodeURIComponent(key)}?versionId=${older?.VersionId}`,
        }),
      );

      expect(copied.CopySourceVersionId).toBe(older?.VersionId);
      expect(copied.CopyObjectResult?.ETag).toBe(older?.ETag);
      const current = await s3.send(new GetObjectCommand({ Bucket: MEDIA_BUCKET, Key: key }));
      expect(current.VersionId).toBe(copied.VersionId);
      expect(current.ContentLength).toBe(20_480);
      expect(current.ContentType).toBe('application/pdf');
      expect(await text(current.Body)).toContain('% Price list 2023');
      const after = await s3.send(new ListObjectVersionsCommand({ Bucket: MEDIA_BUCKET, Prefix: key }));
      expect(after.Versions).toHaveLength(3);
      expect(notifications()[0]?.detail.reason).toBe('CopyObject');
    });

    it('keeps the source metadata and tags by default, and replaces them on request', async () => {
      const source = `${MEDIA_BUCKET}/documents/charter-waiver.pdf`;
      await s3.send(new CopyObjectCommand({ Bucket: 'sailjada.com', Key: 'waiver.pdf', CopySource: source }));
      await s3.send(
        new CopyObjectCommand({
          Bucket: 'sailjada.com',
          Key: 'waiver-2.pdf',
          CopySource: source,
          MetadataDirective: 'REPLACE',
          ContentType: 'application/octet-stream',
          Metadata: { copied: 'true' },
          TaggingDirective: 'REPLACE',
          Tagging: 'copy=1',
        }),
      );

      const kept = await s3.send(new HeadObjectCommand({ Bucket: 'sailjada.com', Key: 'waiver.pdf' }));
      expect(kept).toMatchObject({
        ContentType: 'application/pdf',
        ContentDisposition: 'attachment; filename="charter-waiver.pdf"',
        Metadata: { author: 'jada', reviewed: '2024-03-01' },
        TagCount: 2,
        ServerSideEncryption: 'AES256',
      });
      const replaced = await s3.send(new HeadObjectCommand({ Bucket: 'sailjada.com', Key: 'waiver-2.pdf' }));
      expect(replaced).toMatchObject({
        ContentType: 'application/octet-stream',
        Metadata: { copied: 'true' },
        TagCount: 1,
      });
      expect(replaced.ContentDisposition).toBeUndefined();
    });

    it('refuses to copy the current object onto itself unchanged, and a source in an archive tier', async () => {
      const self = await failure(
        s3.send(
          new CopyObjectCommand({
            Bucket: 'sailjada.com',
            Key: 'index.html',
            CopySource: 'sailjada.com/index.html',
          }),
        ),
      );
      expect([self.name, self.$metadata.httpStatusCode]).toEqual(['InvalidRequest', 400]);
      const archived = await failure(
        s3.send(
          new CopyObjectCommand({
            Bucket: 'sailjada.com',
            Key: 'raw.tar',
            CopySource: `${MEDIA_BUCKET}/archive/2019-raw.tar`,
          }),
        ),
      );
      expect([archived.name, archived.$metadata.httpStatusCode]).toEqual(['ObjectNotInActiveTierError', 403]);
    });
  });

  describe('object tagging', () => {
    it('replaces and deletes the tags of the current version', async () => {
      const target = { Bucket: MEDIA_BUCKET, Key: 'documents/charter-waiver.pdf' };
      const put = await s3.send(
        new PutObjectTaggingCommand({ ...target, Tagging: { TagSet: [{ Key: 'retention', Value: '10y' }] } }),
      );
      expect(put.VersionId).toMatch(/^[A-Za-z0-9._]{32}$/);
      expect((await s3.send(new GetObjectTaggingCommand(target))).TagSet).toEqual([
        { Key: 'retention', Value: '10y' },
      ]);

      const deleted = await s3.send(new DeleteObjectTaggingCommand(target));

      expect(deleted.$metadata.httpStatusCode).toBe(204);
      expect((await s3.send(new GetObjectTaggingCommand(target))).TagSet).toEqual([]);
      expect(apiCalls().map((e) => e.detail.eventName)).toEqual(['PutObjectTagging', 'DeleteObjectTagging']);
    });

    it('refuses two tags with the same key', async () => {
      const error = await failure(
        s3.send(
          new PutObjectTaggingCommand({
            Bucket: 'sailjada.com',
            Key: 'index.html',
            Tagging: {
              TagSet: [
                { Key: 'a', Value: '1' },
                { Key: 'a', Value: '2' },
              ],
            },
          }),
        ),
      );
      expect([error.name, error.$metadata.httpStatusCode]).toEqual(['InvalidTag', 400]);
    });
  });

  describe('bucket configuration', () => {
    const Bucket = 'queenofsandiego.com';

    it('puts a policy, tags, CORS, website, public access block, encryption and lifecycle that Get* read back', async () => {
      const statuses = [
        await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: POLICY })),
        await s3.send(
          new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: 'project', Value: 'qosd' }] } }),
        ),
        await s3.send(
          new PutBucketCorsCommand({
            Bucket,
            CORSConfiguration: {
              CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['https://queenofsandiego.com'] }],
            },
          }),
        ),
        await s3.send(
          new PutBucketWebsiteCommand({
            Bucket,
            WebsiteConfiguration: { IndexDocument: { Suffix: 'home.html' } },
          }),
        ),
        await s3.send(
          new PutPublicAccessBlockCommand({
            Bucket,
            PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true },
          }),
        ),
        await s3.send(
          new PutBucketEncryptionCommand({
            Bucket,
            ServerSideEncryptionConfiguration: {
              Rules: [
                { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' }, BucketKeyEnabled: true },
              ],
            },
          }),
        ),
        await s3.send(
          new PutBucketLifecycleConfigurationCommand({
            Bucket,
            LifecycleConfiguration: {
              Rules: [
                { ID: 'expire-tmp', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 1 } },
              ],
            },
          }),
        ),
      ].map((output) => output.$metadata.httpStatusCode);

      expect(statuses).toEqual([204, 204, 200, 200, 200, 200, 200]);
      expect((await s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy).toBe(POLICY);
      expect((await s3.send(new GetBucketTaggingCommand({ Bucket }))).TagSet).toEqual([
        { Key: 'project', Value: 'qosd' },
      ]);
      expect((await s3.send(new GetBucketCorsCommand({ Bucket }))).CORSRules).toEqual([
        { AllowedMethods: ['GET'], AllowedOrigins: ['https://queenofsandiego.com'] },
      ]);
      const website = await s3.send(new GetBucketWebsiteCommand({ Bucket }));
      expect(website.IndexDocument).toEqual({ Suffix: 'home.html' });
      expect(website.ErrorDocument).toBeUndefined();
      expect(
        (await s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration,
      ).toEqual({
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: false,
        RestrictPublicBuckets: false,
      });
      expect(
        (await s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration,
      ).toEqual({
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' }, BucketKeyEnabled: true }],
      });
      expect((await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }))).Rules).toEqual([
        { ID: 'expire-tmp', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 1 } },
      ]);
    });

    it('deletes each part, after which Get* answers its not-configured error (encryption goes back to SSE-S3)', async () => {
      await s3.send(
        new PutBucketCorsCommand({
          Bucket,
          CORSConfiguration: { CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'] }] },
        }),
      );
      const statuses = [
        await s3.send(new DeleteBucketPolicyCommand({ Bucket })),
        await s3.send(new DeleteBucketTaggingCommand({ Bucket })),
        await s3.send(new DeleteBucketCorsCommand({ Bucket })),
        await s3.send(new DeleteBucketWebsiteCommand({ Bucket })),
        await s3.send(new DeletePublicAccessBlockCommand({ Bucket: 'sailjada.com' })),
        await s3.send(new DeleteBucketEncryptionCommand({ Bucket: MEDIA_BUCKET })),
        await s3.send(new DeleteBucketLifecycleCommand({ Bucket: MEDIA_BUCKET })),
      ].map((output) => output.$metadata.httpStatusCode);

      expect(statuses).toEqual([204, 204, 204, 204, 204, 204, 204]);
      const codes = await Promise.all(
        [
          s3.send(new GetBucketPolicyCommand({ Bucket })),
          s3.send(new GetBucketTaggingCommand({ Bucket })),
          s3.send(new GetBucketCorsCommand({ Bucket })),
          s3.send(new GetBucketWebsiteCommand({ Bucket })),
          s3.send(new GetPublicAccessBlockCommand({ Bucket: 'sailjada.com' })),
          s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: MEDIA_BUCKET })),
        ].map(async (call) => {
          const error = await failure(call);
          return [error.name, error.$metadata.httpStatusCode];
        }),
      );
      expect(codes).toEqual([
        ['NoSuchBucketPolicy', 404],
        ['NoSuchTagSet', 404],
        ['NoSuchCORSConfiguration', 404],
        ['NoSuchWebsiteConfiguration', 404],
        ['NoSuchPublicAccessBlockConfiguration', 404],
        ['NoSuchLifecycleConfiguration', 404],
      ]);
      expect(
        (await s3.send(new GetBucketEncryptionCommand({ Bucket: MEDIA_BUCKET })))
          .ServerSideEncryptionConfiguration,
      ).toEqual({
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }],
      });
    });

    it('refuses a policy that is not JSON, and keeps the one in place', async () => {
      const error = await failure(s3.send(new PutBucketPolicyCommand({ Bucket, Policy: 'allow everyone' })));

      expect([error.name, error.$metadata.httpStatusCode]).toEqual(['MalformedPolicy', 400]);
      const kept = await s3.send(new GetBucketPolicyCommand({ Bucket }));
      expect(JSON.parse(kept.Policy ?? '').Statement[0].Sid).toBe('PublicReadGetObject');
    });

    it('enables versioning, after which a put returns a version id', async () => {
      const enabled = await s3.send(
        new PutBucketVersioningCommand({
          Bucket: 'salejada.com',
          VersioningConfiguration: { Status: 'Enabled' },
        }),
      );
      expect(enabled.$metadata.httpStatusCode).toBe(200);

      expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'salejada.com' }))).Status).toBe(
        'Enabled',
      );
      const put = await s3.send(new PutObjectCommand({ Bucket: 'salejada.com', Key: 'a.txt', Body: 'a' }));
      expect(put.VersionId).toMatch(/^[A-Za-z0-9._]{32}$/);
    });
  });

  describe('CreateBucket', () => {
    it('creates a bucket as S3 creates one today: public access blocked, SSE-S3, unversioned', async () => {
      const created = await s3.send(new CreateBucketCommand({ Bucket: 'sailjada-restore' }));

      expect(created.Location).toBe('/sailjada-restore');
      expect((await s3.send(new HeadBucketCommand({ Bucket: 'sailjada-restore' }))).BucketRegion).toBe(
        'us-east-1',
      );
      expect(
        (await s3.send(new GetPublicAccessBlockCommand({ Bucket: 'sailjada-restore' })))
          .PublicAccessBlockConfiguration,
      ).toEqual({
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      });
      expect(
        (await s3.send(new GetBucketVersioningCommand({ Bucket: 'sailjada-restore' }))).Status,
      ).toBeUndefined();
      expect(apiCalls().map((e) => [e.detail.eventName, e.detail.requestParameters?.bucketName])).toEqual([
        ['CreateBucket', 'sailjada-restore'],
      ]);
    });

    it('answers BucketAlreadyOwnedByYou outside us-east-1, 200 keeping the bucket in us-east-1, and refuses invalid names', async () => {
      const west = new S3Client({ region: 'us-west-2' });
      const owned = await failure(west.send(new CreateBucketCommand({ Bucket: LOGS_REPLICA_BUCKET })));
      expect([owned.name, owned.$metadata.httpStatusCode]).toEqual(['BucketAlreadyOwnedByYou', 409]);

      const again = await s3.send(new CreateBucketCommand({ Bucket: 'sailjada.com' }));
      expect(again.$metadata.httpStatusCode).toBe(200);
      expect((await s3.send(new GetBucketPolicyCommand({ Bucket: 'sailjada.com' }))).Policy).toContain(
        'PublicReadGetObject',
      );
      const invalid = await failure(s3.send(new CreateBucketCommand({ Bucket: 'Not_Valid' })));
      expect([invalid.name, invalid.$metadata.httpStatusCode]).toEqual(['InvalidBucketName', 400]);
      expect(apiCalls().map((e) => [e.detail.eventName, e.detail.requestParameters?.bucketName])).toEqual([
        ['CreateBucket', 'sailjada.com'],
      ]);
    });

    it('creates in another region from that region, with its location constraint', async () => {
      const west = new S3Client({ region: 'us-west-2' });
      const created = await west.send(new CreateBucketCommand({ Bucket: 'sailjada-scratch-west' }));

      expect(created.Location).toBe('http://sailjada-scratch-west.s3.amazonaws.com/');
      expect((await west.send(new HeadBucketCommand({ Bucket: 'sailjada-scratch-west' }))).BucketRegion).toBe(
        'us-west-2',
      );
    });
  });

  describe('events', () => {
    it("records the client's user agent on object notifications' data events and on bucket changes", async () => {
      await tidemark.send(
        new PutObjectCommand({ Bucket: 'sailjada.com', Key: 'index.html', Body: '<h1>Back</h1>' }),
      );
      await tidemark.send(new PutBucketPolicyCommand({ Bucket: 'sailjada.com', Policy: POLICY }));

      const [created] = notifications();
      expect(created).toMatchObject({
        'detail-type': 'Object Created',
        detail: {
          bucket: { name: 'sailjada.com' },
          object: { key: 'index.html', size: 13 },
          reason: 'PutObject',
        },
      });
      const records = apiCalls().map((e) => e.detail);
      expect(records.map((r) => [r.eventName, r.eventCategory])).toEqual([
        ['PutObject', 'Data'],
        ['PutBucketPolicy', 'Management'],
      ]);
      for (const record of records) expect(record.userAgent).toContain('tidemark/1');
      expect(records[1]?.requestParameters).toMatchObject({
        bucketName: 'sailjada.com',
        policy: '',
        bucketPolicy: JSON.parse(POLICY),
      });
      expect(created?.detail['request-id']).toBe(records[0]?.requestID);
    });
  });
});
