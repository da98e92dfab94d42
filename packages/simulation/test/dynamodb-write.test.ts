import {
  type AttributeValue,
  BatchWriteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedAccount } from '../src/index.js';
import { failure } from './support/failure.js';
import { cloudTrailRecordsSince } from './support/trail.js';

type Item = Record<string, AttributeValue>;

let account: SimulatedAccount;
let dynamo: DynamoDBClient;

beforeEach(async () => {
  account = await SimulatedAccount.start();
  dynamo = new DynamoDBClient({ region: 'us-east-1', maxAttempts: 1, customUserAgent: 'tidemark/1' });
});

afterEach(async () => {
  await account.stop();
});

function booking(id: string, guests: number): Item {
  return { bookingId: { S: id }, guests: { N: String(guests) }, status: { S: 'confirmed' } };
}

const put = (item: Item): WriteRequest => ({ PutRequest: { Item: item } });
const remove = (id: string): WriteRequest => ({ DeleteRequest: { Key: { bookingId: { S: id } } } });

function writeBookings(...requests: WriteRequest[]) {
  return dynamo.send(new BatchWriteItemCommand({ RequestItems: { bookings: requests } }));
}

async function bookingOf(id: string): Promise<Item | undefined> {
  const { Item } = await dynamo.send(
    new GetItemCommand({ TableName: 'bookings', Key: { bookingId: { S: id } }, ConsistentRead: true }),
  );
  return Item;
}

async function itemCount(): Promise<number | undefined> {
  return (await dynamo.send(new DescribeTableCommand({ TableName: 'bookings' }))).Table?.ItemCount;
}

describe('simulated DynamoDB BatchWriteItem', () => {
  it('puts and deletes items, answering an empty UnprocessedItems', async () => {
    // Arrange
    await writeBookings(put(booking('BK-T-1', 2)), put(booking('BK-T-2', 3)));

    // Act
    const output = await writeBookings(
      put(booking('BK-T-1', 6)),
      remove('BK-T-2'),
      put(booking('BK-T-3', 4)),
    );

    // Assert
    expect(output.UnprocessedItems).toEqual({});
    expect(await bookingOf('BK-T-1')).toEqual(booking('BK-T-1', 6));
    expect(await bookingOf('BK-T-2')).toBeUndefined();
    expect(await bookingOf('BK-T-3')).toEqual(booking('BK-T-3', 4));
    expect(await itemCount()).toBe(2002);
  });

  it('returns what a throttled table could not take in UnprocessedItems, written when sent again', async () => {
    // Arrange
    account.dynamoDb.throttleItemWrites('bookings', 1, 2);
    const requests = [1, 2, 3, 4, 5].map((n) => put(booking(`BK-U-${n}`, n)));

    // Act
    const first = await writeBookings(...requests);
    const written = await Promise.all([1, 2, 3].map((n) => bookingOf(`BK-U-${n}`)));
    const second = await dynamo.send(new BatchWriteItemCommand({ RequestItems: first.UnprocessedItems }));

    // Assert
    expect(first.UnprocessedItems).toEqual({ bookings: requests.slice(2) });
    expect(written).toEqual([booking('BK-U-1', 1), booking('BK-U-2', 2), undefined]);
    expect(second.UnprocessedItems).toEqual({});
    expect(await bookingOf('BK-U-5')).toEqual(booking('BK-U-5', 5));
  });

  it('answers ProvisionedThroughputExceededException when the table can take none of the batch', async () => {
    // Arrange
    account.dynamoDb.throttleItemWrites('bookings', 1, 0);

    // Act
    const error = await failure(writeBookings(put(booking('BK-V-1', 2))));

    // Assert
    expect(error).toMatchObject({
      name: 'ProvisionedThroughputExceededException',
      $metadata: { httpStatusCode: 400 },
    });
    expect(await bookingOf('BK-V-1')).toBeUndefined();
  });

  it('refuses a whole batch with more than 25 requests, a key missing, a duplicate key or an unknown table', async () => {
    // Arrange
    const many = Array.from({ length: 26 }, (_, n) => put(booking(`BK-W-${n}`, 2)));

    // Act
    const errors = await Promise.all([
      failure(writeBookings(...many)),
      failure(writeBookings(put(booking('BK-W-1', 2)), put({ guests: { N: '2' } }))),
      failure(writeBookings(put({ bookingId: { N: '7' } }))),
      failure(writeBookings(put(booking('BK-W-1', 2)), remove('BK-W-1'))),
      failure(
        dynamo.send(new BatchWriteItemCommand({ RequestItems: { 'no-such-table': [remove('BK-W-1')] } })),
      ),
    ]);

    // Assert
    expect(errors.map((error) => [error.name, error.message])).toEqual([
      ['ValidationException', 'Too many items requested for the BatchWriteItem call'],
      [
        'ValidationException',
        'One or more parameter values were invalid: Missing the key bookingId in the item',
      ],
      [
        'ValidationException',
        'One or more parameter values were invalid: Type mismatch for key bookingId expected: S actual: N',
      ],
      ['ValidationException', 'Provided list of item keys contains duplicates'],
      ['ResourceNotFoundException', 'Requested resource not found: Table: no-such-table not found'],
    ]);
    expect(await bookingOf('BK-W-1')).toBeUndefined();
  });

  it('records the BatchWriteItem data event with every key written and the caller’s user agent', async () => {
    // Arrange
    const before = account.events().length;

    // Act
    await dynamo.send(
      new BatchWriteItemCommand({
        RequestItems: {
          bookings: [put(booking('BK-X-1', 2)), remove('BK-X-2')],
          events: [
            { DeleteRequest: { Key: { pk: { S: 'booking#BK-X-1' }, sk: { S: '2026-12-02T10:16:00Z' } } } },
          ],
        },
      }),
    );

    // Assert
    const records = cloudTrailRecordsSince(account, before);
    expect(records).toMatchObject([
      {
        eventSource: 'dynamodb.amazonaws.com',
        eventName: 'BatchWriteItem',
        awsRegion: 'us-east-1',
        managementEvent: false,
        eventCategory: 'Data',
        requestParameters: {
          requestItems: [
            { tableName: 'bookings', key: { bookingId: 'BK-X-1' } },
            { tableName: 'bookings', key: { bookingId: 'BK-X-2' } },
            { tableName: 'events', key: { pk: 'booking#BK-X-1', sk: '2026-12-02T10:16:00Z' } },
          ],
        },
        responseElements: null,
        resources: [
          { type: 'AWS::DynamoDB::Table', ARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/bookings' },
          { type: 'AWS::DynamoDB::Table', ARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/events' },
        ],
      },
    ]);
    expect(records[0]?.userAgent).toMatch(/(^| )tidemark\/1( |$)/);
  });
});
