import { describe, expect, it } from 'vitest';
import { coalesce } from '../src/events/map.js';
import type { MappedEvent } from '../src/events/types.js';

const RESOURCE = { account: '1', region: 'eu-west-1', type: 'AWS::S3::Bucket', id: 'media' };

function event(source: string, eventName: string, eventTime?: string): MappedEvent {
  return {
    source,
    resources: [RESOURCE],
    cause: { kind: 'event', eventName, ...(eventTime ? { eventTime } : {}) },
  };
}

describe('coalesce', () => {
  it('keeps the latest event by time even after a later-in-input event replaced an earlier one', () => {
    // Arrange
    const mapped = [
      event('a#0', 'PutBucketTagging', '2024-05-01T10:00:01.000Z'),
      event('a#1', 'PutBucketPolicy', '2024-05-01T10:00:03.000Z'),
      event('a#2', 'PutBucketAcl', '2024-05-01T10:00:02.000Z'),
    ];

    // Act
    const [change] = coalesce(mapped);

    // Assert
    expect(change?.cause).toMatchObject({ eventName: 'PutBucketPolicy', coalesced: 3 });
  });

  it('keeps the later event in the input on a tie, and prefers any timed event to untimed ones', () => {
    // Arrange
    const tie = [
      event('a#0', 'PutBucketTagging', '2024-05-01T10:00:01.000Z'),
      event('a#1', 'PutBucketPolicy', '2024-05-01T10:00:01.000Z'),
    ];
    const untimed = [
      event('b#0', 'PutBucketTagging'),
      event('b#1', 'PutBucketPolicy', '2024-05-01T10:00:01.000Z'),
      event('b#2', 'PutBucketAcl'),
    ];

    // Act
    const [afterTie] = coalesce(tie);
    const [afterUntimed] = coalesce(untimed);

    // Assert
    expect(afterTie?.cause.eventName).toBe('PutBucketPolicy');
    expect(afterUntimed?.cause.eventName).toBe('PutBucketPolicy');
  });

  it('keeps who made the earlier changes when a later event of the batch was made by someone else', () => {
    // Arrange
    const by = (source: string, principal: string, eventTime: string): MappedEvent => ({
      source,
      resources: [RESOURCE],
      cause: { kind: 'event', eventName: 'PutBucketPolicy', eventTime, principal },
    });
    const mapped = [
      by('a#0', 'arn:aws:iam::1:user/mallory', '2024-05-01T10:00:01.000Z'),
      by('a#1', 'arn:aws:sts::1:assumed-role/deploy/ci', '2024-05-01T10:00:02.000Z'),
      by('a#2', 'arn:aws:sts::1:assumed-role/deploy/ci', '2024-05-01T10:00:03.000Z'),
    ];

    // Act
    const [change] = coalesce(mapped);

    // Assert
    expect(change?.cause).toMatchObject({
      principal: 'arn:aws:sts::1:assumed-role/deploy/ci',
      coalesced: 3,
      alsoBy: ['arn:aws:iam::1:user/mallory'],
    });
  });
});
