import { describe, expect, it } from 'vitest';
import { escapeControlCharacters, parseEventInput } from '../src/events/parse.js';
import { readFixture } from './support/fixtures.js';

const RECORD = {
  eventVersion: '1.08',
  eventSource: 's3.amazonaws.com',
  eventName: 'PutBucketPolicy',
  awsRegion: 'eu-west-1',
  requestParameters: { bucketName: 'media' },
};

describe('parseEventInput', () => {
  it('reads a raw CloudTrail record', () => {
    // Arrange
    const text = JSON.stringify(RECORD);

    // Act
    const events = parseEventInput(text, 'record.json');

    // Assert
    expect(events).toEqual([{ kind: 'cloudtrail', record: RECORD, source: 'record.json#0' }]);
  });

  it('reads the record of an EventBridge envelope with its account and region', () => {
    // Arrange
    const text = JSON.stringify({
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.s3',
      account: '111122223333',
      region: 'eu-west-1',
      detail: RECORD,
    });

    // Act
    const events = parseEventInput(text, 'eb');

    // Assert
    expect(events).toEqual([
      { kind: 'cloudtrail', record: RECORD, account: '111122223333', region: 'eu-west-1', source: 'eb#0' },
    ]);
  });

  it('reads every record of a CloudTrail log file, numbering them', () => {
    // Arrange
    const text = JSON.stringify({ Records: [RECORD, { ...RECORD, eventName: 'DeleteBucketPolicy' }] });

    // Act
    const events = parseEventInput(text, 'log.json');

    // Assert
    expect(events.map((event) => event.source)).toEqual(['log.json#0', 'log.json#1']);
    expect(events.map((event) => event.kind === 'cloudtrail' && event.record.eventName)).toEqual([
      'PutBucketPolicy',
      'DeleteBucketPolicy',
    ]);
  });

  it('reads SQS messages whose bodies hold log files and envelopes', () => {
    // Arrange
    const text = JSON.stringify({
      Records: [
        { messageId: '1', eventSource: 'aws:sqs', body: JSON.stringify({ Records: [RECORD, RECORD] }) },
        {
          messageId: '2',
          eventSource: 'aws:sqs',
          body: JSON.stringify({
            'detail-type': 'AWS API Call via CloudTrail',
            source: 'aws.s3',
            detail: RECORD,
          }),
        },
      ],
    });

    // Act
    const events = parseEventInput(text, 'sqs');

    // Assert
    expect(events.map((event) => event.kind)).toEqual(['cloudtrail', 'cloudtrail', 'cloudtrail']);
  });

  it('reads LookupEvents output, whose records are JSON strings', () => {
    // Arrange
    const text = JSON.stringify({
      Events: [{ EventId: 'e', EventName: 'PutBucketPolicy', CloudTrailEvent: JSON.stringify(RECORD) }],
    });

    // Act
    const events = parseEventInput(text, 'lookup');

    // Assert
    expect(events).toMatchObject([{ kind: 'cloudtrail', record: RECORD, source: 'lookup#0' }]);
  });

  it('reads a bare SQS body given as a JSON string', () => {
    // Arrange
    const text = JSON.stringify(JSON.stringify(RECORD));

    // Act
    const events = parseEventInput(text, 'body');

    // Assert
    expect(events).toMatchObject([{ kind: 'cloudtrail', record: RECORD }]);
  });

  it('reads S3 EventBridge notifications', () => {
    // Arrange
    const text = readFixture('s3/ObjectDeleted-2.json');

    // Act
    const events = parseEventInput(text, 'n');

    // Assert
    expect(events).toMatchObject([
      {
        kind: 'notification',
        eventBridgeSource: 'aws.s3',
        detailType: 'Object Deleted',
        account: '111122223333',
        region: 'ca-central-1',
        time: '2021-11-12T00:00:00Z',
        id: 'ad1de317-e409-eba2-9552-30113f8d88e3',
        resources: ['arn:aws:s3:::DOC-EXAMPLE-BUCKET1'],
        detail: {
          bucket: { name: 'DOC-EXAMPLE-BUCKET1' },
          object: { key: 'example-key' },
          reason: 'Lifecycle Expiration',
          requester: 's3.amazonaws.com',
        },
        source: 'n#0',
      },
    ]);
  });

  it('reads native S3 notifications and decodes their keys', () => {
    // Arrange
    const text = JSON.stringify({
      Records: [
        {
          eventSource: 'aws:s3',
          eventName: 'ObjectCreated:Put',
          awsRegion: 'eu-west-1',
          s3: { bucket: { name: 'media' }, object: { key: 'photos/summer+2024/%C3%A9t%C3%A9.jpg' } },
        },
      ],
    });

    // Act
    const events = parseEventInput(text, 'n');

    // Assert
    expect(events).toMatchObject([
      {
        kind: 'notification',
        eventBridgeSource: 'aws.s3',
        detailType: 'Object Created',
        detail: { bucket: { name: 'media' }, object: { key: 'photos/summer 2024/été.jpg' } },
      },
    ]);
  });

  it("reads other services' EventBridge events as notifications, with their resources", () => {
    // Arrange
    const text = readFixture('acm/ACMCertificateApproachingExpiration-1.json');

    // Act
    const events = parseEventInput(text, 'acm');

    // Assert
    expect(events).toMatchObject([
      {
        kind: 'notification',
        eventBridgeSource: 'aws.acm',
        detailType: 'ACM Certificate Approaching Expiration',
        resources: ['arn:aws:acm:us-east-1:123456789012:certificate/61f50cd4-45b9-4259-b049-d0a53682fa4b'],
        detail: { DaysToExpiry: 31, CommonName: 'My Awesome Service' },
        source: 'acm#0',
      },
    ]);
  });

  it('accepts a literal line break inside a JSON string', () => {
    // Arrange
    const text = readFixture('iam/CreateRole-2.json').replace(
      '\\"Sid\\": \\"\\",\\n',
      '\\"Sid\\": \\"\\",\n',
    );
    expect(() => JSON.parse(text)).toThrow();

    // Act
    const events = parseEventInput(text, 'role');

    // Assert
    expect(events).toMatchObject([{ kind: 'cloudtrail', record: { eventName: 'CreateRole' } }]);
  });

  it('reads NDJSON and reports each bad line with its number', () => {
    // Arrange
    const text = [JSON.stringify(RECORD), '{"eventName": ', '', JSON.stringify(RECORD)].join('\n');

    // Act
    const events = parseEventInput(text, 'nd');

    // Assert
    expect(events.map((event) => event.kind)).toEqual(['cloudtrail', 'other', 'cloudtrail']);
    expect(events[1]).toMatchObject({
      reason: 'malformed',
      line: 2,
      detail: expect.stringMatching(/^not valid JSON/),
    });
  });

  it('reports text that is not JSON once, with where it fails', () => {
    // Arrange
    const text = '{\n  "eventName": "PutObject",\n  oops\n}';

    // Act
    const events = parseEventInput(text, 'bad');

    // Assert
    expect(events).toEqual([
      {
        kind: 'other',
        reason: 'malformed',
        detail: expect.stringMatching(/^not valid JSON at column 3: /),
        line: 3,
        source: 'bad#0',
      },
    ]);
  });

  it('reports JSON in none of the accepted shapes', () => {
    // Arrange
    const inputs = ['42', 'null', '{"hello": "world"}', '[1, {"a": 1}]'];

    // Act
    const events = inputs.flatMap((text) => parseEventInput(text, 'x'));

    // Assert
    expect(events.map((event) => event.kind === 'other' && event.reason)).toEqual([
      'malformed',
      'malformed',
      'malformed',
      'malformed',
      'malformed',
    ]);
    expect(events[2]).toMatchObject({ detail: 'JSON object in none of the accepted shapes (keys: hello)' });
  });

  it('reads nothing from empty input', () => {
    // Arrange
    const text = ' \n\t';

    // Act
    const events = parseEventInput(text, 'empty');

    // Assert
    expect(events).toEqual([]);
  });
});

describe('escapeControlCharacters', () => {
  it('escapes control characters inside strings only', () => {
    // Arrange
    const text = '{\n"a": "x\ny\tz\u0001", "b": "q\\"\n"}';

    // Act
    const escaped = escapeControlCharacters(text);

    // Assert
    expect(JSON.parse(escaped)).toEqual({ a: 'x\ny\tz\u0001', b: 'q"\n' });
  });
});
