import { describe, expect, it } from 'vitest';
import { coalesce, mapEvent, mapEvents, normaliseEventTime } from '../src/events/map.js';
import type { ChangeEvent, MappedEvent } from '../src/events/types.js';
import { registry } from '../src/resources/registry.js';
import type { ResourceDefinition } from '../src/resources/types.js';
import type { CloudTrailRecord } from '../src/types/cloudtrail.js';

function trail(record: CloudTrailRecord, extra: { account?: string; region?: string } = {}): ChangeEvent {
  return { kind: 'cloudtrail', record, source: 'test#0', ...extra };
}

const BASE = {
  eventSource: 's3.amazonaws.com',
  awsRegion: 'eu-west-1',
  recipientAccountId: '111122223333',
  eventTime: '2024-05-01T10:00:00Z',
  eventID: 'e-1',
  userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', accountId: '444455556666' },
};

describe('mapEvent', () => {
  it('maps a successful mutating call to its resource with the cause', () => {
    // Arrange
    const event = trail({
      ...BASE,
      eventName: 'PutBucketPolicy',
      requestParameters: { bucketName: 'media' },
    });

    // Act
    const mapped = mapEvent(event);

    // Assert
    expect(mapped).toEqual({
      source: 'test#0',
      resources: [{ account: '111122223333', region: 'eu-west-1', type: 'AWS::S3::Bucket', id: 'media' }],
      cause: {
        kind: 'event',
        eventId: 'e-1',
        eventName: 'PutBucketPolicy',
        eventTime: '2024-05-01T10:00:00.000Z',
        principal: 'arn:aws:iam::111122223333:user/alice',
      },
    });
  });

  it.each([
    [{ errorCode: 'AccessDenied' }, 'failed-call'],
    [{ errorCode: '' }, undefined],
    [{ errorCode: null }, undefined],
    [{ readOnly: true }, 'read-only'],
    [{ readOnly: 'true' }, 'read-only'],
    [{ readOnly: false }, undefined],
  ])('with %j the call is skipped as %s', (fields, reason) => {
    // Arrange
    const event = trail({
      ...BASE,
      eventName: 'DeleteBucket',
      requestParameters: { bucketName: 'b' },
      ...fields,
    });

    // Act
    const mapped = mapEvent(event);

    // Assert
    expect(mapped.skipped?.reason).toBe(reason);
    expect(mapped.resources).toHaveLength(reason ? 0 : 1);
  });

  it('treats Get/List/Describe/Head/Lookup calls without readOnly as read-only', () => {
    // Arrange
    const names = [
      'GetObject',
      'ListObjectsV2',
      'DescribeStacks',
      'HeadBucket',
      'LookupEvents',
      'BatchGetItem',
    ];

    // Act
    const reasons = names.map((eventName) => mapEvent(trail({ ...BASE, eventName })).skipped?.reason);

    // Assert
    expect(reasons).toEqual(names.map(() => 'read-only'));
  });

  it('names the source and event of an unsupported service or event', () => {
    // Arrange
    const service = trail({ ...BASE, eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances' });
    const event = trail({
      ...BASE,
      eventName: 'PutBucketInventoryConfiguration',
      requestParameters: { bucketName: 'b' },
    });

    // Act
    const [forService, forEvent] = mapEvents([service, event]);

    // Assert
    expect(forService?.skipped).toEqual({
      reason: 'unsupported',
      detail: 'ec2.amazonaws.com RunInstances: service ec2.amazonaws.com is not captured',
    });
    expect(forEvent?.skipped).toEqual({
      reason: 'unsupported',
      detail: 's3.amazonaws.com PutBucketInventoryConfiguration is not a change Tidemark captures',
    });
  });

  it('finds the service of a record without eventSource by a unique event name', () => {
    // Arrange
    const { eventSource: _omitted, ...withoutSource } = BASE;
    const unique = trail({
      ...withoutSource,
      eventName: 'PutBucketTagging',
      requestParameters: { bucketName: 'b' },
    });
    const unknown = trail({ ...withoutSource, eventName: 'ReplaceIamInstanceProfileAssociation' });
    // Lambda and CloudFront both have CreateFunction: without an event source it cannot be told whose it is.
    const ambiguous = trail({
      ...withoutSource,
      eventName: 'CreateFunction',
      requestParameters: { functionName: 'f' },
    });

    // Act
    const [fromUnique, fromUnknown, fromAmbiguous] = mapEvents([unique, unknown, ambiguous]);

    // Assert
    expect(fromUnique?.resources).toMatchObject([{ type: 'AWS::S3::Bucket', id: 'b' }]);
    expect(fromUnknown?.skipped?.reason).toBe('unsupported');
    expect(fromAmbiguous?.skipped).toEqual({
      reason: 'unsupported',
      detail:
        '(no eventSource) CreateFunction: record has no eventSource and more than one captured service has CreateFunction',
    });
  });

  it('is unresolvable when the record does not name the resource', () => {
    // Arrange
    const event = trail({ ...BASE, eventName: 'PutBucketAcl', requestParameters: { bucketName: '' } });

    // Act
    const mapped = mapEvent(event);

    // Assert
    expect(mapped.skipped?.reason).toBe('unresolvable');
    expect(mapped.cause?.eventName).toBe('PutBucketAcl');
  });

  it('strips API-version suffixes to find the event but keeps them in the cause', () => {
    // Arrange
    const event = trail({
      ...BASE,
      eventSource: 'lambda.amazonaws.com',
      eventName: 'UpdateFunctionCode20150331v2',
      requestParameters: { functionName: 'arn:aws:lambda:eu-west-1:111122223333:function:thumbnails' },
    });

    // Act
    const mapped = mapEvent(event);

    // Assert
    expect(mapped.resources).toMatchObject([{ type: 'AWS::Lambda::Function', id: 'thumbnails' }]);
    expect(mapped.cause?.eventName).toBe('UpdateFunctionCode20150331v2');
  });

  it('deduplicates ids and never emits an empty one', () => {
    // Arrange
    const event = trail({
      ...BASE,
      eventName: 'DeleteObjects',
      requestParameters: {
        bucketName: 'media',
        delete: { Object: [{ Key: 'a' }, { Key: 'a' }, { Key: '' }] },
      },
    });

    // Act
    const mapped = mapEvent(event);

    // Assert
    expect(mapped.resources.map((resource) => resource.id)).toEqual(['media/a']);
  });

  it('uses the global region for global types', () => {
    // Arrange
    const globalType: ResourceDefinition = {
      ...(registry[0] as ResourceDefinition),
      type: 'AWS::IAM::Role',
      eventSource: 'iam.amazonaws.com',
      scope: 'global',
      events: { CreateRole: (record) => [String(record.requestParameters?.roleName ?? '')] },
    };
    const event = trail({
      ...BASE,
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreateRole',
      requestParameters: { roleName: 'r' },
    });

    // Act
    const mapped = mapEvent(event, [globalType]);

    // Assert
    expect(mapped.resources).toEqual([
      { account: '111122223333', region: 'global', type: 'AWS::IAM::Role', id: 'r' },
    ]);
  });

  it('finds the region of a record without awsRegion in its resource ARNs or endpoint host, else says so', () => {
    // Arrange
    const { awsRegion: _omitted, ...withoutRegion } = BASE;
    const lambdaCall = {
      ...withoutRegion,
      eventSource: 'lambda.amazonaws.com',
      eventName: 'DeleteFunction20150331',
    };
    const byArn = trail({
      ...lambdaCall,
      requestParameters: { functionName: 'thumbnails' },
      resources: [{ ARN: 'arn:aws:lambda:ap-south-1:111122223333:function:thumbnails' }],
    });
    const byHost = trail({
      ...lambdaCall,
      requestParameters: { functionName: 'thumbnails' },
      tlsDetails: { clientProvidedHostHeader: 'lambda.sa-east-1.amazonaws.com' },
    });
    const nowhere = trail({ ...lambdaCall, requestParameters: { functionName: 'thumbnails' } });

    // Act
    const [fromArn, fromHost, unknown] = mapEvents([byArn, byHost, nowhere]);

    // Assert
    expect(fromArn?.resources.map((resource) => resource.region)).toEqual(['ap-south-1']);
    expect(fromHost?.resources.map((resource) => resource.region)).toEqual(['sa-east-1']);
    expect(unknown?.skipped).toEqual({
      reason: 'unresolvable',
      detail: 'lambda.amazonaws.com DeleteFunction20150331 does not say in which region it changed',
    });
  });

  it('takes the account from the record, the envelope, the identity, the resources, then the default', () => {
    // Arrange
    const record = {
      eventSource: 's3.amazonaws.com',
      awsRegion: 'eu-west-1',
      eventName: 'DeleteBucket',
      requestParameters: { bucketName: 'b' },
    };
    const events = [
      trail(
        { ...record, recipientAccountId: '111111111111', userIdentity: { accountId: '333333333333' } },
        { account: '222222222222' },
      ),
      trail({ ...record, userIdentity: { accountId: '333333333333' } }, { account: '222222222222' }),
      trail({ ...record, userIdentity: { accountId: '333333333333' } }),
      trail({ ...record, resources: [{ accountId: '444444444444' }] }),
      trail(record),
    ];

    // Act
    const accounts = mapEvents(events, registry, { defaultAccount: '555555555555' }).map(
      (mapped) => mapped.resources[0]?.account,
    );
    const withoutDefault = mapEvent(trail(record));

    // Assert
    expect(accounts).toEqual([
      '111111111111',
      '222222222222',
      '333333333333',
      '444444444444',
      '555555555555',
    ]);
    expect(withoutDefault.skipped?.reason).toBe('unresolvable');
  });

  it('maps an S3 notification to the object, with the requester as principal', () => {
    // Arrange
    const event: ChangeEvent = {
      kind: 'notification',
      eventBridgeSource: 'aws.s3',
      detailType: 'Object Created',
      detail: {
        bucket: { name: 'media' },
        object: { key: 'a/b.jpg' },
        reason: 'PutObject',
        requester: '123456789012',
      },
      resources: ['arn:aws:s3:::media'],
      account: '111122223333',
      region: 'ca-central-1',
      time: '2021-11-12T00:00:00Z',
      id: 'n-1',
      source: 'n#0',
    };

    // Act
    const mapped = mapEvent(event);

    // Assert
    expect(mapped).toEqual({
      source: 'n#0',
      resources: [
        { account: '111122223333', region: 'ca-central-1', type: 'AWS::S3::Object', id: 'media/a/b.jpg' },
      ],
      cause: {
        kind: 'event',
        eventId: 'n-1',
        eventName: 'PutObject',
        eventTime: '2021-11-12T00:00:00.000Z',
        principal: '123456789012',
      },
    });
  });

  it('passes on the reason of input that is not an event', () => {
    // Arrange
    const event: ChangeEvent = {
      kind: 'other',
      reason: 'malformed',
      detail: 'line 2: not valid JSON',
      source: 'x#1',
    };

    // Act
    const mapped = mapEvent(event);

    // Assert
    expect(mapped).toEqual({
      source: 'x#1',
      resources: [],
      skipped: { reason: 'malformed', detail: 'line 2: not valid JSON' },
    });
  });

  it('picks the principal from the ARN, else invokedBy, principalId or type', () => {
    // Arrange
    const identities = [
      { type: 'AWSService', invokedBy: 'cloudformation.amazonaws.com' },
      { type: 'AssumedRole', principalId: 'AROA:session' },
      { type: 'Root' },
      {},
    ];

    // Act
    const principals = identities.map(
      (userIdentity) =>
        mapEvent(
          trail({ ...BASE, userIdentity, eventName: 'DeleteBucket', requestParameters: { bucketName: 'b' } }),
        ).cause?.principal,
    );

    // Assert
    expect(principals).toEqual(['cloudformation.amazonaws.com', 'AROA:session', 'Root', undefined]);
  });
});

describe('normaliseEventTime', () => {
  it.each([
    ['2016-06-04T12:19:03Z', '2016-06-04T12:19:03.000Z'],
    ['2024-06-02 20:16:32.000000000', '2024-06-02T20:16:32.000Z'],
    ['2024-06-02T20:16:32.123456+02:00', '2024-06-02T18:16:32.123Z'],
    ['Mar 25, 2014 8:17:37 PM', undefined],
    [42, undefined],
  ])('%s → %s', (input, expected) => {
    // Arrange
    const value: unknown = input;

    // Act
    const time = normaliseEventTime(value);

    // Assert
    expect(time).toBe(expected);
  });
});

describe('coalesce', () => {
  it('keeps one entry per resource with the latest cause and the number of events', () => {
    // Arrange
    const resource = { account: '1', region: 'eu-west-1', type: 'AWS::S3::Bucket', id: 'media' };
    const other = { ...resource, id: 'logs' };
    const mapped: MappedEvent[] = [
      {
        source: 'a#0',
        resources: [resource],
        cause: { kind: 'event', eventName: 'PutBucketTagging', eventTime: '2024-05-01T10:00:02.000Z' },
      },
      {
        source: 'a#1',
        resources: [resource, other],
        cause: { kind: 'event', eventName: 'PutBucketPolicy', eventTime: '2024-05-01T10:00:05.000Z' },
      },
      {
        source: 'a#2',
        resources: [resource],
        cause: { kind: 'event', eventName: 'PutBucketAcl', eventTime: '2024-05-01T10:00:01.000Z' },
      },
      { source: 'a#3', resources: [], skipped: { reason: 'read-only', detail: 'x' } },
    ];

    // Act
    const changes = coalesce(mapped);

    // Assert
    expect(changes).toEqual([
      {
        resource,
        cause: {
          kind: 'event',
          eventName: 'PutBucketPolicy',
          eventTime: '2024-05-01T10:00:05.000Z',
          coalesced: 3,
        },
      },
      {
        resource: other,
        cause: {
          kind: 'event',
          eventName: 'PutBucketPolicy',
          eventTime: '2024-05-01T10:00:05.000Z',
          coalesced: 1,
        },
      },
    ]);
  });
});
