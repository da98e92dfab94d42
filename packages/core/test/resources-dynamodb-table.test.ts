/**
 * `AWS::DynamoDB::Table` against the simulated account: the table's settings as a user reads them in the console,
 * its items as chunks, a denied scan as a gap for the items alone, tables over the item limit exported natively or
 * recorded as a gap saying why, and the table's events mapping to it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SimulatedAccount, type SimulatedEvent } from '@tidemark/simulation';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsClients } from '../src/aws/clients.js';
import { CaptureEngine } from '../src/capture/engine.js';
import { ingestEvents } from '../src/capture/ingest.js';
import { mapEvent } from '../src/events/map.js';
import { parseEventInput } from '../src/events/parse.js';
import { keyFromEvent } from '../src/resources/dynamodb-items.js';
import { dynamoDbTable } from '../src/resources/dynamodb-table.js';
import { registry } from '../src/resources/registry.js';
import { LocalKeySealer } from '../src/secrets/sealer.js';
import { VersionStore } from '../src/store/version-store.js';
import { collect, createCaptureContext, found } from './support/capture-context.js';

const HOME = 'us-east-1';
let account: SimulatedAccount;

beforeEach(async () => {
  account = await SimulatedAccount.start({ region: HOME });
});

afterEach(async () => {
  await account.stop();
});

/** Every `<type>:<id>` the events map to, with the parts for an item write. */
function mapped(events: readonly SimulatedEvent[]) {
  return events.flatMap((event) =>
    parseEventInput(JSON.stringify(event), 'test').map((parsed) => {
      const result = mapEvent(parsed);
      return {
        resources: result.resources.map((resource) => `${resource.type}:${resource.id}`),
        partial: result.partial ?? [],
      };
    }),
  );
}

describe('AWS::DynamoDB::Table', () => {
  it('lists the tables of a region', async () => {
    const listed = await collect(dynamoDbTable.list(createCaptureContext(), HOME));

    expect(listed.map((table) => table.id).sort()).toEqual(['bookings', 'events', 'users']);
  });

  it("captures a table's settings, indexes, backups, TTL, policy, tags and auto scaling", async () => {
    const bookings = dynamoDbTable.normalise(
      found(await dynamoDbTable.describe(createCaptureContext(), 'bookings', HOME)).raw,
    );
    const users = dynamoDbTable.normalise(
      found(await dynamoDbTable.describe(createCaptureContext(), 'users', HOME)).raw,
    );

    expect(bookings.Table).toMatchObject({
      TableName: 'bookings',
      KeySchema: [{ AttributeName: 'bookingId', KeyType: 'HASH' }],
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      DeletionProtectionEnabled: true,
      GlobalSecondaryIndexes: { byDate: { IndexName: 'byDate' } },
    });
    expect(bookings.TimeToLive).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
    expect(bookings.ContinuousBackups).toMatchObject({
      PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED' },
    });
    expect(bookings.Tags).toEqual({ site: 'sailjada.com', owner: 'bookings-team', backup: 'daily' });
    expect(bookings.ResourcePolicy).toMatchObject({
      Statement: [{ Sid: 'BookingHandlerReadWrite', Action: expect.arrayContaining(['dynamodb:PutItem']) }],
    });
    expect(bookings.Items).toMatchObject({ Format: 'dynamodb-json-lines', Key: ['bookingId'], Count: 2000 });
    expect(users.AutoScaling).toMatchObject({
      ScalableTargets: {
        'table/users dynamodb:table:ReadCapacityUnits': { MinCapacity: expect.any(Number) },
        'table/users/index/byEmail dynamodb:index:WriteCapacityUnits': { MinCapacity: expect.any(Number) },
      },
    });
  });

  it('records a denied scan as a gap for the items alone, the settings still captured', async () => {
    account.deny('dynamodb:Scan', 'events');

    const described = found(await dynamoDbTable.describe(createCaptureContext(), 'events', HOME));

    expect(described.raw.Items).toEqual({ $unknown: 'AccessDeniedException' });
    expect(described.blobs).toBeUndefined();
    expect(described.gaps).toEqual([expect.objectContaining({ operation: 'dynamodb:Scan', kind: 'denied' })]);
    expect(described.raw.Table).toMatchObject({ TableName: 'events' });
  });

  it('exports a table over the item limit natively when point-in-time recovery is on, and records the export', async () => {
    const ctx = createCaptureContext({
      tableItems: { maxBytes: 1000, exportTo: { bucket: 'sailjada-backups', prefix: 'dynamodb' } },
    });
    account.resetCallCounts();

    const described = found(await dynamoDbTable.describe(ctx, 'bookings', HOME));

    expect(described.raw.Items).toMatchObject({
      Format: 'dynamodb-export',
      ExportArn: expect.stringMatching(/^arn:aws:dynamodb:us-east-1:\d{12}:table\/bookings\/export\//),
      S3Bucket: 'sailjada-backups',
      S3Prefix: 'dynamodb/bookings',
    });
    expect(account.callCountsByAction()['dynamodb:Scan']).toBeUndefined();
  });

  it('records the items of a large table as a gap saying why when it cannot be exported', async () => {
    const ctx = createCaptureContext({ tableItems: { maxBytes: 1000 } });

    const withoutPitr = found(await dynamoDbTable.describe(ctx, 'events', HOME));
    const withoutDestination = found(await dynamoDbTable.describe(ctx, 'bookings', HOME));

    expect(withoutPitr.raw.Items).toEqual({ $unknown: 'TableTooLarge' });
    expect(withoutPitr.gaps?.[0]?.message).toMatch(
      /more than the item limit of 1000, and point-in-time recovery is off/,
    );
    expect(withoutDestination.gaps?.[0]?.message).toMatch(/and no export destination is set/);
  });

  it('is not found once deleted', async () => {
    account.dynamoDb.updateTable('bookings', { deletionProtection: false });
    account.dynamoDb.deleteTable('bookings');

    expect(await dynamoDbTable.describe(createCaptureContext(), 'bookings', HOME)).toEqual({
      status: 'not-found',
    });
  });

  it("maps a table's own change to the table, and an item write to the table with the item's key", async () => {
    const update = account.dynamoDb.updateTable('users', { provisionedThroughput: { read: 10, write: 5 } });
    const write = account.dynamoDb.putItem('bookings', {
      bookingId: { S: 'BK-0000042' },
      status: { S: 'cancelled' },
    });

    expect(mapped(update)).toEqual([{ resources: ['AWS::DynamoDB::Table:users'], partial: [] }]);
    expect(mapped(write)).toEqual([
      {
        resources: ['AWS::DynamoDB::Table:bookings'],
        partial: [{ type: 'AWS::DynamoDB::Table', id: 'bookings', parts: ['{"bookingId":"BK-0000042"}'] }],
      },
    ]);
    const users = found(await dynamoDbTable.describe(createCaptureContext(), 'users', HOME)).raw;
    expect(users.Table).toMatchObject({ ProvisionedThroughput: { ReadCapacityUnits: 10 } });
  });

  it('keeps both of two item writes captured at once, neither built over the other', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'tidemark-dynamodb-'));
    const store = await VersionStore.open(folder);
    try {
      const engine = await CaptureEngine.create({
        store,
        clients: new AwsClients(),
        sealer: new LocalKeySealer(randomBytes(32)),
        registry,
      });
      const bookings = {
        account: account.accountId,
        region: HOME,
        type: 'AWS::DynamoDB::Table',
        id: 'bookings',
      };
      await engine.capture(bookings, { kind: 'baseline', label: 'v1.0' });
      const cancel = (bookingId: string) =>
        account.dynamoDb.putItem('bookings', { bookingId: { S: bookingId }, status: { S: 'cancelled' } });
      const inputs = [cancel('BK-0000001'), cancel('BK-0000002')].map((events, index) => [
        { text: events.map((event) => JSON.stringify(event)).join('\n'), origin: `sqs:${index}` },
      ]);

      await Promise.all(inputs.map((input) => ingestEvents(engine, input)));

      const rescanned = await engine.capture(bookings, { kind: 'baseline', label: 'v1.1' });
      expect(rescanned.status).toBe('unchanged');
    } finally {
      store.close();
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('keyFromEvent', () => {
  const keys = { table: 'scores', names: ['game', 'score'], types: { game: 'S', score: 'N' } };

  it('types a logged key as DynamoDB returns it', () => {
    expect(keyFromEvent({ game: 'regatta', score: '1.5' }, keys)).toEqual({
      game: { S: 'regatta' },
      score: { N: '1.5' },
    });
    expect(keyFromEvent({ game: 'regatta', score: 42 }, keys)).toEqual({
      game: { S: 'regatta' },
      score: { N: '42' },
    });
  });

  it('gives up on a number whose stored form is not certain, and on a missing key attribute', () => {
    for (const score of ['1.50', '1e2', '+3', '007', JSON.parse('12345678901234567891') as number])
      expect(keyFromEvent({ game: 'regatta', score }, keys), String(score)).toBeUndefined();
    expect(keyFromEvent({ game: 'regatta' }, keys)).toBeUndefined();
  });
});
