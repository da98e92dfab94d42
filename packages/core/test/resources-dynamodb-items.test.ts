/**
 * A table's items against a real DynamoDB implementation (dynalite, started here on 127.0.0.1): stored as chunks,
 * an unchanged table stores nothing new, and an item written (as CloudTrail logs the data event) is captured by
 * rebuilding one chunk, giving the same chunks a full scan gives. DynamoDB clients reach dynalite; the other calls
 * of a table's capture (Application Auto Scaling), which dynalite does not answer, go to the simulated account.
 */
import type { AddressInfo } from 'node:net';
import {
  type AttributeValue,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { SimulatedAccount } from '@tidemark/simulation';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coalesce, mapEvent } from '../src/events/map.js';
import { parseEventInput } from '../src/events/parse.js';
import { dynamoDbTable } from '../src/resources/dynamodb-table.js';
import { registry } from '../src/resources/registry.js';
import type { AwsService } from '../src/resources/service.js';
import { dynamoDbService } from '../src/resources/services.js';
import type { PreviousCapture } from '../src/types/resource.js';
import { createCaptureContext, found, type TestCaptureContext } from './support/capture-context.js';

const REGION = 'us-west-2';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

let server: ReturnType<typeof dynalite>;
let endpoint: string;
let client: DynamoDBClient;
let account: SimulatedAccount;

/** A capture context whose DynamoDB client talks to dynalite. */
function dynaliteContext(options: Parameters<typeof createCaptureContext>[0] = {}): TestCaptureContext {
  const ctx = createCaptureContext(options);
  const dynamoDb = new DynamoDBClient({ region: REGION, endpoint, credentials });
  return {
    ...ctx,
    client: <Client>(service: AwsService<Client>, region: string): Client =>
      service === dynamoDbService ? (dynamoDb as Client) : ctx.client(service, region),
  };
}

/** A booking of about 1 KiB. */
function booking(index: number, status = 'confirmed'): Record<string, AttributeValue> {
  return {
    bookingId: { S: `b-${String(index).padStart(5, '0')}` },
    charterDate: { S: `2026-0${1 + (index % 9)}-1${index % 10}` },
    guests: { N: String(2 + (index % 10)) },
    status: { S: status },
    customer: { M: { name: { S: `Guest ${index}` }, email: { S: `guest${index}@example.com` } } },
    notes: { S: 'x'.repeat(900) },
  };
}

/** The CloudTrail data event of an item write on `bookings`, shaped as CloudTrail logs it (plain key values). */
function itemEvent(eventName: 'PutItem' | 'DeleteItem', bookingId: string): string {
  return JSON.stringify({
    eventVersion: '1.09',
    userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::123456789012:assumed-role/booking-api/fn' },
    eventTime: '2026-12-05T09:30:00Z',
    eventSource: 'dynamodb.amazonaws.com',
    eventName,
    awsRegion: REGION,
    requestParameters: {
      tableName: 'bookings',
      key: { bookingId },
      ...(eventName === 'PutItem' ? { item: ['bookingId', 'status'] } : {}),
    },
    responseElements: null,
    readOnly: false,
    resources: [
      {
        accountId: '123456789012',
        type: 'AWS::DynamoDB::Table',
        ARN: `arn:aws:dynamodb:${REGION}:123456789012:table/bookings`,
      },
    ],
    eventType: 'AwsApiCall',
    managementEvent: false,
    recipientAccountId: '123456789012',
    eventCategory: 'Data',
  });
}

/** The parts the capture engine would be given for these events. */
function partsOf(...records: string[]): readonly string[] | undefined {
  const events = records.flatMap((record, index) => parseEventInput(record, `event-${index}`));
  const [change] = coalesce(events.map((event) => mapEvent(event, registry, {})));
  return change?.parts;
}

async function capture(ctx: TestCaptureContext, previous?: PreviousCapture, parts?: readonly string[]) {
  const described = found(await dynamoDbTable.describe(ctx, 'bookings', REGION, previous, parts));
  return { document: dynamoDbTable.normalise(described.raw), blobs: described.blobs ?? {} };
}

beforeAll(async () => {
  account = await SimulatedAccount.start({ region: REGION });
  server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  client = new DynamoDBClient({ region: REGION, endpoint, credentials });
  await client.send(
    new CreateTableCommand({
      TableName: 'bookings',
      AttributeDefinitions: [{ AttributeName: 'bookingId', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'bookingId', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  for (let start = 0; start < 3000; start += 25) {
    const requests = Array.from({ length: 25 }, (_, offset) => ({
      PutRequest: { Item: booking(start + offset) },
    }));
    await client.send(new BatchWriteItemCommand({ RequestItems: { bookings: requests } }));
  }
}, 120_000);

afterAll(async () => {
  await account?.stop();
  client?.destroy();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

describe('AWS::DynamoDB::Table items against dynalite', () => {
  it('stores the items as chunks holding each item once, and stores nothing new for an unchanged table', async () => {
    const first = dynaliteContext();
    const stored = await capture(first);

    expect(stored.document.Items).toMatchObject({ Format: 'dynamodb-json-lines', Count: 3000 });
    const chunkNames = Object.keys(stored.blobs);
    expect(chunkNames.length).toBeGreaterThan(1);
    expect(chunkNames.every((name) => /^items\/\d{4}$/.test(name))).toBe(true);
    const lines = [...first.content.blobs.values()].flatMap((bytes) => bytes.toString('utf8').split('\n'));
    const ids = lines
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { bookingId: { S: string } }).bookingId.S);
    expect(new Set(ids).size).toBe(3000);
    expect(ids).toContain('b-02999');

    const again = dynaliteContext();
    for (const [hash, bytes] of first.content.blobs) again.content.blobs.set(hash, bytes);
    const second = await capture(again, { document: stored.document, blobs: stored.blobs });

    expect(second.blobs).toEqual(stored.blobs);
    expect(again.content.puts.filter((put) => put.written)).toEqual([]);
  });

  it('captures an item written, as its data event names it, by storing one chunk equal to a full re-scan', async () => {
    const ctx = dynaliteContext();
    const before = await capture(ctx);
    await client.send(new PutItemCommand({ TableName: 'bookings', Item: booking(1234, 'cancelled') }));
    const putsBefore = ctx.content.puts.length;

    const parts = partsOf(itemEvent('PutItem', 'b-01234'));
    const after = await capture(ctx, { document: before.document, blobs: before.blobs }, parts);

    expect(parts).toEqual(['{"bookingId":"b-01234"}']);
    const written = ctx.content.puts.slice(putsBefore).filter((put) => put.written);
    expect(written).toHaveLength(1);
    const changed = Object.keys(after.blobs).filter((name) => after.blobs[name] !== before.blobs[name]);
    expect(changed).toHaveLength(1);
    const chunk = ctx.content.blobs.get(after.blobs[changed[0] as string] as string)?.toString('utf8') ?? '';
    expect(chunk).toContain('"bookingId":{"S":"b-01234"}');
    expect(chunk).toContain('"status":{"S":"cancelled"}');
    expect(after.document.Items).toMatchObject({ Count: 3000 });

    const rescanned = await capture(dynaliteContext());
    expect(rescanned.blobs).toEqual(after.blobs);
    expect(rescanned.document.Items).toEqual(after.document.Items);
  });

  it('drops a deleted item from its chunk and counts one item less', async () => {
    const ctx = dynaliteContext();
    const before = await capture(ctx);
    await client.send(new DeleteItemCommand({ TableName: 'bookings', Key: { bookingId: { S: 'b-00007' } } }));

    const after = await capture(
      ctx,
      { document: before.document, blobs: before.blobs },
      partsOf(itemEvent('DeleteItem', 'b-00007')),
    );

    expect(after.document.Items).toMatchObject({ Count: 2999 });
    const text = Object.values(after.blobs)
      .map((hash) => ctx.content.blobs.get(hash)?.toString('utf8'))
      .join('');
    expect(text).not.toContain('"S":"b-00007"');
    expect(text).toContain('"S":"b-00008"');
  });

  it('stops a scan that reads more than the item limit, whatever size DynamoDB reported, and says why', async () => {
    const ctx = dynaliteContext({ tableItems: { maxBytes: 100_000 } });

    const described = found(await dynamoDbTable.describe(ctx, 'bookings', REGION));

    expect(described.raw.Items).toEqual({ $unknown: 'TableTooLarge' });
    expect(described.blobs).toBeUndefined();
    expect(described.gaps).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          operation: 'dynamodb:Scan',
          code: 'TableTooLarge',
          message: expect.stringMatching(
            /^the scan read more than the item limit of 100000 bytes \(DynamoDB reported 0 bytes/,
          ),
        }),
      ]),
    );
    expect(ctx.content.puts).toEqual([]);
  });
});
