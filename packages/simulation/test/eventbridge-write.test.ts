import {
  DeleteRuleCommand,
  DescribeRuleCommand,
  EventBridgeClient,
  ListTagsForResourceCommand,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-eventbridge';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedAccount } from '../src/index.js';
import { failure } from './support/failure.js';
import { cloudTrailRecordsSince } from './support/trail.js';

const ACCOUNT = '123456789012';
const NIGHTLY_ARN = `arn:aws:events:us-east-1:${ACCOUNT}:rule/nightly-report`;
const AUDIT_QUEUE = `arn:aws:sqs:us-east-1:${ACCOUNT}:booking-audit`;

let account: SimulatedAccount;
let events: EventBridgeClient;

beforeEach(async () => {
  account = await SimulatedAccount.start();
  events = new EventBridgeClient({ region: 'us-east-1', maxAttempts: 1, customUserAgent: 'tidemark/1' });
});

afterEach(async () => {
  await account.stop();
});

async function targetIds(Rule: string, EventBusName?: string) {
  const { Targets = [] } = await events.send(new ListTargetsByRuleCommand({ Rule, EventBusName }));
  return Targets.map((target) => target.Id);
}

describe('simulated EventBridge PutRule', () => {
  it('replaces every setting of an existing rule: those left out are removed, and its targets kept', async () => {
    // Act
    const { RuleArn } = await events.send(
      new PutRuleCommand({
        Name: 'nightly-report',
        ScheduleExpression: 'cron(0 6 * * ? *)',
        State: 'DISABLED',
      }),
    );
    const rule = await events.send(new DescribeRuleCommand({ Name: 'nightly-report' }));

    // Assert
    expect(RuleArn).toBe(NIGHTLY_ARN);
    expect(rule).toMatchObject({ ScheduleExpression: 'cron(0 6 * * ? *)', State: 'DISABLED' });
    expect(rule).not.toHaveProperty('Description');
    expect(await targetIds('nightly-report')).toEqual(['booking-handler']);
  });

  it('creates a rule on a custom bus, enabled, with the tags given', async () => {
    // Act
    const { RuleArn } = await events.send(
      new PutRuleCommand({
        Name: 'booking-cancelled',
        EventBusName: 'bookings',
        EventPattern: '{"source":["com.sailjada.bookings"],"detail-type":["Booking Cancelled"]}',
        Tags: [{ Key: 'team', Value: 'bookings' }],
      }),
    );
    const rule = await events.send(
      new DescribeRuleCommand({ Name: 'booking-cancelled', EventBusName: 'bookings' }),
    );
    const tags = await events.send(new ListTagsForResourceCommand({ ResourceARN: RuleArn }));

    // Assert
    expect(RuleArn).toBe(`arn:aws:events:us-east-1:${ACCOUNT}:rule/bookings/booking-cancelled`);
    expect(rule).toMatchObject({ State: 'ENABLED', EventBusName: 'bookings', CreatedBy: ACCOUNT });
    expect(tags.Tags).toEqual([{ Key: 'team', Value: 'bookings' }]);
  });

  it('refuses a rule with neither pattern nor schedule, a bad pattern and a schedule off the default bus', async () => {
    // Act
    const neither = await failure(events.send(new PutRuleCommand({ Name: 'empty' })));
    const badPattern = await failure(
      events.send(new PutRuleCommand({ Name: 'bad', EventPattern: '{"source":' })),
    );
    const offDefault = await failure(
      events.send(
        new PutRuleCommand({ Name: 'hourly', EventBusName: 'bookings', ScheduleExpression: 'rate(1 hour)' }),
      ),
    );

    // Assert
    expect([neither.name, neither.$metadata.httpStatusCode, neither.message]).toEqual([
      'ValidationException',
      400,
      'Parameter(s) EventPattern or ScheduleExpression must be specified.',
    ]);
    expect([badPattern.name, badPattern.$metadata.httpStatusCode]).toEqual([
      'InvalidEventPatternException',
      400,
    ]);
    expect(badPattern.message).toMatch(/^Event pattern is not valid\. Reason: /);
    expect([offDefault.name, offDefault.message]).toEqual([
      'ValidationException',
      'ScheduleExpression is supported only on the default event bus.',
    ]);
  });

  it('answers ResourceNotFoundException for a bus that does not exist', async () => {
    // Act
    const error = await failure(
      events.send(
        new PutRuleCommand({ Name: 'x', EventBusName: 'charters', EventPattern: '{"source":["a"]}' }),
      ),
    );

    // Assert
    expect([error.name, error.$metadata.httpStatusCode, error.message]).toEqual([
      'ResourceNotFoundException',
      400,
      'Event bus charters does not exist.',
    ]);
  });
});

describe('simulated EventBridge targets', () => {
  it('puts a target beside the others, replaces one with the same id, and removes by id', async () => {
    // Act
    const put = await events.send(
      new PutTargetsCommand({
        Rule: 'booking-confirmed',
        EventBusName: 'bookings',
        Targets: [
          { Id: 'booking-audit', Arn: AUDIT_QUEUE },
          {
            Id: 'email-sender',
            Arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:email-sender`,
            Input: '{"a":1}',
          },
        ],
      }),
    );
    const { Targets } = await events.send(
      new ListTargetsByRuleCommand({ Rule: 'booking-confirmed', EventBusName: 'bookings' }),
    );
    const removed = await events.send(
      new RemoveTargetsCommand({
        Rule: 'booking-confirmed',
        EventBusName: 'bookings',
        Ids: ['booking-audit', 'gone'],
      }),
    );

    // Assert
    expect(put).toMatchObject({ FailedEntryCount: 0, FailedEntries: [] });
    expect(Targets).toEqual([
      { Id: 'booking-audit', Arn: AUDIT_QUEUE },
      {
        Id: 'email-sender',
        Arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:email-sender`,
        Input: '{"a":1}',
      },
    ]);
    expect(removed).toMatchObject({ FailedEntryCount: 0, FailedEntries: [] });
    expect(await targetIds('booking-confirmed', 'bookings')).toEqual(['email-sender']);
  });

  it('refuses an input that is not JSON text, and a sixth target', async () => {
    // Arrange
    const queue = (n: number) => ({ Id: `queue-${n}`, Arn: `${AUDIT_QUEUE}-${n}` });

    // Act
    const badInput = await failure(
      events.send(
        new PutTargetsCommand({
          Rule: 'nightly-report',
          Targets: [{ Id: 'x', Arn: AUDIT_QUEUE, Input: 'report' }],
        }),
      ),
    );
    const sixth = await failure(
      events.send(new PutTargetsCommand({ Rule: 'nightly-report', Targets: [1, 2, 3, 4, 5].map(queue) })),
    );

    // Assert
    expect([badInput.name, badInput.$metadata.httpStatusCode]).toEqual(['ValidationException', 400]);
    expect(badInput.message).toMatch(/^JSON syntax error in input for target x: /);
    expect([sixth.name, sixth.message]).toEqual([
      'LimitExceededException',
      'The requested resource exceeds the maximum number allowed.',
    ]);
    expect(await targetIds('nightly-report')).toEqual(['booking-handler']);
  });

  it('answers ResourceNotFoundException for a rule that does not exist', async () => {
    // Act
    const error = await failure(
      events.send(new PutTargetsCommand({ Rule: 'weekly-report', Targets: [{ Id: 'x', Arn: AUDIT_QUEUE }] })),
    );

    // Assert
    expect([error.name, error.message]).toEqual([
      'ResourceNotFoundException',
      'Rule weekly-report does not exist on EventBus default.',
    ]);
  });
});

describe('simulated EventBridge DeleteRule and tags', () => {
  it('deletes a rule only once its targets are removed', async () => {
    // Act
    const withTargets = await failure(events.send(new DeleteRuleCommand({ Name: 'nightly-report' })));
    await events.send(new RemoveTargetsCommand({ Rule: 'nightly-report', Ids: ['booking-handler'] }));
    await events.send(new DeleteRuleCommand({ Name: 'nightly-report' }));
    const gone = await failure(events.send(new DescribeRuleCommand({ Name: 'nightly-report' })));

    // Assert
    expect([withTargets.name, withTargets.message]).toEqual([
      'ValidationException',
      "Rule can't be deleted since it has targets.",
    ]);
    expect(gone.name).toBe('ResourceNotFoundException');
  });

  it('tags and untags a rule', async () => {
    // Act
    await events.send(
      new TagResourceCommand({
        ResourceARN: NIGHTLY_ARN,
        Tags: [
          { Key: 'team', Value: 'finance' },
          { Key: 'cost-center', Value: 'reports' },
        ],
      }),
    );
    await events.send(new UntagResourceCommand({ ResourceARN: NIGHTLY_ARN, TagKeys: ['cost-center'] }));
    const { Tags } = await events.send(new ListTagsForResourceCommand({ ResourceARN: NIGHTLY_ARN }));

    // Assert
    expect(Tags).toEqual([{ Key: 'team', Value: 'finance' }]);
  });

  it('records each write in CloudTrail with the caller’s user agent', async () => {
    // Arrange
    const before = account.events().length;

    // Act
    await events.send(
      new PutRuleCommand({ Name: 'nightly-report', ScheduleExpression: 'cron(0 6 * * ? *)' }),
    );
    await events.send(new RemoveTargetsCommand({ Rule: 'nightly-report', Ids: ['booking-handler'] }));

    // Assert
    const records = cloudTrailRecordsSince(account, before);
    expect(records).toMatchObject([
      {
        eventSource: 'events.amazonaws.com',
        eventName: 'PutRule',
        awsRegion: 'us-east-1',
        requestParameters: { name: 'nightly-report', scheduleExpression: 'cron(0 6 * * ? *)' },
        responseElements: { ruleArn: NIGHTLY_ARN },
      },
      {
        eventName: 'RemoveTargets',
        requestParameters: { rule: 'nightly-report', ids: ['booking-handler'] },
        responseElements: { failedEntryCount: 0, failedEntries: [] },
      },
    ]);
    for (const record of records) expect(record.userAgent).toMatch(/(^| )tidemark\/1( |$)/);
  });
});
