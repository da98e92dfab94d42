import { GetObjectCommand, GetObjectTaggingCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { UNKNOWN_MARKER } from '../src/constants.js';
import { s3Object } from '../src/resources/s3-object.js';
import { objectFingerprint } from '../src/resources/s3-shared.js';
import type { PreviousCapture } from '../src/types/resource.js';
import { createCaptureContext } from './support/capture-context.js';
import { mockFullObject, s3Error, sha256Hex, streamBody } from './support/resource-mocks.js';

const s3 = mockClient(S3Client);
const BYTES = Buffer.from('the quick brown fox jumps over the lazy dog');

beforeEach(() => {
  s3.reset();
});

function previousWith(
  document: Record<string, string | number | null>,
  content = 'f'.repeat(64),
): PreviousCapture {
  return { document, blobs: { content } };
}

describe('s3Object.describe', () => {
  it('records metadata and tags, and streams the content into the store', async () => {
    // Arrange
    mockFullObject(s3, BYTES);
    const ctx = createCaptureContext();

    // Act
    const described = await s3Object.describe(ctx, 'media/photos/a.jpg', 'eu-west-1');

    // Assert
    expect(described.status).toBe('found');
    if (described.status !== 'found') return;
    expect(described.raw).toMatchObject({
      Bucket: 'media',
      Key: 'photos/a.jpg',
      ContentType: 'image/jpeg',
      ContentLength: BYTES.length,
      StorageClass: 'STANDARD',
      VersionId: 'v1',
      Metadata: { origin: 'camera' },
      ChecksumSHA256: 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=',
      LastModified: '2024-05-01T10:00:00.000Z',
      Tags: [{ Key: 'album', Value: 'summer' }],
    });
    expect(Object.keys(described.raw).filter((key) => key.startsWith('SSECustomer'))).toEqual([]);
    expect(described.blobs).toEqual({ content: sha256Hex(BYTES) });
    expect(ctx.content.blobs.get(sha256Hex(BYTES))).toEqual(BYTES);
    expect(ctx.counters.bytesDownloaded).toBe(BYTES.length);
    expect(described.fingerprint).toBe(
      objectFingerprint(
        '"d41d8cd98f00b204e9800998ecf8427e"',
        BYTES.length,
        new Date('2024-05-01T10:00:00.000Z'),
      ),
    );
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, {
      Bucket: 'media',
      Key: 'photos/a.jpg',
      VersionId: 'v1',
      IfMatch: '"d41d8cd98f00b204e9800998ecf8427e"',
    });
    expect(s3).toHaveReceivedCommandWith(GetObjectTaggingCommand, { VersionId: 'v1' });
  });

  it('normalises the tags into a map', async () => {
    // Arrange
    mockFullObject(s3, BYTES);
    const ctx = createCaptureContext();
    const described = await s3Object.describe(ctx, 'media/a', 'eu-west-1');
    if (described.status !== 'found') throw new Error('expected found');

    // Act
    const normalised = s3Object.normalise(described.raw);

    // Assert
    expect(normalised.Tags).toEqual({ album: 'summer' });
  });

  it('reuses the previous content when the version id is unchanged', async () => {
    // Arrange
    mockFullObject(s3, BYTES);
    const ctx = createCaptureContext();
    const previous = previousWith({ VersionId: 'v1', ETag: '"other"', ContentLength: 1 }, 'a'.repeat(64));

    // Act
    const described = await s3Object.describe(ctx, 'media/a', 'eu-west-1', previous);

    // Assert
    expect(described).toMatchObject({ status: 'found', blobs: { content: 'a'.repeat(64) } });
    expect(s3).not.toHaveReceivedCommand(GetObjectCommand);
    expect(ctx.counters.bytesDownloaded).toBe(0);
  });

  it('reuses the previous content of an unversioned object with the same ETag and size', async () => {
    // Arrange
    mockFullObject(s3, BYTES, { VersionId: undefined });
    const ctx = createCaptureContext();
    const previous = previousWith({
      ETag: '"d41d8cd98f00b204e9800998ecf8427e"',
      ContentLength: BYTES.length,
    });

    // Act
    const described = await s3Object.describe(ctx, 'media/a', 'eu-west-1', previous);

    // Assert
    expect(described).toMatchObject({ status: 'found', blobs: { content: 'f'.repeat(64) } });
    expect(s3).not.toHaveReceivedCommand(GetObjectCommand);
  });

  it('downloads again when the version changed', async () => {
    // Arrange
    mockFullObject(s3, BYTES, { VersionId: 'v2' });
    const ctx = createCaptureContext();
    const previous = previousWith({
      VersionId: 'v1',
      ETag: '"d41d8cd98f00b204e9800998ecf8427e"',
      ContentLength: BYTES.length,
    });

    // Act
    const described = await s3Object.describe(ctx, 'media/a', 'eu-west-1', previous);

    // Assert
    expect(described).toMatchObject({ status: 'found', blobs: { content: sha256Hex(BYTES) } });
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 1);
  });

  it('records a needs-restore gap for an archived object without reading it', async () => {
    // Arrange
    mockFullObject(s3, BYTES, { StorageClass: 'GLACIER' });
    const ctx = createCaptureContext();

    // Act
    const described = await s3Object.describe(ctx, 'media/old.tar', 'eu-west-1');

    // Assert
    expect(described.status).toBe('found');
    if (described.status !== 'found') return;
    expect(described.raw.StorageClass).toBe('GLACIER');
    expect(described.blobs).toBeUndefined();
    expect(described.gaps).toEqual([
      expect.objectContaining({
        kind: 'needs-restore',
        operation: 's3:GetObject',
        code: 'InvalidObjectState',
      }),
    ]);
    expect(s3).not.toHaveReceivedCommand(GetObjectCommand);
  });

  it('reads an archived object whose restore has completed', async () => {
    // Arrange
    mockFullObject(s3, BYTES, {
      StorageClass: 'DEEP_ARCHIVE',
      Restore: 'ongoing-request="false", expiry-date="Fri, 21 Dec 2012 00:00:00 GMT"',
    });
    const ctx = createCaptureContext();

    // Act
    const described = await s3Object.describe(ctx, 'media/old.tar', 'eu-west-1');

    // Assert
    expect(described).toMatchObject({ status: 'found', blobs: { content: sha256Hex(BYTES) } });
    expect(described.status === 'found' && described.gaps).toBeFalsy();
  });

  it('downloads a large object as sequential ranged GETs into one blob', async () => {
    // Arrange
    mockFullObject(s3, BYTES);
    const ctx = createCaptureContext({ partSize: 10 });

    // Act
    const described = await s3Object.describe(ctx, 'media/big.bin', 'eu-west-1');

    // Assert
    expect(described).toMatchObject({ status: 'found', blobs: { content: sha256Hex(BYTES) } });
    const ranges = s3.commandCalls(GetObjectCommand).map((call) => call.args[0].input.Range);
    expect(ranges).toEqual(['bytes=0-9', 'bytes=10-19', 'bytes=20-29', 'bytes=30-39', 'bytes=40-42']);
    expect(ctx.content.puts).toHaveLength(1);
    expect(ctx.counters.bytesDownloaded).toBe(BYTES.length);
  });

  it('says not-found when the object was deleted', async () => {
    // Arrange
    s3.on(HeadObjectCommand).rejects(s3Error('NotFound', 404));
    const ctx = createCaptureContext();

    // Act
    const described = await s3Object.describe(ctx, 'media/gone', 'eu-west-1');

    // Assert
    expect(described).toEqual({ status: 'not-found' });
  });

  it('is a gap when HeadObject is denied', async () => {
    // Arrange
    s3.on(HeadObjectCommand).rejects(s3Error('Forbidden', 403));
    const ctx = createCaptureContext();

    // Act
    const described = await s3Object.describe(ctx, 'media/secret', 'eu-west-1');

    // Assert
    expect(described).toEqual({
      status: 'gap',
      gap: expect.objectContaining({ kind: 'denied', operation: 's3:GetObject', id: 'media/secret' }),
    });
  });

  it('keeps metadata and content when tagging is denied', async () => {
    // Arrange
    mockFullObject(s3, BYTES);
    s3.on(GetObjectTaggingCommand).rejects(s3Error('AccessDenied', 403));
    const ctx = createCaptureContext();

    // Act
    const described = await s3Object.describe(ctx, 'media/a', 'eu-west-1');

    // Assert
    expect(described).toMatchObject({
      status: 'found',
      raw: { Tags: { [UNKNOWN_MARKER]: 'AccessDenied' } },
      blobs: { content: sha256Hex(BYTES) },
      gaps: [expect.objectContaining({ kind: 'denied', operation: 's3:GetObjectVersionTagging' })],
    });
  });

  it('records tagging refused for an archived object as needing a restore, not as denied', async () => {
    // Arrange
    mockFullObject(s3, BYTES, { StorageClass: 'DEEP_ARCHIVE' });
    s3.on(GetObjectTaggingCommand).rejects(s3Error('InvalidObjectState', 403));
    const ctx = createCaptureContext();

    // Act
    const described = await s3Object.describe(ctx, 'media/old.tar', 'eu-west-1');

    // Assert
    expect(described).toMatchObject({
      status: 'found',
      raw: { Tags: { [UNKNOWN_MARKER]: 'InvalidObjectState' } },
    });
    expect(described.status === 'found' && described.gaps).toContainEqual(
      expect.objectContaining({
        kind: 'needs-restore',
        operation: 's3:GetObjectVersionTagging',
        code: 'InvalidObjectState',
      }),
    );
  });

  it('describes again when the object changes between HeadObject and GetObject', async () => {
    // Arrange
    mockFullObject(s3, BYTES);
    s3.on(GetObjectCommand)
      .rejectsOnce(s3Error('PreconditionFailed', 412))
      .resolves({ Body: streamBody(BYTES), ContentLength: BYTES.length });
    const ctx = createCaptureContext();

    // Act
    const described = await s3Object.describe(ctx, 'media/a', 'eu-west-1');

    // Assert
    expect(described).toMatchObject({ status: 'found', blobs: { content: sha256Hex(BYTES) } });
    expect(s3).toHaveReceivedCommandTimes(HeadObjectCommand, 2);
  });

  it('keeps only metadata for an object outside the selection', async () => {
    // Arrange
    mockFullObject(s3, BYTES);
    const ctx = createCaptureContext({ objects: { exclude: ['media/tmp/'] } });

    // Act
    const described = await s3Object.describe(ctx, 'media/tmp/a', 'eu-west-1');

    // Assert
    expect(described).toMatchObject({ status: 'found', raw: { Key: 'tmp/a' } });
    expect(described.status === 'found' && described.blobs).toBeFalsy();
    expect(s3Object.selected?.(ctx, 'media/tmp/a')).toBe(false);
    expect(s3Object.selected?.(ctx, 'media/keep/a')).toBe(true);
  });
});

describe('s3Object.events', () => {
  it('maps object data events to bucket/key', () => {
    // Arrange
    const put = { requestParameters: { bucketName: 'media', key: 'photos/a b.jpg' } };
    const copy = {
      requestParameters: { bucketName: 'media', key: 'copy.jpg', 'x-amz-copy-source': 'other/src.jpg' },
    };

    // Act
    const ids = [s3Object.events.PutObject?.(put), s3Object.events.CopyObject?.(copy)];

    // Assert
    expect(ids).toEqual([['media/photos/a b.jpg'], ['media/copy.jpg']]);
  });

  it('maps DeleteObjects to its keys when the trail has them, else to nothing', () => {
    // Arrange
    const withKeys = {
      requestParameters: {
        bucketName: 'media',
        delete: { Object: [{ Key: 'a' }, { Key: 'b' }], Quiet: 'true' },
      },
    };
    const oneKey = { requestParameters: { bucketName: 'media', delete: { Object: { Key: 'a' } } } };
    const asRecorded = { requestParameters: { bucketName: 'media', delete: '', 'x-id': 'DeleteObjects' } };

    // Act
    const ids = [withKeys, oneKey, asRecorded].map((record) => s3Object.events.DeleteObjects?.(record));

    // Assert
    expect(ids).toEqual([['media/a', 'media/b'], ['media/a'], []]);
  });
});
