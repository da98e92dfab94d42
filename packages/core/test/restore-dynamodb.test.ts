import { Readable } from 'node:stream';
import { type AttributeValue, DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { AwsClients } from '../src/aws/clients.js';
import { StoreError } from '../src/errors.js';
import { dynamoDbTable } from '../src/resources/dynamodb-table.js';
import { restoreUserAgent } from '../src/restore/apply.js';
import type { PlanInput, RestoreContext } from '../src/restore/types.js';
import { restoreRig } from './support/restore-rig.js';

type Item = Record<string, AttributeValue>;

const TYPE = 'AWS::DynamoDB::Table';

/** An item with its string sets in sorted order, to compare items as DynamoDB does (sets have no order). */
function unordered(item: Item | undefined): Item | undefined {
  if (!item) return item;
  return Object.fromEntries(
    Object.entries(item).map(([name, value]) => [name, value.SS ? { SS: [...value.SS].sort() } : value]),
  );
}

describe('DynamoDB table restore plans', () => {
  const ref = { account: '123456789012', region: 'us-east-1', type: TYPE, id: 'bookings' };
  const items = (Count: number, Chunks: number) => ({
    Format: 'dynamodb-json-lines',
    Key: ['bookingId'],
    Chunks,
    Count,
    Bytes: 4096,
  });
  const table = (billing: string) => ({
    TableName: 'bookings',
    BillingModeSummary: { BillingMode: billing },
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  });
  const plan = (input: Partial<PlanInput>) =>
    dynamoDbTable.restore?.plan({ resource: ref, target: ref, prune: false, ...input });

  it('writes back each chunk whose hash differs, and notes the settings and the items it keeps', () => {
    // Act
    const planned = plan({
      captured: {
        document: {
          Table: table('PAY_PER_REQUEST'),
          TimeToLive: { TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' },
          Items: items(3, 2),
        },
        blobs: { 'items/0000': 'a0', 'items/0001': 'b0' },
      },
      live: {
        document: {
          Table: table('PROVISIONED'),
          TimeToLive: { TimeToLiveStatus: 'DISABLED' },
          Items: items(4, 2),
        },
        blobs: { 'items/0000': 'a0', 'items/0001': 'b1' },
      },
    });

    // Assert
    expect(planned).toEqual({
      action: 'update',
      steps: [
        {
          service: 'dynamodb',
          operation: 'RestoreItems',
          region: 'us-east-1',
          input: {
            TableName: 'bookings',
            Key: ['bookingId'],
            Chunks: 2,
            Chunk: 1,
            Items: { $blob: 'b0' },
            LiveChunks: ['b1'],
            Prune: false,
          },
          summary: 'make the items of items/0001 (of 2) as they were: put those missing or changed',
        },
      ],
      notes: [
        'billing mode differs: not restored; set it as it was with UpdateTable (BillingMode)',
        'time to live differs: not restored; set it as it was with UpdateTimeToLive',
        'items created since are kept (--prune deletes them): the table holds 4 items now, 3 at the moment restored to',
      ],
    });
  });

  it('with prune, also empties a chunk the table did not hold, when the live chunks are counted differently', () => {
    // Act
    const planned = plan({
      prune: true,
      captured: {
        document: { Table: table('PAY_PER_REQUEST'), Items: items(2, 2) },
        blobs: { 'items/0000': 'a0' },
      },
      live: {
        document: { Table: table('PAY_PER_REQUEST'), Items: items(5, 4) },
        blobs: { 'items/0000': 'x0', 'items/0003': 'x3' },
      },
    });

    // Assert
    expect(planned?.action).toBe('update');
    expect(planned?.notes).toBeUndefined();
    expect(planned?.steps.map((step) => step.input)).toEqual([
      {
        TableName: 'bookings',
        Key: ['bookingId'],
        Chunks: 2,
        Chunk: 0,
        Items: { $blob: 'a0' },
        LiveChunks: ['x0'],
        Prune: true,
      },
      {
        TableName: 'bookings',
        Key: ['bookingId'],
        Chunks: 2,
        Chunk: 1,
        Items: null,
        LiveChunks: ['x3'],
        Prune: true,
      },
    ]);
  });

  it('cannot write back items that were exported natively, and says where they are', () => {
    // Act
    const planned = plan({
      captured: {
        document: {
          Table: table('PAY_PER_REQUEST'),
          Items: {
            Format: 'dynamodb-export',
            ExportArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/bookings/export/01',
            S3Bucket: 'exports',
            S3Prefix: 'tidemark/bookings',
          },
        },
        blobs: {},
      },
      live: {
        document: { Table: table('PAY_PER_REQUEST'), Items: items(5, 1) },
        blobs: { 'items/0000': 'x0' },
      },
    });

    // Assert
    expect(planned).toEqual({
      action: 'cannot',
      reason:
        'its items at that moment are a native export (arn:aws:dynamodb:us-east-1:123456789012:table/bookings/export/01, in s3://exports/tidemark/bookings): import them into a new table with ImportTable',
      steps: [],
    });
  });

  it('does not create a deleted table again', () => {
    // Act
    const planned = plan({
      captured: { document: { Table: table('PAY_PER_REQUEST'), Items: items(1, 1) }, blobs: {} },
    });

    // Assert
    expect(planned).toMatchObject({ action: 'cannot', steps: [] });
    expect(planned?.reason).toContain('CreateTable, or RestoreTableToPointInTime');
  });
});

describe('DynamoDB table restore against the simulated account', () => {
  const rig = restoreRig({ definitions: [dynamoDbTable] });
  let kept: Item;
  let deleted: Item;
  const dynamo = new DynamoDBClient({ region: 'us-east-1' });
  const added: Item = { bookingId: { S: 'BK-ADDED-1' }, guests: { N: '2' }, status: { S: 'pending' } };

  beforeEach(async () => {
    const { Items = [] } = await dynamo.send(new ScanCommand({ TableName: 'bookings', Limit: 2 }));
    [kept, deleted] = Items as [Item, Item];
  });

  const bookings = () => ({
    account: rig.account.accountId,
    region: 'us-east-1',
    type: TYPE,
    id: 'bookings',
  });
  const booking = async (item: Item) =>
    unordered(
      (
        await dynamo.send(
          new GetItemCommand({ TableName: 'bookings', Key: { bookingId: item.bookingId as AttributeValue } }),
        )
      ).Item,
    );
  const changeItems = () => {
    rig.account.dynamoDb.putItem('bookings', { ...kept, guests: { N: '99' } });
    rig.account.dynamoDb.deleteItem('bookings', { bookingId: deleted.bookingId as AttributeValue });
    rig.account.dynamoDb.putItem('bookings', added);
  };

  it('with prune, puts back changed and deleted items and deletes the one added, through throttling', async () => {
    // Arrange
    changeItems();
    rig.account.dynamoDb.throttleItemWrites('bookings', 3, 1);

    // Act
    const plan = await rig.plan({ resources: [bookings()], prune: true });
    const writesBefore = rig.account.callCounts().BatchWriteItem ?? 0;
    const report = await rig.apply(plan);
    const writes = (rig.account.callCounts().BatchWriteItem ?? 0) - writesBefore;
    const again = await rig.plan({ resources: [bookings()], prune: true });

    // Assert
    expect(plan.resources[0]?.action).toBe('update');
    expect(new Set(plan.resources[0]?.steps.map((step) => step.operation))).toEqual(
      new Set(['RestoreItems']),
    );
    expect(report.resources.map((outcome) => outcome.status)).toEqual(['restored']);
    // Three writes (two puts, a delete), each call taking one: the unprocessed ones were sent again.
    expect(writes).toBe(3);
    expect(await booking(kept)).toEqual(unordered(kept));
    expect(await booking(deleted)).toEqual(unordered(deleted));
    expect(await booking(added)).toBeUndefined();
    expect(again.resources.map((resource) => resource.action)).toEqual(['nothing']);
  });

  it('without prune, keeps the item added since and says so', async () => {
    // Arrange
    changeItems();

    // Act
    const plan = await rig.plan({ resources: [bookings()] });
    const report = await rig.apply(plan, 'r2');

    // Assert
    expect(plan.resources[0]?.notes).toEqual([
      'items created since are kept (--prune deletes them): the table holds 2000 items now, 2000 at the moment restored to',
    ]);
    expect(report.resources[0]?.status).toBe('restored-with-differences');
    expect(await booking(kept)).toEqual(unordered(kept));
    expect(await booking(deleted)).toEqual(unordered(deleted));
    expect(await booking(added)).toEqual(unordered(added));
  });

  it('notes a changed setting and sends nothing for it', async () => {
    // Arrange
    rig.account.dynamoDb.updateTimeToLive('bookings', 'expiresAt', false);

    // Act
    const plan = await rig.plan({ resources: [bookings()] });

    // Assert
    expect(plan.resources[0]).toMatchObject({
      action: 'nothing',
      steps: [],
      notes: ['time to live differs: not restored; set it as it was with UpdateTimeToLive'],
    });
  });

  it('scans the table for its live items when the live chunks are not in the store', async () => {
    // Arrange
    changeItems();
    const plan = await rig.plan({ resources: [bookings()], prune: true });
    const steps = plan.resources[0]?.steps ?? [];
    const captured = new Set(steps.map((step) => (step.input.Items as { $blob: string }).$blob));
    const sdk = new AwsClients({ userAgent: restoreUserAgent('r3') });
    const context: RestoreContext = {
      client: (service, region) => sdk.client(service.client, region),
      limited: (_service, call) => call(),
      blob: async (hash) => {
        if (!captured.has(hash)) throw new StoreError(`blob ${hash} is missing`);
        return Readable.from([
          await rig.store
            .readBlob(hash)
            .then((stream) => stream.toArray())
            .then(Buffer.concat),
        ]);
      },
      resolve: async (value) => value,
    };

    const scansBefore = rig.account.callCounts().Scan ?? 0;

    // Act
    for (const step of steps) await dynamoDbTable.restore?.apply?.(context, step);

    // Assert
    expect(await booking(kept)).toEqual(unordered(kept));
    expect(await booking(deleted)).toEqual(unordered(deleted));
    expect(await booking(added)).toBeUndefined();
    // The live chunk was not in the store: the apply read the table itself.
    expect((rig.account.callCounts().Scan ?? 0) - scansBefore).toBeGreaterThan(0);
  });
});
