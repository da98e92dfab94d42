import { describe, expect, it } from 'vitest';
import { sliceFor } from '../src/pipeline/work-item.js';
import { readQueueMessage, summariseMessage } from '../src/queue/messages.js';

const ITEM = sliceFor('v1.4', { type: 'AWS::S3::Object', region: 'us-east-1', parent: 'sailjada.com' });

const POLICY_CHANGE = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'AWS API Call via CloudTrail',
  source: 'aws.s3',
  account: '123456789012',
  time: '2026-11-25T14:00:00Z',
  region: 'us-east-1',
  resources: [],
  detail: {
    eventVersion: '1.09',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/alice', accountId: '123456789012' },
    eventTime: '2026-11-25T14:00:00Z',
    eventSource: 's3.amazonaws.com',
    eventName: 'PutBucketPolicy',
    awsRegion: 'us-east-1',
    requestParameters: { bucketName: 'sailjada.com', policy: {} },
    eventID: '5d5b2a1c-0c4d-4b7e-9d1e-2f4a3b6c7d8e',
    readOnly: false,
    eventType: 'AwsApiCall',
    recipientAccountId: '123456789012',
  },
};

describe('readQueueMessage', () => {
  it('tells a work item, an invalid one and change events apart', () => {
    expect(readQueueMessage(JSON.stringify(ITEM))).toEqual({ kind: 'work-item', item: ITEM });
    expect(readQueueMessage('{"tidemark":"baseline-slice","label":"v1.4"}')).toMatchObject({
      kind: 'invalid-work-item',
      reason: expect.stringContaining('invalid work item'),
    });
    expect(readQueueMessage(JSON.stringify(POLICY_CHANGE)).kind).toBe('events');
    expect(readQueueMessage('not json at all').kind).toBe('events');
  });
});

describe('summariseMessage', () => {
  it('says what a message is: its work item, its events and their resources, or why it is unreadable', () => {
    expect(summariseMessage(JSON.stringify(ITEM), 'sqs:1')).toEqual({ kind: 'work-item', item: ITEM });
    expect(summariseMessage(JSON.stringify(POLICY_CHANGE), 'sqs:2')).toMatchObject({
      kind: 'events',
      events: [
        {
          cause: { eventName: 'PutBucketPolicy' },
          resources: [{ type: 'AWS::S3::Bucket', id: 'sailjada.com', region: 'us-east-1' }],
        },
      ],
    });
    expect(summariseMessage('{"oops": ', 'sqs:3')).toMatchObject({
      kind: 'unparseable',
      reason: expect.stringContaining('not valid JSON'),
    });
    expect(summariseMessage('[]', 'sqs:4')).toEqual({
      kind: 'unparseable',
      reason: 'the message holds no event',
    });
  });
});
