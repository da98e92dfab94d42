import { InputError, registry } from '@tidemark/core/deploy';
import { SimulatedAccount } from '@tidemark/simulation';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFixture, readManifest } from '../../packages/core/test/support/fixtures.js';
import { Capture } from '../Capture.js';
import { resolveConfig } from '../config.js';
import { Store } from '../Store.js';
import { makeChanges } from './support/changes.js';
import { matchesPattern } from './support/event-pattern.js';
import { ACCOUNT, synthesize } from './support/synth.js';

interface RuleResource {
  readonly id: string;
  readonly pattern: Record<string, unknown>;
  readonly targets: Array<{ Arn: unknown }>;
}

function rulesOf(template: Template): RuleResource[] {
  return Object.entries(template.findResources('AWS::Events::Rule')).map(([id, rule]) => ({
    id,
    pattern: rule.Properties.EventPattern,
    targets: rule.Properties.Targets,
  }));
}

function onlyId(template: Template, type: string, filter: (properties: Record<string, unknown>) => boolean) {
  const ids = Object.entries(template.findResources(type))
    .filter(([, resource]) => filter(resource.Properties ?? {}))
    .map(([id]) => id);
  expect(ids).toHaveLength(1);
  return ids[0] as string;
}

/** A CloudTrail call of a Lambda or S3 operation as EventBridge delivers it. */
function apiCall(eventSource: string, eventName: string, readOnly: boolean) {
  return {
    source: `aws.${eventSource.split('.')[0]}`,
    'detail-type': 'AWS API Call via CloudTrail',
    detail: { eventSource, eventName, readOnly },
  };
}

describe('Capture stack', () => {
  let capture: Template;
  let store: Template;
  let rules: RuleResource[];
  const matched = (event: unknown) => rules.filter((rule) => matchesPattern(rule.pattern, event));

  beforeAll(async () => {
    const app = await synthesize([Store, Capture]);
    capture = app.template(Capture);
    store = app.template(Store);
    rules = rulesOf(capture);
  });

  describe('rules', () => {
    it('match successful mutating CloudTrail calls per service, readOnly as the boolean false', () => {
      const apiRules = rules.filter((rule) => 'eventName' in ((rule.pattern.detail ?? {}) as object));
      const sources = apiRules.map((rule) => (rule.pattern.source as string[]).join());

      expect([...new Set(sources)].sort()).toEqual([
        'aws.acm',
        'aws.apigateway',
        'aws.cloudfront',
        'aws.dynamodb',
        'aws.events',
        'aws.iam',
        'aws.lambda',
        'aws.lightsail',
        'aws.route53',
        'aws.s3',
        'aws.ses',
      ]);
      for (const { pattern } of apiRules) {
        expect(pattern['detail-type']).toEqual(['AWS API Call via CloudTrail']);
        expect((pattern.detail as Record<string, unknown>).readOnly).toEqual([false]);
        expect(JSON.stringify(pattern).length).toBeLessThanOrEqual(2048);
      }
    });

    it('match every event the registry declares, with or without an API-version suffix, and nothing read-only', () => {
      for (const definition of registry) {
        for (const name of Object.keys(definition.events)) {
          expect(matched(apiCall(definition.eventSource, name, false)), name).toHaveLength(1);
          expect(matched(apiCall(definition.eventSource, `${name}20150331v2`, false)), name).toHaveLength(1);
          expect(matched(apiCall(definition.eventSource, name, true)), name).toEqual([]);
        }
      }
      expect(
        matched(apiCall('lambda.amazonaws.com', 'UpdateFunctionEventInvokeConfig20190925', false)),
      ).toEqual([]);
      expect(matched(apiCall('lambda.amazonaws.com', 'GetFunction20150331v2', true))).toEqual([]);
      expect(matched(apiCall('ec2.amazonaws.com', 'RunInstances', false))).toEqual([]);
    });

    it('match every event the simulated account emits for its changes', async () => {
      const account = await SimulatedAccount.start();
      try {
        const events = makeChanges(account);

        expect(events.some((event) => event['detail-type'] === 'Object Created')).toBe(true);
        expect(events.map((event) => (event.detail as { eventName?: string }).eventName)).toContain(
          'UpdateFunctionConfiguration20150331v2',
        );
        for (const event of events)
          expect(matched(event), JSON.stringify(event).slice(0, 200)).not.toEqual([]);
      } finally {
        await account.stop();
      }
    });

    it("match S3's real object notifications, of every bucket but the store", () => {
      const notifications = readManifest().filter((row) => row.form === 's3-eventbridge-notification');
      const objectRule = rules.find((rule) =>
        (rule.pattern['detail-type'] as string[]).includes('Object Created'),
      );
      const bucket = onlyId(store, 'AWS::S3::Bucket', () => true);

      expect(notifications.length).toBeGreaterThanOrEqual(4);
      for (const row of notifications) expect(matched(JSON.parse(readFixture(row.file)))).toHaveLength(1);
      expect(objectRule?.pattern.detail).toEqual({
        bucket: {
          name: [{ 'anything-but': { 'Fn::ImportValue': expect.stringContaining(`Ref${bucket}`) } }],
        },
      });
    });

    it('send to the queue', () => {
      const queue = onlyId(capture, 'AWS::SQS::Queue', (p) => p.RedrivePolicy !== undefined);

      expect(rules.length).toBeGreaterThan(0);
      for (const rule of rules)
        expect(rule.targets).toEqual([expect.objectContaining({ Arn: { 'Fn::GetAtt': [queue, 'Arn'] } })]);
    });
  });

  describe('queues', () => {
    it('encrypts both queues with the store key and moves a message to the dead-letter queue after 5 receives', () => {
      const key = onlyId(store, 'AWS::KMS::Key', () => true);
      const deadLetter = onlyId(capture, 'AWS::SQS::Queue', (p) => p.RedrivePolicy === undefined);
      const queues = Object.values(capture.findResources('AWS::SQS::Queue'));

      expect(queues).toHaveLength(2);
      for (const queue of queues)
        expect(queue.Properties.KmsMasterKeyId).toEqual({
          'Fn::ImportValue': expect.stringContaining(`${key}Arn`),
        });
      capture.hasResourceProperties('AWS::SQS::Queue', {
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [deadLetter, 'Arn'] }, maxReceiveCount: 5 },
      });
    });

    it("hides a message for at least six times the consumer's timeout", () => {
      const queue = capture.findResources('AWS::SQS::Queue', { Properties: { RedrivePolicy: {} } });

      expect(Object.values(queue)[0]?.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(
        6 * resolveConfig().consumerTimeoutSeconds,
      );
    });

    it('lets only these rules send to the queue', () => {
      const queue = onlyId(capture, 'AWS::SQS::Queue', (p) => p.RedrivePolicy !== undefined);
      const policy = Object.values(capture.findResources('AWS::SQS::QueuePolicy')).find((p) =>
        JSON.stringify(p.Properties.Queues).includes(queue),
      );
      const statements: Array<Record<string, unknown>> = policy?.Properties.PolicyDocument.Statement ?? [];
      const allows = statements.filter((statement) => statement.Effect === 'Allow');

      expect(allows).toEqual([
        expect.objectContaining({
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: { 'Fn::GetAtt': [queue, 'Arn'] },
          Condition: {
            ArnEquals: { 'aws:SourceArn': rules.map((rule) => ({ 'Fn::GetAtt': [rule.id, 'Arn'] })) },
          },
        }),
      ]);
    });

    it('lets EventBridge encrypt messages with the store key, for this account only', () => {
      const statements = Object.values(store.findResources('AWS::KMS::Key'))[0]?.Properties.KeyPolicy
        .Statement;

      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
        }),
      );
    });

    it('outputs the queue and dead-letter queue URLs', () => {
      const queue = onlyId(capture, 'AWS::SQS::Queue', (p) => p.RedrivePolicy !== undefined);
      const deadLetter = onlyId(capture, 'AWS::SQS::Queue', (p) => p.RedrivePolicy === undefined);

      capture.hasOutput('QueueUrl', { Value: { Ref: queue } });
      capture.hasOutput('DeadLetterQueueUrl', { Value: { Ref: deadLetter } });
    });
  });
});

describe('Capture stack, configured', () => {
  it('tracks only the named buckets, and follows the consumer timeout and receive count', async () => {
    const capture = (
      await synthesize([Store, Capture], {
        settings: { objectBuckets: ['media', 'site.com'], consumerTimeoutSeconds: 300, maxReceiveCount: 3 },
      })
    ).template(Capture);
    const objectRules = rulesOf(capture).filter((rule) =>
      (rule.pattern['detail-type'] as string[]).includes('Object Created'),
    );

    expect(objectRules.map((rule) => rule.pattern.detail)).toEqual([
      { bucket: { name: ['media', 'site.com'] } },
    ]);
    capture.hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: { maxReceiveCount: 3 } });
    const queue = Object.values(
      capture.findResources('AWS::SQS::Queue', { Properties: { RedrivePolicy: {} } }),
    )[0];
    expect(queue?.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * 300);
    const notifications = Object.values(capture.findResources('Custom::S3BucketNotifications'));
    expect(notifications.map((resource) => resource.Properties)).toEqual(
      ['media', 'site.com'].map((name) =>
        expect.objectContaining({
          BucketName: name,
          NotificationConfiguration: { EventBridgeConfiguration: {} },
          Managed: false,
        }),
      ),
    );
  });

  it('switches on no bucket notification when every bucket is tracked (there is no list to name)', async () => {
    const capture = (await synthesize([Store, Capture])).template(Capture);

    expect(capture.findResources('Custom::S3BucketNotifications')).toEqual({});
  });

  it('has no object rule when no bucket is tracked, and only the selected services', async () => {
    const capture = (
      await synthesize([Store, Capture], { settings: { objectBuckets: [], services: ['lambda'] } })
    ).template(Capture);

    expect(rulesOf(capture).map((rule) => rule.pattern.source)).toEqual([['aws.lambda']]);
  });

  it('refuses to deploy outside the home region', async () => {
    await expect(
      synthesize([Store, Capture], { region: 'eu-west-1', settings: { homeRegion: 'us-east-1' } }),
    ).rejects.toThrow(InputError);
  });
});
