import { SimulatedAccount } from '@tidemark/simulation';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UNKNOWN_MARKER } from '../src/constants.js';
import { eventsEventBus } from '../src/resources/events-event-bus.js';
import { eventsRule } from '../src/resources/events-rule.js';
import type { JsonObject } from '../src/types/resource.js';
import { collect, createCaptureContext, found } from './support/capture-context.js';
import { mappedIds } from './support/mapped-events.js';

const REGION = 'us-east-1';
const RULE = 'AWS::Events::Rule';
const BUS = 'AWS::Events::EventBus';

let account: SimulatedAccount;

beforeEach(async () => {
  account = await SimulatedAccount.start({ region: REGION });
});

afterEach(async () => {
  await account.stop();
});

async function normalisedRule(id: string): Promise<JsonObject> {
  const described = found(await eventsRule.describe(createCaptureContext(), id, REGION));
  return eventsRule.normalise(described.raw);
}

describe('eventsRule.list', () => {
  it('lists the rules of every bus: names on the default bus, <bus>/<name> on the bookings bus', async () => {
    // Arrange
    const ctx = createCaptureContext();

    // Act
    const listed = await collect(eventsRule.list(ctx, REGION));

    // Assert
    expect(listed.map((resource) => resource.id).sort()).toEqual([
      'bookings/booking-confirmed',
      'bucket-object-created',
      'nightly-report',
    ]);
  });

  it('follows NextToken when a bus holds more rules than a page', async () => {
    // Arrange
    await account.stop();
    account = await SimulatedAccount.start({ region: REGION, scale: { eventRules: 150 } });
    const ctx = createCaptureContext();
    account.resetCallCounts();

    // Act
    const listed = await collect(eventsRule.list(ctx, REGION));

    // Assert
    expect(listed).toHaveLength(153);
    expect(listed.map((resource) => resource.id)).toContain('generated-rule-0150');
    // Two pages of 100 for the default bus, one for the bookings bus.
    expect(account.callCounts().ListRules).toBe(3);
  });

  it('finds nothing in a region without rules', async () => {
    // Arrange
    const ctx = createCaptureContext();

    // Act
    const listed = await collect(eventsRule.list(ctx, 'eu-west-1'));

    // Assert
    expect(listed).toEqual([]);
  });
});

describe('eventsRule.describe', () => {
  it('captures the nightly schedule: its cron expression, its Lambda target with a constant input, its tags', async () => {
    // Arrange
    const ctx = createCaptureContext();

    // Act
    const described = found(await eventsRule.describe(ctx, 'nightly-report', REGION));

    // Assert
    expect(described.gaps).toBeUndefined();
    expect(described.raw.Rule).toEqual({
      Name: 'nightly-report',
      Arn: 'arn:aws:events:us-east-1:123456789012:rule/nightly-report',
      EventBusName: 'default',
      ScheduleExpression: 'cron(0 7 * * ? *)',
      State: 'ENABLED',
      Description: 'Nightly bookings report, 07:00 UTC',
      CreatedBy: '123456789012',
    });
    expect(described.raw.Targets).toEqual([
      {
        Id: 'booking-handler',
        Arn: 'arn:aws:lambda:us-east-1:123456789012:function:booking-handler',
        Input: '{"action":"nightly-report","recipients":["ops@sailjada.com"]}',
      },
    ]);
    expect(described.raw.Tags).toEqual([{ Key: 'team', Value: 'operations' }]);
  });

  it('normalises the media upload rule: pattern parsed, targets keyed by id, the input transformer kept', async () => {
    // Act
    const rule = await normalisedRule('bucket-object-created');

    // Assert
    expect(rule.Rule).toMatchObject({
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: { bucket: { name: ['sailjada-media'] } },
      },
    });
    expect(rule.Targets).toEqual({
      'media-ingest-queue': {
        Id: 'media-ingest-queue',
        Arn: 'arn:aws:sqs:us-east-1:123456789012:media-ingest',
        InputTransformer: {
          InputPathsMap: {
            bucket: '$.detail.bucket.name',
            key: '$.detail.object.key',
            size: '$.detail.object.size',
          },
          InputTemplate: '{"bucket": <bucket>, "key": <key>, "size": <size>}',
        },
        RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:123456789012:media-ingest-dlq' },
      },
    });
    expect(rule.Tags).toEqual({});
  });

  it('normalises a constant input to JSON', async () => {
    // Act
    const rule = await normalisedRule('nightly-report');

    // Assert
    expect(rule.Targets).toMatchObject({
      'booking-handler': { Input: { action: 'nightly-report', recipients: ['ops@sailjada.com'] } },
    });
    expect(rule.Tags).toEqual({ team: 'operations' });
  });

  it('captures a rule of the bookings bus by its <bus>/<name> id', async () => {
    // Act
    const rule = await normalisedRule('bookings/booking-confirmed');

    // Assert
    expect(rule.Rule).toMatchObject({
      Name: 'booking-confirmed',
      EventBusName: 'bookings',
      Arn: 'arn:aws:events:us-east-1:123456789012:rule/bookings/booking-confirmed',
      EventPattern: { source: ['com.sailjada.bookings'], 'detail-type': ['Booking Confirmed'] },
    });
    expect(rule.Targets).toEqual({
      'email-sender': {
        Id: 'email-sender',
        Arn: 'arn:aws:lambda:us-east-1:123456789012:function:email-sender',
        InputPath: '$.detail',
      },
    });
  });

  it('records a denied ListTargetsByRule as a gap and an unknown marker, the rest captured', async () => {
    // Arrange
    const ctx = createCaptureContext();
    account.deny('events:ListTargetsByRule', 'nightly-report');

    // Act
    const described = found(await eventsRule.describe(ctx, 'nightly-report', REGION));

    // Assert
    expect(described.raw.Targets).toEqual({ [UNKNOWN_MARKER]: 'AccessDeniedException' });
    expect(described.raw.Rule).toMatchObject({ ScheduleExpression: 'cron(0 7 * * ? *)' });
    expect(described.raw.Tags).toEqual([{ Key: 'team', Value: 'operations' }]);
    expect(described.gaps).toEqual([
      expect.objectContaining({
        kind: 'denied',
        type: RULE,
        id: 'nightly-report',
        operation: 'events:ListTargetsByRule',
        code: 'AccessDeniedException',
      }),
    ]);
  });

  it('is a gap when DescribeRule itself is denied', async () => {
    // Arrange
    const ctx = createCaptureContext();
    account.deny('events:DescribeRule', 'bookings/booking-confirmed');

    // Act
    const described = await eventsRule.describe(ctx, 'bookings/booking-confirmed', REGION);

    // Assert
    expect(described).toMatchObject({
      status: 'gap',
      gap: {
        operation: 'events:DescribeRule',
        code: 'AccessDeniedException',
        id: 'bookings/booking-confirmed',
      },
    });
  });

  it('is not found for a rule on a bus that does not exist', async () => {
    // Act
    const described = await eventsRule.describe(createCaptureContext(), 'charters/charter-requested', REGION);

    // Assert
    expect(described).toEqual({ status: 'not-found' });
  });
});

describe('eventsEventBus', () => {
  it('lists the default bus and the bookings bus', async () => {
    // Act
    const listed = await collect(eventsEventBus.list(createCaptureContext(), REGION));

    // Assert
    expect(listed.map((resource) => resource.id)).toEqual(['bookings', 'default']);
  });

  it("parses the default bus's policy: the charter broker's account may put events", async () => {
    // Act
    const described = found(await eventsEventBus.describe(createCaptureContext(), 'default', REGION));
    const bus = eventsEventBus.normalise(described.raw);

    // Assert
    expect(described.gaps).toBeUndefined();
    expect(bus.EventBus).toMatchObject({
      Name: 'default',
      Arn: 'arn:aws:events:us-east-1:123456789012:event-bus/default',
      Policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'charter-broker-put-events',
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::210987654321:root' },
            Action: 'events:PutEvents',
            Resource: 'arn:aws:events:us-east-1:123456789012:event-bus/default',
          },
        ],
      },
      CreationTime: '2023-02-14T18:03:52.000Z',
      LastModifiedTime: '2025-04-09T10:22:17.000Z',
    });
    expect(bus.Tags).toEqual({});
  });

  it('captures the bookings bus: description, dead-letter queue, log level, tags, no policy', async () => {
    // Act
    const described = found(await eventsEventBus.describe(createCaptureContext(), 'bookings', REGION));
    const bus = eventsEventBus.normalise(described.raw);

    // Assert
    expect(bus).toEqual({
      EventBus: {
        Name: 'bookings',
        Arn: 'arn:aws:events:us-east-1:123456789012:event-bus/bookings',
        Description: 'Booking lifecycle events from the sailjada.com booking API',
        DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:123456789012:bookings-bus-dlq' },
        LogConfig: { IncludeDetail: 'NONE', Level: 'ERROR' },
        CreationTime: '2024-05-21T09:41:08.000Z',
        LastModifiedTime: '2024-05-21T09:41:08.000Z',
      },
      Tags: { service: 'booking-api' },
    });
  });

  it('records a denied ListTagsForResource as a gap, the bus captured', async () => {
    // Arrange
    account.deny('events:ListTagsForResource', 'bookings');

    // Act
    const described = found(await eventsEventBus.describe(createCaptureContext(), 'bookings', REGION));

    // Assert
    expect(described.raw.Tags).toEqual({ [UNKNOWN_MARKER]: 'AccessDeniedException' });
    expect(described.raw.EventBus).toMatchObject({ Name: 'bookings' });
    expect(described.gaps).toEqual([
      expect.objectContaining({ type: BUS, id: 'bookings', operation: 'events:ListTagsForResource' }),
    ]);
  });

  it('is not found for a bus that does not exist', async () => {
    // Act
    const described = await eventsEventBus.describe(createCaptureContext(), 'charters', REGION);

    // Assert
    expect(described).toEqual({ status: 'not-found' });
  });
});

describe('rule changes and their events', () => {
  it('a disabled rule shows DISABLED, and its event maps to that rule alone', async () => {
    // Act
    const events = account.eventBridge.disableRule('nightly-report');

    // Assert
    expect(mappedIds(events)).toEqual([`${RULE}:nightly-report`]);
    expect((await normalisedRule('nightly-report')).Rule).toMatchObject({ State: 'DISABLED' });
  });

  it('a rule put on the bookings bus named by its ARN maps to <bus>/<name> and is then captured', async () => {
    // Act
    const events = account.eventBridge.putRule({
      name: 'booking-cancelled',
      bus: 'arn:aws:events:us-east-1:123456789012:event-bus/bookings',
      eventPattern: '{"source":["com.sailjada.bookings"],"detail-type":["Booking Cancelled"]}',
    });

    // Assert
    expect(mappedIds(events)).toEqual([`${RULE}:bookings/booking-cancelled`]);
    const [event] = events;
    const record = event?.['detail-type'] === 'AWS API Call via CloudTrail' ? event.detail : undefined;
    expect(record?.requestParameters).toMatchObject({
      name: 'booking-cancelled',
      eventBusName: 'arn:aws:events:us-east-1:123456789012:event-bus/bookings',
    });
    expect(record?.responseElements).toEqual({
      ruleArn: 'arn:aws:events:us-east-1:123456789012:rule/bookings/booking-cancelled',
    });
    expect((await normalisedRule('bookings/booking-cancelled')).Rule).toMatchObject({
      EventBusName: 'bookings',
      State: 'ENABLED',
      EventPattern: { source: ['com.sailjada.bookings'], 'detail-type': ['Booking Cancelled'] },
    });
  });

  it('an added target shows in the next capture, and PutTargets maps to the rule of its bus', async () => {
    // Act
    const events = account.eventBridge.putTargets(
      'booking-confirmed',
      [{ Id: 'booking-audit', Arn: 'arn:aws:sqs:us-east-1:123456789012:booking-audit' }],
      'bookings',
    );

    // Assert
    expect(mappedIds(events)).toEqual([`${RULE}:bookings/booking-confirmed`]);
    const targets = (await normalisedRule('bookings/booking-confirmed')).Targets as JsonObject;
    expect(Object.keys(targets).sort()).toEqual(['booking-audit', 'email-sender']);
    expect(targets['booking-audit']).toEqual({
      Id: 'booking-audit',
      Arn: 'arn:aws:sqs:us-east-1:123456789012:booking-audit',
    });
  });

  it('a deleted rule is not found, and both the RemoveTargets and DeleteRule events name it', async () => {
    // Act
    const events = account.eventBridge.deleteRule('bucket-object-created');

    // Assert
    expect(mappedIds(events)).toEqual([`${RULE}:bucket-object-created`, `${RULE}:bucket-object-created`]);
    expect(await eventsRule.describe(createCaptureContext(), 'bucket-object-created', REGION)).toEqual({
      status: 'not-found',
    });
  });
});
