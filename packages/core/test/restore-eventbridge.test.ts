import { EventBridgeClient, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import { eventsRule } from '../src/resources/events-rule.js';
import { registry } from '../src/resources/registry.js';
import type { ResourceDefinition } from '../src/resources/types.js';
import type { PlanInput, RestoreContext } from '../src/restore/types.js';
import type { JsonObject } from '../src/types/json.js';
import { restoreRig, UNPACED } from './support/restore-rig.js';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const HANDLER = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:booking-handler`;
const AUDIT_QUEUE = `arn:aws:sqs:${REGION}:${ACCOUNT}:booking-audit`;
const RULE = 'AWS::Events::Rule';

const ref = (id: string) => ({ account: ACCOUNT, region: REGION, type: RULE, id });

describe('restoring EventBridge rules against the simulated account', () => {
  // Each test takes its first baseline itself, some with other definitions.
  const rig = restoreRig({
    definitions: registry.filter((definition) => definition.service.name === 'events'),
    rateLimits: { events: UNPACED },
    manual: true,
  });
  const plan = (id: string, prune = false) => rig.plan({ resources: [ref(id)], prune });
  const liveTargets = async (Rule: string, EventBusName?: string) =>
    (
      await new EventBridgeClient({ region: REGION }).send(
        new ListTargetsByRuleCommand({ Rule, EventBusName }),
      )
    ).Targets;

  it('puts back a changed rule: its settings, its targets and its tags', async () => {
    // Arrange
    await rig.capture();
    rig.account.eventBridge.putRule({
      name: 'nightly-report',
      scheduleExpression: 'rate(1 hour)',
      state: 'DISABLED',
    });
    rig.account.eventBridge.putTargets('nightly-report', [
      { Id: 'booking-handler', Arn: HANDLER, Input: '{"action":"hourly-report"}' },
      { Id: 'audit-queue', Arn: AUDIT_QUEUE },
    ]);
    rig.account.eventBridge.tagRule('nightly-report', { team: 'finance', 'cost-center': 'reports' });

    // Act
    const planned = await plan('nightly-report');
    const report = await rig.apply(planned);
    const again = await plan('nightly-report');

    // Assert
    expect(planned.resources[0]?.action).toBe('update');
    expect(planned.resources[0]?.steps.map((step) => step.operation)).toEqual([
      'PutRule',
      'RemoveTargets',
      'PutTargets',
      'TagResource',
      'UntagResource',
    ]);
    expect(report.resources.map((outcome) => outcome.status)).toEqual(['restored']);
    expect(await liveTargets('nightly-report')).toEqual([
      {
        Id: 'booking-handler',
        Arn: HANDLER,
        Input: '{"action":"nightly-report","recipients":["ops@sailjada.com"]}',
      },
    ]);
    expect(again.resources[0]?.action).toBe('nothing');
  });

  it('puts a deleted rule on a custom bus again, then its targets', async () => {
    // Arrange
    await rig.capture();
    rig.account.eventBridge.deleteRule('booking-confirmed', 'bookings');

    // Act
    const planned = await plan('bookings/booking-confirmed');
    const report = await rig.apply(planned);
    const again = await plan('bookings/booking-confirmed');

    // Assert
    const [resource] = planned.resources;
    expect(resource?.action).toBe('re-create');
    expect(resource?.steps.map((step) => [step.operation, step.input.EventBusName])).toEqual([
      ['PutRule', 'bookings'],
      ['PutTargets', 'bookings'],
    ]);
    expect(report.resources.map((outcome) => outcome.status)).toEqual(['restored']);
    expect(again.resources[0]?.action).toBe('nothing');
  });

  it('with --prune, removes the targets of a rule created since and deletes it', async () => {
    // Arrange
    await rig.capture();
    rig.account.eventBridge.putRule({ name: 'weekly-report', scheduleExpression: 'cron(0 7 ? * MON *)' });
    rig.account.eventBridge.putTargets('weekly-report', [{ Id: 'booking-handler', Arn: HANDLER }]);
    await rig.baseline('v1.1');

    // Act
    const kept = await plan('weekly-report');
    const planned = await plan('weekly-report', true);
    const report = await rig.apply(planned);

    // Assert
    expect(kept.resources[0]?.action).toBe('keep');
    expect(planned.resources[0]?.steps.map((step) => [step.operation, step.input])).toEqual([
      ['RemoveTargets', { Rule: 'weekly-report', Ids: ['booking-handler'] }],
      ['DeleteRule', { Name: 'weekly-report' }],
    ]);
    expect(report.resources.map((outcome) => outcome.status)).toEqual(['restored']);
  });

  it('keeps a sealed target input sealed in the plan and sends it unsealed, as the JSON text it was', async () => {
    // Arrange: the rule's target inputs are declared secret, so the store holds them sealed.
    const sealedInputs: ResourceDefinition = { ...eventsRule, secrets: ['Targets.*.Input'] };
    await rig.capture({
      registry: [
        sealedInputs,
        ...registry.filter((definition) => definition.type === 'AWS::Events::EventBus'),
      ],
    });
    rig.account.eventBridge.putTargets('nightly-report', [
      { Id: 'booking-handler', Arn: HANDLER, Input: '{"action":"hourly-report"}' },
    ]);

    // Act
    const planned = await plan('nightly-report');
    const report = await rig.apply(planned);

    // Assert
    const [putTargets] = planned.resources[0]?.steps ?? [];
    expect(putTargets?.input.Targets).toEqual([
      {
        Id: 'booking-handler',
        Arn: HANDLER,
        Input: { $sealed: expect.objectContaining({ alg: 'AES-256-GCM' }) },
      },
    ]);
    expect(JSON.stringify(planned)).not.toContain('ops@sailjada.com');
    expect(report.resources.map((outcome) => outcome.status)).toEqual(['restored']);
    expect((await liveTargets('nightly-report'))?.[0]?.Input).toBe(
      '{"action":"nightly-report","recipients":["ops@sailjada.com"]}',
    );
  });
});

describe('EventBridge rule restore plans', () => {
  const PATTERN = { source: ['aws.s3'], 'detail-type': ['Object Created'] };
  const document = (fields: JsonObject = {}): JsonObject => ({
    Rule: {
      Name: 'uploads',
      Arn: `arn:aws:events:${REGION}:${ACCOUNT}:rule/uploads`,
      EventBusName: 'default',
      EventPattern: PATTERN,
      State: 'ENABLED',
      Description: 'New uploads',
      CreatedBy: ACCOUNT,
      ...fields,
    },
    Targets: { ingest: { Id: 'ingest', Arn: AUDIT_QUEUE, Input: { kind: 'upload' } } },
    Tags: {},
  });
  const input = (captured: JsonObject | undefined, live: JsonObject | undefined): PlanInput => ({
    resource: ref('uploads'),
    target: ref('uploads'),
    ...(captured ? { captured: { document: captured, blobs: {} } } : {}),
    ...(live ? { live: { document: live, blobs: {} } } : {}),
    prune: false,
  });

  it('sends every setting with PutRule, and targets with their input as JSON text', () => {
    // Arrange
    const live = { ...document({ State: 'DISABLED' }), Targets: { other: { Id: 'other', Arn: HANDLER } } };

    // Act
    const change = eventsRule.restore?.plan(input(document(), live));

    // Assert
    expect(change).toEqual({
      action: 'update',
      steps: [
        {
          service: 'events',
          operation: 'PutRule',
          region: REGION,
          input: {
            Name: 'uploads',
            EventPattern: '{"source":["aws.s3"],"detail-type":["Object Created"]}',
            State: 'ENABLED',
            Description: 'New uploads',
          },
          summary: 'put back its State (PutRule sets them all)',
        },
        {
          service: 'events',
          operation: 'RemoveTargets',
          region: REGION,
          input: { Rule: 'uploads', Ids: ['other'] },
          summary: 'remove the targets other, added since',
        },
        {
          service: 'events',
          operation: 'PutTargets',
          region: REGION,
          input: {
            Rule: 'uploads',
            Targets: [{ Id: 'ingest', Arn: AUDIT_QUEUE, Input: '{"kind":"upload"}' }],
          },
          summary: 'put back the targets ingest',
        },
      ],
    });
  });

  it('leaves a rule an AWS service manages to that service', () => {
    // Arrange
    const captured = document({ ManagedBy: 'autoscaling.amazonaws.com' });

    // Act
    const change = eventsRule.restore?.plan(input(captured, undefined));

    // Assert
    expect(change).toEqual({
      action: 'cannot',
      reason: 'managed by autoscaling.amazonaws.com: that service restores its own rules',
      steps: [],
    });
  });

  it('fails a PutTargets step that EventBridge answers with failed entries', async () => {
    // Arrange
    const failed = {
      FailedEntryCount: 1,
      FailedEntries: [
        { TargetId: 'ingest', ErrorCode: 'ConcurrentModificationException', ErrorMessage: 'try again' },
      ],
    };
    const ctx: RestoreContext = {
      client: () => ({ send: async () => failed }) as never,
      limited: (_service, call) => call(),
      blob: () => {
        throw new Error('no blob is read');
      },
      resolve: async (value) => value,
    };
    const step = {
      service: 'events',
      operation: 'PutTargets',
      region: REGION,
      input: { Rule: 'uploads', Targets: [{ Id: 'ingest', Arn: AUDIT_QUEUE }] },
      summary: 'put back the targets ingest',
    };

    // Act
    const outcome = eventsRule.restore?.apply?.(ctx, step);

    // Assert
    await expect(outcome).rejects.toMatchObject({
      name: 'ConcurrentModificationException',
      message: '1 target(s) not changed: ingest: try again',
    });
  });
});
