import {
  GetBucketCorsCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketReplicationCommand,
  GetBucketTaggingCommand,
  GetBucketWebsiteCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { UNKNOWN_MARKER } from '../src/constants.js';
import { s3Bucket } from '../src/resources/s3-bucket.js';
import { objectFingerprint } from '../src/resources/s3-shared.js';
import { collect, createCaptureContext } from './support/capture-context.js';
import { BUCKET_POLICY, mockFullBucket, s3Error } from './support/resource-mocks.js';

const s3 = mockClient(S3Client);

beforeEach(() => {
  s3.reset();
});

const [objectListing] = s3Bucket.children ?? [];
if (!objectListing) throw new Error('S3 buckets list no children');

describe('s3Bucket.list', () => {
  it('pages through ListBuckets and yields only the buckets of the region', async () => {
    // Arrange
    s3.on(ListBucketsCommand)
      .resolvesOnce({
        Buckets: [
          { Name: 'media', BucketRegion: 'eu-west-1', CreationDate: new Date('2020-01-01') },
          { Name: 'legacy-eu' },
        ],
        ContinuationToken: 'page-2',
      })
      .resolves({ Buckets: [{ Name: 'virginia' }, { Name: 'oregon', BucketRegion: 'us-west-2' }] });
    s3.on(GetBucketLocationCommand, { Bucket: 'legacy-eu' }).resolves({ LocationConstraint: 'EU' });
    s3.on(GetBucketLocationCommand, { Bucket: 'virginia' }).resolves({});
    const ctx = createCaptureContext();

    // Act
    const ireland = await collect(s3Bucket.list(ctx, 'eu-west-1'));
    const virginia = await collect(s3Bucket.list(ctx, 'us-east-1'));

    // Assert
    expect(ireland).toEqual([
      { id: 'media', region: 'eu-west-1' },
      { id: 'legacy-eu', region: 'eu-west-1' },
    ]);
    expect(virginia).toEqual([{ id: 'virginia', region: 'us-east-1' }]);
    expect(s3).toHaveReceivedCommandWith(ListBucketsCommand, { ContinuationToken: 'page-2' });
    // Each bucket's location is asked once per capture, however many regions are listed.
    expect(s3).toHaveReceivedCommandTimes(GetBucketLocationCommand, 2);
  });

  it('skips a bucket whose region cannot be learnt', async () => {
    // Arrange
    s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: 'hidden' }] });
    s3.on(GetBucketLocationCommand).rejects(s3Error('AccessDenied', 403));
    s3.on(HeadBucketCommand).rejects(s3Error('Forbidden', 403));
    const ctx = createCaptureContext();

    // Act
    const listed = await collect(s3Bucket.list(ctx, 'us-east-1'));

    // Assert
    expect(listed).toEqual([]);
  });
});

describe('s3Bucket.list region fallback', () => {
  it('asks HeadBucket for the region when GetBucketLocation is denied', async () => {
    // Arrange
    s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: 'tokyo' }] });
    s3.on(GetBucketLocationCommand).rejects(s3Error('AccessDenied', 403));
    s3.on(HeadBucketCommand).resolves({ BucketRegion: 'ap-northeast-1' });
    const ctx = createCaptureContext();

    // Act
    const listed = await collect(s3Bucket.list(ctx, 'ap-northeast-1'));

    // Assert
    expect(listed).toEqual([{ id: 'tokyo', region: 'ap-northeast-1' }]);
  });
});

describe('s3Bucket.describe', () => {
  it('assembles every configuration into one JSON document', async () => {
    // Arrange
    mockFullBucket(s3);
    const ctx = createCaptureContext();

    // Act
    const described = await s3Bucket.describe(ctx, 'media', 'eu-west-1');

    // Assert
    expect(described.status).toBe('found');
    if (described.status !== 'found') return;
    expect(described.gaps).toBeUndefined();
    expect(described.raw).toMatchObject({
      Name: 'media',
      Region: 'eu-west-1',
      Versioning: { Status: 'Enabled', MFADelete: 'Disabled' },
      Policy: BUCKET_POLICY,
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      PublicAccessBlock: { BlockPublicAcls: true },
      Encryption: { Rules: [{ BucketKeyEnabled: true }] },
      Website: { IndexDocument: { Suffix: 'index.html' } },
      Cors: [{ AllowedMethods: ['GET'] }],
      Lifecycle: { Rules: [{ ID: 'expire-tmp' }] },
      Logging: { TargetBucket: 'logs' },
      Notification: { EventBridgeConfiguration: {} },
      Replication: { Role: 'arn:aws:iam::123456789012:role/replication' },
      ObjectLock: { ObjectLockEnabled: 'Enabled' },
      Tags: [{ Key: 'team', Value: 'media' }],
    });
    expect(JSON.stringify(described.raw)).not.toContain('$metadata');
  });

  it('normalises the policy into an object and the tags into a map', async () => {
    // Arrange
    mockFullBucket(s3);
    const ctx = createCaptureContext();
    const described = await s3Bucket.describe(ctx, 'media', 'eu-west-1');
    if (described.status !== 'found') throw new Error('expected found');

    // Act
    const normalised = s3Bucket.normalise(described.raw);

    // Assert
    expect(normalised.Policy).toEqual(JSON.parse(BUCKET_POLICY));
    expect(normalised.Tags).toEqual({ team: 'media' });
  });

  it('records configurations that are not set as null', async () => {
    // Arrange
    mockFullBucket(s3, '');
    s3.on(GetBucketPolicyCommand).rejects(s3Error('NoSuchBucketPolicy', 404));
    s3.on(GetBucketEncryptionCommand).rejects(s3Error('ServerSideEncryptionConfigurationNotFoundError', 404));
    s3.on(GetBucketCorsCommand).rejects(s3Error('NoSuchCORSConfiguration', 404));
    s3.on(GetBucketLifecycleConfigurationCommand).rejects(s3Error('NoSuchLifecycleConfiguration', 404));
    s3.on(GetBucketWebsiteCommand).rejects(s3Error('NoSuchWebsiteConfiguration', 404));
    s3.on(GetBucketReplicationCommand).rejects(s3Error('ReplicationConfigurationNotFoundError', 404));
    s3.on(GetObjectLockConfigurationCommand).rejects(s3Error('ObjectLockConfigurationNotFoundError', 404));
    s3.on(GetPublicAccessBlockCommand).rejects(s3Error('NoSuchPublicAccessBlockConfiguration', 404));
    s3.on(GetBucketOwnershipControlsCommand).rejects(s3Error('OwnershipControlsNotFoundError', 404));
    s3.on(GetBucketTaggingCommand).rejects(s3Error('NoSuchTagSet', 404));
    const ctx = createCaptureContext();

    // Act
    const described = await s3Bucket.describe(ctx, 'plain', 'us-east-1');

    // Assert
    expect(described.status).toBe('found');
    if (described.status !== 'found') return;
    expect(described.gaps).toBeUndefined();
    expect(described.raw).toMatchObject({
      Region: 'us-east-1',
      Policy: null,
      Encryption: null,
      Cors: null,
      Lifecycle: null,
      Website: null,
      Replication: null,
      ObjectLock: null,
      PublicAccessBlock: null,
      OwnershipControls: null,
      Tags: null,
    });
  });

  it('keeps the rest of the bucket when one part is denied, with a gap and an $unknown marker', async () => {
    // Arrange
    mockFullBucket(s3);
    s3.on(GetBucketPolicyCommand).rejects(s3Error('AccessDenied', 403));
    const ctx = createCaptureContext();

    // Act
    const described = await s3Bucket.describe(ctx, 'media', 'eu-west-1');

    // Assert
    expect(described.status).toBe('found');
    if (described.status !== 'found') return;
    expect(described.raw.Policy).toEqual({ [UNKNOWN_MARKER]: 'AccessDenied' });
    expect(described.raw.Versioning).toEqual({ Status: 'Enabled', MFADelete: 'Disabled' });
    expect(described.gaps).toEqual([
      expect.objectContaining({
        kind: 'denied',
        type: 'AWS::S3::Bucket',
        id: 'media',
        operation: 's3:GetBucketPolicy',
        code: 'AccessDenied',
      }),
    ]);
  });

  it('says not-found when the bucket no longer exists', async () => {
    // Arrange
    s3.on(GetBucketLocationCommand).rejects(s3Error('NoSuchBucket', 404));
    const ctx = createCaptureContext();

    // Act
    const described = await s3Bucket.describe(ctx, 'gone', 'eu-west-1');

    // Assert
    expect(described).toEqual({ status: 'not-found' });
  });

  it('is a gap when the main call is denied', async () => {
    // Arrange
    s3.on(GetBucketLocationCommand).rejects(s3Error('AccessDenied', 403));
    const ctx = createCaptureContext();

    // Act
    const described = await s3Bucket.describe(ctx, 'locked', 'eu-west-1');

    // Assert
    expect(described).toEqual({
      status: 'gap',
      gap: expect.objectContaining({ kind: 'denied', operation: 's3:GetBucketLocation', id: 'locked' }),
    });
  });
});

describe('s3Bucket.children', () => {
  it('pages through the objects of the selection with a listing fingerprint', async () => {
    // Arrange
    const modified = new Date('2024-05-01T10:00:00.000Z');
    s3.on(ListObjectsV2Command)
      .resolvesOnce({
        Contents: [
          { Key: 'photos/a.jpg', ETag: '"a"', Size: 10, LastModified: modified },
          { Key: 'photos/tmp/b.jpg', ETag: '"b"', Size: 20, LastModified: modified },
        ],
        IsTruncated: true,
        NextContinuationToken: 'token-2',
      })
      .resolves({ Contents: [{ Key: 'photos/c.jpg', ETag: '"c"', Size: 30, LastModified: modified }] });
    const ctx = createCaptureContext({
      objects: { include: ['media/photos/'], exclude: ['media/photos/tmp/*'] },
    });

    // Act
    const listed = await collect(objectListing.list(ctx, 'media', 'eu-west-1'));

    // Assert
    expect(listed).toEqual([
      { id: 'media/photos/a.jpg', region: 'eu-west-1', fingerprint: objectFingerprint('"a"', 10, modified) },
      { id: 'media/photos/c.jpg', region: 'eu-west-1', fingerprint: objectFingerprint('"c"', 30, modified) },
    ]);
    expect(s3).toHaveReceivedCommandWith(ListObjectsV2Command, { Bucket: 'media', Prefix: 'photos/' });
    expect(s3).toHaveReceivedCommandWith(ListObjectsV2Command, { ContinuationToken: 'token-2' });
  });

  it('does not list a bucket outside the selection', async () => {
    // Arrange
    const ctx = createCaptureContext({ objects: { exclude: ['media'] } });

    // Act
    const listed = await collect(objectListing.list(ctx, 'media', 'eu-west-1'));

    // Assert
    expect(listed).toEqual([]);
    expect(s3).not.toHaveReceivedCommand(ListObjectsV2Command);
  });
});

describe('s3Bucket.events', () => {
  it('maps a bucket call to its bucket name and a redacted name to nothing', () => {
    // Arrange
    const named = { eventName: 'PutBucketPolicy', requestParameters: { bucketName: 'media' } };
    const redacted = { eventName: 'PutBucketAcl', requestParameters: { bucketName: '' } };

    // Act
    const fromNamed = s3Bucket.events.PutBucketPolicy?.(named);
    const fromRedacted = s3Bucket.events.PutBucketAcl?.(redacted);

    // Assert
    expect(fromNamed).toEqual(['media']);
    expect(fromRedacted).toEqual([]);
  });
});
