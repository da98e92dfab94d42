import {
  ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
} from '@aws-sdk/client-application-auto-scaling';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  type AttributeValue,
  BatchGetItemCommand,
  DescribeContinuousBackupsCommand,
  DescribeExportCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ExportTableToPointInTimeCommand,
  GetItemCommand,
  GetResourcePolicyCommand,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  ScanCommand,
  type ScanCommandInput,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventBridgeApiCallEnvelope, SimulatedAccount } from '../src/index.js';
import { failure } from './support/failure.js';

const REGION = 'us-east-1';
const BOOKINGS_ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/bookings';

type Item = Record<string, AttributeValue>;

/** Every page of a scan, following `LastEvaluatedKey`. */
async function scanPages(client: DynamoDBClient, input: ScanCommandInput) {
  const pages = [];
  let start: Item | undefined;
  do {
    const page = await client.send(new ScanCommand({ ...input, ExclusiveStartKey: start }));
    pages.push(page);
    start = page.LastEvaluatedKey;
  } while (start);
  return pages;
}

async function scanIds(client: DynamoDBClient, input: ScanCommandInput): Promise<string[]> {
  const pages = await scanPages(client, input);
  return pages.flatMap((page) => (page.Items ?? []).map((item) => item.bookingId?.S ?? ''));
}

describe('simulated DynamoDB', () => {
  let account: SimulatedAccount;
  const clock = new Date('2026-12-05T10:00:00.000Z');
  const dynamo = new DynamoDBClient({ region: REGION, maxAttempts: 1 });
  const autoScaling = new ApplicationAutoScalingClient({ region: REGION });

  beforeAll(async () => {
    account = await SimulatedAccount.start({ now: () => clock, scale: { tables: 2 } });
  });

  afterAll(async () => {
    await account.stop();
  });

  describe('tables', () => {
    it('lists the tables of the region by name, 100 at most per page', async () => {
      const all = await dynamo.send(new ListTablesCommand({}));
      const first = await dynamo.send(new ListTablesCommand({ Limit: 2 }));
      const rest = await dynamo.send(new ListTablesCommand({ ExclusiveStartTableName: 'events' }));

      expect(all.TableNames).toEqual(['bookings', 'events', 'table-0001', 'table-0002', 'users']);
      expect(all.LastEvaluatedTableName).toBeUndefined();
      expect(first).toMatchObject({ TableNames: ['bookings', 'events'], LastEvaluatedTableName: 'events' });
      expect(rest.TableNames).toEqual(['table-0001', 'table-0002', 'users']);
      expect((await failure(dynamo.send(new ListTablesCommand({ Limit: 101 })))).name).toBe(
        'ValidationException',
      );
      const west = await new DynamoDBClient({ region: 'us-west-2' }).send(new ListTablesCommand({}));
      expect(west.TableNames).toEqual([]);
    });

    it('describes the bookings table in full', async () => {
      const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: 'bookings' }));

      expect(Table).toMatchObject({
        TableName: 'bookings',
        TableArn: BOOKINGS_ARN,
        TableStatus: 'ACTIVE',
        KeySchema: [{ AttributeName: 'bookingId', KeyType: 'HASH' }],
        AttributeDefinitions: [
          { AttributeName: 'bookingId', AttributeType: 'S' },
          { AttributeName: 'charterDate', AttributeType: 'S' },
        ],
        ItemCount: 2000,
        BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
        ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byDate',
            IndexStatus: 'ACTIVE',
            KeySchema: [
              { AttributeName: 'charterDate', KeyType: 'HASH' },
              { AttributeName: 'bookingId', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
            ItemCount: 2000,
            IndexArn: `${BOOKINGS_ARN}/index/byDate`,
          },
        ],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
        LatestStreamLabel: '2024-03-14T09:21:07.412',
        LatestStreamArn: `${BOOKINGS_ARN}/stream/2024-03-14T09:21:07.412`,
        SSEDescription: { Status: 'ENABLED', SSEType: 'KMS' },
        TableClassSummary: { TableClass: 'STANDARD' },
        DeletionProtectionEnabled: true,
        OnDemandThroughput: { MaxReadRequestUnits: 4000, MaxWriteRequestUnits: 1000 },
      });
      expect(Table?.CreationDateTime).toEqual(new Date('2024-03-14T09:21:07Z'));
      expect(Table?.SSEDescription?.KMSMasterKeyArn).toMatch(
        /^arn:aws:kms:us-east-1:123456789012:key\/[0-9a-f-]{36}$/,
      );
      expect(Table?.TableSizeBytes).toBeGreaterThan(2000 * 300);
      expect(Table?.TableSizeBytes).toBeLessThan(2000 * 1100);
    });

    it('describes provisioned capacity, a local index and a missing table', async () => {
      const users = (await dynamo.send(new DescribeTableCommand({ TableName: 'users' }))).Table;
      const events = (await dynamo.send(new DescribeTableCommand({ TableName: 'events' }))).Table;
      const missing = await failure(dynamo.send(new DescribeTableCommand({ TableName: 'orders' })));

      expect(users).toMatchObject({
        BillingModeSummary: { BillingMode: 'PROVISIONED' },
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5, NumberOfDecreasesToday: 0 },
        GlobalSecondaryIndexes: [
          { IndexName: 'byEmail', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } },
        ],
        ItemCount: 1000,
      });
      expect(users?.SSEDescription).toBeUndefined();
      expect(events).toMatchObject({
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        LocalSecondaryIndexes: [
          {
            IndexName: 'byType',
            KeySchema: [
              { AttributeName: 'pk', KeyType: 'HASH' },
              { AttributeName: 'eventType', KeyType: 'RANGE' },
            ],
          },
        ],
        ItemCount: 500,
      });
      expect(missing.name).toBe('ResourceNotFoundException');
      expect(missing.$metadata.httpStatusCode).toBe(400);
    });

    it('answers time to live, continuous backups, tags and the resource policy', async () => {
      const ttl = await dynamo.send(new DescribeTimeToLiveCommand({ TableName: 'bookings' }));
      const noTtl = await dynamo.send(new DescribeTimeToLiveCommand({ TableName: 'events' }));
      const backups = await dynamo.send(new DescribeContinuousBackupsCommand({ TableName: 'bookings' }));
      const noPitr = await dynamo.send(new DescribeContinuousBackupsCommand({ TableName: 'events' }));
      const tags = await dynamo.send(new ListTagsOfResourceCommand({ ResourceArn: BOOKINGS_ARN }));
      const policy = await dynamo.send(new GetResourcePolicyCommand({ ResourceArn: BOOKINGS_ARN }));
      const noPolicy = await failure(
        dynamo.send(
          new GetResourcePolicyCommand({
            ResourceArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/users',
          }),
        ),
      );
      const backupsMissing = await failure(
        dynamo.send(new DescribeContinuousBackupsCommand({ TableName: 'orders' })),
      );

      expect(ttl.TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
      expect(noTtl.TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'DISABLED' });
      expect(backups.ContinuousBackupsDescription).toMatchObject({
        ContinuousBackupsStatus: 'ENABLED',
        PointInTimeRecoveryDescription: {
          PointInTimeRecoveryStatus: 'ENABLED',
          RecoveryPeriodInDays: 35,
          EarliestRestorableDateTime: new Date('2026-10-31T10:00:00Z'),
        },
      });
      expect(noPitr.ContinuousBackupsDescription?.PointInTimeRecoveryDescription).toEqual({
        PointInTimeRecoveryStatus: 'DISABLED',
      });
      expect(tags.Tags).toEqual([
        { Key: 'backup', Value: 'daily' },
        { Key: 'owner', Value: 'bookings-team' },
        { Key: 'site', Value: 'sailjada.com' },
      ]);
      expect(JSON.parse(policy.Policy ?? '{}').Statement[0]).toMatchObject({
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::123456789012:role/booking-handler-role' },
        Resource: BOOKINGS_ARN,
      });
      expect(noPolicy.name).toBe('PolicyNotFoundException');
      expect(backupsMissing.name).toBe('TableNotFoundException');
    });
  });

  describe('Application Auto Scaling', () => {
    it('describes the read and write targets of users and its index, and their policies page by page', async () => {
      const table = await autoScaling.send(
        new DescribeScalableTargetsCommand({ ServiceNamespace: 'dynamodb', ResourceIds: ['table/users'] }),
      );
      const all = await autoScaling.send(
        new DescribeScalableTargetsCommand({ ServiceNamespace: 'dynamodb' }),
      );
      const first = await autoScaling.send(
        new DescribeScalingPoliciesCommand({ ServiceNamespace: 'dynamodb', MaxResults: 3 }),
      );
      const second = await autoScaling.send(
        new DescribeScalingPoliciesCommand({
          ServiceNamespace: 'dynamodb',
          MaxResults: 3,
          NextToken: first.NextToken,
        }),
      );

      expect(table.ScalableTargets?.map((target) => target.ScalableDimension)).toEqual([
        'dynamodb:table:ReadCapacityUnits',
        'dynamodb:table:WriteCapacityUnits',
      ]);
      expect(table.ScalableTargets?.[0]).toMatchObject({
        ResourceId: 'table/users',
        MinCapacity: 5,
        MaxCapacity: 50,
      });
      expect(all.ScalableTargets?.map((target) => target.ResourceId)).toEqual([
        'table/users',
        'table/users',
        'table/users/index/byEmail',
        'table/users/index/byEmail',
      ]);
      expect(first.ScalingPolicies).toHaveLength(3);
      expect(second.ScalingPolicies).toHaveLength(1);
      expect(second.NextToken).toBeUndefined();
      expect(first.ScalingPolicies?.[0]).toMatchObject({
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: { TargetValue: 70 },
      });
    });
  });

  describe('Scan', () => {
    it('returns each item exactly once across 4 parallel segments, in the same order on every scan', async () => {
      const segments = [0, 1, 2, 3];

      const first = await Promise.all(
        segments.map((Segment) => scanIds(dynamo, { TableName: 'bookings', Segment, TotalSegments: 4 })),
      );
      const second = await Promise.all(
        segments.map((Segment) => scanIds(dynamo, { TableName: 'bookings', Segment, TotalSegments: 4 })),
      );

      const ids = first.flat();
      expect(ids).toHaveLength(2000);
      expect(new Set(ids).size).toBe(2000);
      expect(ids).toContain('BK-0000001');
      expect(ids).toContain('BK-0002000');
      expect(second).toEqual(first);
      for (const segment of first) expect(segment.length).toBeGreaterThan(350);
    });

    it('cuts pages at 1 MB and continues after LastEvaluatedKey', async () => {
      const pages = await scanPages(dynamo, { TableName: 'bookings' });

      // 2,000 items of 300 to 1,100 bytes make about 1.4 MB: two pages.
      expect(pages).toHaveLength(2);
      const [first, second] = pages;
      const lastOfFirst = first?.Items?.at(-1);
      expect(first?.LastEvaluatedKey).toEqual({ bookingId: lastOfFirst?.bookingId });
      expect(first?.Count).toBeGreaterThan(1000);
      expect(first?.Count).toBeLessThan(2000);
      expect((first?.Count ?? 0) + (second?.Count ?? 0)).toBe(2000);
      expect(second?.LastEvaluatedKey).toBeUndefined();
    });

    it('carries LastEvaluatedKey on a last page cut by Limit, then answers an empty page', async () => {
      const pages = await scanPages(dynamo, { TableName: 'table-0001', Limit: 3 });

      expect(pages.map((page) => page.Count)).toEqual([3, 0]);
      expect(pages[0]?.LastEvaluatedKey).toEqual({ bookingId: pages[0]?.Items?.[2]?.bookingId });
      expect(pages[1]?.Items).toEqual([]);
      expect(pages[1]?.LastEvaluatedKey).toBeUndefined();
    });

    it('answers items in their DynamoDB shapes, and counts with Select COUNT', async () => {
      const counted = await dynamo.send(new ScanCommand({ TableName: 'users', Select: 'COUNT' }));
      const { Item } = await dynamo.send(
        new GetItemCommand({ TableName: 'bookings', Key: { bookingId: { S: 'BK-0000042' } } }),
      );

      expect(counted).toMatchObject({ Count: 1000, ScannedCount: 1000 });
      expect(counted.Items).toBeUndefined();
      expect(Object.keys(Item ?? {})).toEqual(
        expect.arrayContaining([
          'bookingId',
          'charterDate',
          'customer',
          'guests',
          'status',
          'priceCents',
          'paid',
          'notes',
        ]),
      );
      expect(Item?.customer?.M?.email?.S).toMatch(/@example\.com$/);
      expect(Item?.guests?.N).toMatch(/^\d+$/);
      expect(typeof Item?.paid?.BOOL).toBe('boolean');
      if (Item?.receipt) expect(Item.receipt.B).toBeInstanceOf(Uint8Array);
    });

    it('refuses a start key outside its segment, and a bad segment', async () => {
      const segmentZero = await dynamo.send(
        new ScanCommand({ TableName: 'bookings', Segment: 0, TotalSegments: 4, Limit: 1 }),
      );

      const outside = await failure(
        dynamo.send(
          new ScanCommand({
            TableName: 'bookings',
            Segment: 3,
            TotalSegments: 4,
            ExclusiveStartKey: segmentZero?.LastEvaluatedKey,
          }),
        ),
      );
      const badSegment = await failure(
        dynamo.send(new ScanCommand({ TableName: 'bookings', Segment: 4, TotalSegments: 4 })),
      );

      expect(outside.name).toBe('ValidationException');
      expect(badSegment.name).toBe('ValidationException');
    });

    it('denies a Scan of one table only, and throttles with ProvisionedThroughputExceededException', async () => {
      account.deny('dynamodb:Scan', 'events');
      const denied = await failure(dynamo.send(new ScanCommand({ TableName: 'events' })));
      const allowed = await dynamo.send(new ScanCommand({ TableName: 'users', Limit: 1 }));
      account.throttle('dynamodb:Scan', 1);
      const throttled = await failure(dynamo.send(new ScanCommand({ TableName: 'users', Limit: 1 })));

      expect(denied.name).toBe('AccessDeniedException');
      expect(denied.message).toContain(
        'dynamodb:Scan on resource: arn:aws:dynamodb:us-east-1:123456789012:table/events',
      );
      expect(allowed.Count).toBe(1);
      expect(throttled.name).toBe('ProvisionedThroughputExceededException');
      expect(throttled.$metadata.httpStatusCode).toBe(400);
    });
  });

  describe('items and their changes', () => {
    it('shows a put item to the next scan and GetItem, and returns the PutItem data event', async () => {
      const item = {
        bookingId: { S: 'BK-9000001' },
        charterDate: { S: '2027-02-14' },
        guests: { N: '6' },
        customer: { M: { name: { S: 'Rosa Marin' }, email: { S: 'rosa.marin@example.com' } } },
      };

      const events = account.dynamoDb.putItem('bookings', item) as EventBridgeApiCallEnvelope[];

      const { Item } = await dynamo.send(
        new GetItemCommand({ TableName: 'bookings', Key: { bookingId: { S: 'BK-9000001' } } }),
      );
      const ids = await scanIds(dynamo, { TableName: 'bookings' });
      expect(Item).toEqual(item);
      expect(ids).toHaveLength(2001);
      expect(ids).toContain('BK-9000001');
      expect(events).toHaveLength(1);
      expect(events[0]?.detail).toMatchObject({
        eventSource: 'dynamodb.amazonaws.com',
        eventName: 'PutItem',
        awsRegion: 'us-east-1',
        readOnly: false,
        eventType: 'AwsApiCall',
        managementEvent: false,
        eventCategory: 'Data',
        recipientAccountId: '123456789012',
        requestParameters: {
          tableName: 'bookings',
          key: { bookingId: 'BK-9000001' },
          item: ['bookingId', 'charterDate', 'guests', 'customer'],
        },
        responseElements: null,
        resources: [{ accountId: '123456789012', type: 'AWS::DynamoDB::Table', ARN: BOOKINGS_ARN }],
      });
    });

    it('leaves data events out of CloudTrail event history, and keeps management events in it', async () => {
      account.dynamoDb.putItem('users', { userId: { S: 'u-900001' }, email: { S: 'crew@sailjada.com' } });
      account.dynamoDb.updateTable('users', { provisionedThroughput: { read: 10, write: 5 } });

      const history = await new CloudTrailClient({ region: REGION }).send(
        new LookupEventsCommand({
          LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'dynamodb.amazonaws.com' }],
        }),
      );
      const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: 'users' }));

      expect(history.Events?.map((event) => event.EventName)).toEqual(['UpdateTable']);
      const record = JSON.parse(history.Events?.[0]?.CloudTrailEvent ?? '{}');
      expect(record.requestParameters).toEqual({
        tableName: 'users',
        provisionedThroughput: { readCapacityUnits: 10, writeCapacityUnits: 5 },
      });
      expect(record.responseElements.tableDescription).toMatchObject({
        tableName: 'users',
        tableStatus: 'UPDATING',
        provisionedThroughput: {
          readCapacityUnits: 10,
          writeCapacityUnits: 5,
          lastIncreaseDateTime: 'Dec 5, 2026 10:00:00 AM',
        },
      });
      expect(Table?.ProvisionedThroughput).toMatchObject({
        ReadCapacityUnits: 10,
        WriteCapacityUnits: 5,
        LastIncreaseDateTime: clock,
      });
      expect(Table?.ItemCount).toBe(1001);
    });

    it('deletes a generated item: GetItem finds nothing and BatchGetItem answers the others', async () => {
      const events = account.dynamoDb.deleteItem('bookings', { bookingId: { S: 'BK-0000007' } });

      const { Item } = await dynamo.send(
        new GetItemCommand({ TableName: 'bookings', Key: { bookingId: { S: 'BK-0000007' } } }),
      );
      const batch = await dynamo.send(
        new BatchGetItemCommand({
          RequestItems: {
            bookings: {
              Keys: [
                { bookingId: { S: 'BK-0000007' } },
                { bookingId: { S: 'BK-0000008' } },
                { bookingId: { S: 'BK-9000001' } },
              ],
            },
          },
        }),
      );
      const ids = await scanIds(dynamo, { TableName: 'bookings' });

      expect(Item).toBeUndefined();
      expect(batch.Responses?.bookings?.map((item) => item.bookingId?.S).sort()).toEqual([
        'BK-0000008',
        'BK-9000001',
      ]);
      expect(batch.UnprocessedKeys).toEqual({});
      expect(ids).toHaveLength(2000);
      expect(ids).not.toContain('BK-0000007');
      expect((events[0] as EventBridgeApiCallEnvelope).detail).toMatchObject({
        eventName: 'DeleteItem',
        eventCategory: 'Data',
        requestParameters: { tableName: 'bookings', key: { bookingId: 'BK-0000007' } },
      });
    });

    it('refuses more than 100 keys in a BatchGetItem and a key that does not match the schema', async () => {
      const keys = Array.from({ length: 101 }, (_, i) => ({
        bookingId: { S: `BK-${String(i + 1).padStart(7, '0')}` },
      }));

      const tooMany = await failure(
        dynamo.send(new BatchGetItemCommand({ RequestItems: { bookings: { Keys: keys } } })),
      );
      const badKey = await failure(
        dynamo.send(new GetItemCommand({ TableName: 'events', Key: { pk: { S: 'BOOKING#BK-0000001' } } })),
      );

      expect(tooMany.name).toBe('ValidationException');
      expect(badKey.name).toBe('ValidationException');
    });

    it('changes time to live', async () => {
      const [event] = account.dynamoDb.updateTimeToLive(
        'events',
        'expiresAt',
        true,
      ) as EventBridgeApiCallEnvelope[];

      const ttl = await dynamo.send(new DescribeTimeToLiveCommand({ TableName: 'events' }));

      expect(ttl.TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
      expect(event?.detail).toMatchObject({
        eventName: 'UpdateTimeToLive',
        managementEvent: true,
        requestParameters: {
          tableName: 'events',
          timeToLiveSpecification: { enabled: true, attributeName: 'expiresAt' },
        },
      });
    });
  });

  describe('exports', () => {
    it('refuses an export without point-in-time recovery', async () => {
      const error = await failure(
        dynamo.send(
          new ExportTableToPointInTimeCommand({
            TableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/events',
            S3Bucket: 'sailjada-media',
          }),
        ),
      );

      expect(error.name).toBe('PointInTimeRecoveryUnavailableException');
      expect(error.$metadata.httpStatusCode).toBe(400);
    });

    it('starts an export in progress and describes it completed', async () => {
      const started = await dynamo.send(
        new ExportTableToPointInTimeCommand({
          TableArn: BOOKINGS_ARN,
          S3Bucket: 'sailjada-media',
          S3Prefix: 'exports',
        }),
      );
      const described = await dynamo.send(
        new DescribeExportCommand({ ExportArn: started.ExportDescription?.ExportArn }),
      );

      expect(started.ExportDescription).toMatchObject({
        ExportStatus: 'IN_PROGRESS',
        S3Bucket: 'sailjada-media',
        S3Prefix: 'exports',
        ExportFormat: 'DYNAMODB_JSON',
        TableArn: BOOKINGS_ARN,
      });
      expect(started.ExportDescription?.ExportArn).toMatch(
        /^arn:aws:dynamodb:us-east-1:123456789012:table\/bookings\/export\/\d{13}-[0-9a-f]{8}$/,
      );
      expect(described.ExportDescription).toMatchObject({ ExportStatus: 'COMPLETED', ItemCount: 2000 });
      expect(described.ExportDescription?.ExportManifest).toMatch(
        /^exports\/AWSDynamoDB\/\d{13}-[0-9a-f]{8}\/manifest-summary\.json$/,
      );
    });
  });
});

describe('simulated DynamoDB at scale', () => {
  const ITEMS = 200_000;
  let account: SimulatedAccount;

  beforeAll(async () => {
    account = await SimulatedAccount.start({ scale: { largeTableItems: ITEMS } });
  });

  afterAll(async () => {
    await account.stop();
  });

  it('scans 200,000 items of 1 KiB in pages of 1 MB, in bounded memory', async () => {
    const dynamo = new DynamoDBClient({ region: REGION });
    const before = process.memoryUsage().rss;
    let peak = before;
    const started = performance.now();

    let count = 0;
    let pages = 0;
    let start: Item | undefined;
    do {
      const page = await dynamo.send(
        new ScanCommand({ TableName: 'booking-archive', ExclusiveStartKey: start }),
      );
      count += page.Count ?? 0;
      pages++;
      start = page.LastEvaluatedKey;
      peak = Math.max(peak, process.memoryUsage().rss);
    } while (start);
    const seconds = (performance.now() - started) / 1000;

    // About 1,020 items of 1 KiB fill a 1 MB page.
    expect(count).toBe(ITEMS);
    expect(pages).toBeGreaterThanOrEqual(195);
    expect(pages).toBeLessThanOrEqual(200);
    expect(peak - before).toBeLessThan(200 * 1024 * 1024);
    expect(seconds).toBeLessThan(60);
    console.info(
      `booking-archive: ${ITEMS} items in ${pages} pages, ${seconds.toFixed(1)} s (${Math.round(ITEMS / seconds)} items/s), RSS +${Math.round((peak - before) / 1048576)} MB`,
    );
  });
});
