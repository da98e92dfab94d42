import { describe, expect, it } from 'vitest';
import { lambdaFunctionName, s3ArnParts } from '../src/resources/arn.js';
import {
  bucketSelected,
  listingPrefixes,
  objectFingerprint,
  objectSelected,
  regionFromLocation,
  splitObjectId,
} from '../src/resources/s3-shared.js';

describe('objectSelected', () => {
  it.each([
    [{}, 'any', 'thing', true],
    [{ include: ['media'] }, 'media', 'a/b.jpg', true],
    [{ include: ['media'] }, 'other', 'a/b.jpg', false],
    [{ include: ['media/photos/'] }, 'media', 'photos/a.jpg', true],
    [{ include: ['media/photos/'] }, 'media', 'videos/a.mp4', false],
    [{ include: ['media/photos*'] }, 'media', 'photos-2024/a.jpg', true],
    [{ include: ['media/*.jpg'] }, 'media', 'photos/a.jpg', true],
    [{ include: ['media/*.jpg'] }, 'media', 'photos/a.jpg.bak', false],
    [{ include: ['logs-*'] }, 'logs-eu', 'x', true],
    [{ include: ['logs-*'] }, 'media', 'x', false],
    [{ exclude: ['media/tmp/'] }, 'media', 'tmp/a', false],
    [{ exclude: ['media/tmp/'] }, 'media', 'keep/a', true],
    [{ include: ['media'], exclude: ['media'] }, 'media', 'a', false],
    [{ include: ['media/tmp/'], exclude: ['media/tmp/*'] }, 'media', 'tmp/a', false],
    [{ include: ['a.b'] }, 'aXb', 'k', false],
  ])('selection %j, bucket %s, key %s → %s', (selection, bucket, key, expected) => {
    // Arrange
    const input = { selection, bucket, key };

    // Act
    const selected = objectSelected(input.selection, input.bucket, input.key);

    // Assert
    expect(selected).toBe(expected);
  });
});

describe('bucketSelected', () => {
  it('rejects buckets no include names and buckets wholly excluded', () => {
    // Arrange
    const selection = { include: ['media/photos/', 'logs'], exclude: ['logs/*', 'media/tmp/'] };

    // Act
    const results = ['media', 'logs', 'other'].map((bucket) => bucketSelected(selection, bucket));

    // Assert
    expect(results).toEqual([true, false, false]);
  });
});

describe('listingPrefixes', () => {
  it('lists the literal prefixes of the includes, without those a shorter one covers', () => {
    // Arrange
    const selection = { include: ['media/photos/', 'media/photos/2024/', 'media/videos*', 'other/x/'] };

    // Act
    const prefixes = listingPrefixes(selection, 'media');

    // Assert
    expect(prefixes).toEqual(['photos/', 'videos']);
    expect(listingPrefixes({}, 'media')).toEqual(['']);
    expect(listingPrefixes({ include: ['media', 'media/photos/'] }, 'media')).toEqual(['']);
  });
});

describe('regionFromLocation', () => {
  it('maps the legacy location constraints', () => {
    // Arrange
    const constraints = [undefined, null, '', 'EU', 'ap-south-1'];

    // Act
    const regions = constraints.map(regionFromLocation);

    // Assert
    expect(regions).toEqual(['us-east-1', 'us-east-1', 'us-east-1', 'eu-west-1', 'ap-south-1']);
  });
});

describe('objectFingerprint', () => {
  it('is the same from a listing (milliseconds) and from HeadObject (seconds)', () => {
    // Arrange
    const listed = new Date('2024-05-01T10:00:00.000Z');
    const headed = new Date('Wed, 01 May 2024 10:00:00 GMT');

    // Act
    const fromListing = objectFingerprint('"abc"', 5, listed);
    const fromHead = objectFingerprint('"abc"', 5, headed);

    // Assert
    expect(fromListing).toBe(fromHead);
    expect(fromListing).toBe('etag="abc";size=5;modified=2024-05-01T10:00:00.000Z');
    expect(objectFingerprint('"abc"', 6, listed)).not.toBe(fromListing);
  });
});

describe('splitObjectId', () => {
  it('splits at the first slash and rejects ids without a key', () => {
    // Arrange
    const id = 'media/photos/a.jpg';

    // Act
    const parts = splitObjectId(id);

    // Assert
    expect(parts).toEqual({ bucket: 'media', key: 'photos/a.jpg' });
    expect(() => splitObjectId('media')).toThrow(/bucket\/key/);
    expect(() => splitObjectId('media/')).toThrow(/bucket\/key/);
  });
});

describe('lambdaFunctionName', () => {
  it.each([
    ['thumbnails', 'thumbnails'],
    ['thumbnails:prod', 'thumbnails'],
    ['arn', 'arn'],
    ['arn:1', 'arn'],
    ['arn:aws:lambda:us-east-1:123456789012:function:thumbnails', 'thumbnails'],
    ['arn:aws-cn:lambda:cn-north-1:123456789012:function:thumbnails:7', 'thumbnails'],
    ['123456789012:function:thumbnails', 'thumbnails'],
    ['123456789012:function:thumbnails:$LATEST', 'thumbnails'],
    ['arn:aws:lambda:us-east-1:123456789012:layer:deps:3', undefined],
    ['arn:aws:s3:::bucket', undefined],
    ['', undefined],
    ['has space', undefined],
  ])('%s → %s', (value, expected) => {
    // Arrange
    const input = value;

    // Act
    const name = lambdaFunctionName(input);

    // Assert
    expect(name).toBe(expected);
  });
});

describe('s3ArnParts', () => {
  it('reads buckets and objects, not outposts', () => {
    // Arrange
    const arns = [
      'arn:aws:s3:::media',
      'arn:aws:s3:::media/a/b.jpg',
      'arn:aws:s3-outposts:us-east-1:1:outpost/op/bucket/x',
    ];

    // Act
    const parts = arns.map(s3ArnParts);

    // Assert
    expect(parts).toEqual([{ bucket: 'media' }, { bucket: 'media', key: 'a/b.jpg' }, undefined]);
  });
});
