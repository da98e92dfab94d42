import { existsSync } from 'node:fs';
import path from 'node:path';
import { readActions, registry } from '@tidemark/core/deploy';
import { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { useFunctions } from 'sst/constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../test/support/repo.js';
import { Alerts } from '../Alerts.js';
import { Capture } from '../Capture.js';
import { CONSUMER_HANDLER, SCHEDULE_HANDLER } from '../config.js';
import { Pipeline } from '../Pipeline.js';
import { Store } from '../Store.js';
import { actionsOf, allowedActions, roleStatements } from './support/iam.js';
import { synthesize } from './support/synth.js';

/** What SST builds and deploys for a function: runtime, handler, bundling (not in the template of a test). */
function built(fn: LambdaFunction) {
  const props = useFunctions().fromID(fn.node.addr);
  if (!props) throw new Error(`no SST function ${fn.node.id}`);
  return props;
}

/** The synthesized properties of a function. */
function propertiesOf(template: Template, fn: LambdaFunction): Record<string, unknown> {
  const id = Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnFunction);
  return template.findResources('AWS::Lambda::Function')[id]?.Properties;
}

/** An `Fn::ImportValue` of an export of the Store or Capture stack: `Ref` or `Arn` of a logical id. */
const imported = (stack: string, logicalId: string, attribute: 'Ref' | 'Arn') => ({
  'Fn::ImportValue': expect.stringMatching(
    new RegExp(
      `^test-tidemark-${stack}:ExportsOutput${attribute === 'Ref' ? `Ref${logicalId}` : `FnGetAtt${logicalId}\\w*Arn`}`,
    ),
  ),
});
const STORE_BUCKET_ARN = imported('Store', 'Store', 'Arn');
const KEY_ARN = imported('Store', 'Key', 'Arn');
const QUEUE_ARN = imported('Capture', 'Queue', 'Arn');
const SECRET_ARN = imported('Store', 'SealingKey', 'Ref');
const TOPIC_ARN = imported('Alerts', 'Topic', 'Ref');

/** Whether an IAM resource pattern (`*` any characters, `?` one) matches `value`. */
function iamPatternMatches(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${source}$`).test(value);
}

/** The properties of the resources of a type. */
function propertiesOfType(template: Template, type: string): Array<Record<string, unknown>> {
  return Object.values(template.findResources(type)).map((resource) => resource.Properties);
}

describe('Pipeline stack', () => {
  let template: Template;
  let consumer: LambdaFunction;
  let schedule: LambdaFunction;

  beforeAll(async () => {
    const app = await synthesize([Store, Capture, Alerts, Pipeline]);
    template = app.template(Pipeline);
    ({ consumer, schedule } = app.exports(Pipeline));
  });

  // What SST builds of these settings (runtime dates, architectures, the assets' contents, the handlers run on
  // their Node) is checked on the real `sst build` by assets.test.ts.
  it('deploys both handlers on Node 24 on arm64 as one bundle each: nothing installed, better-sqlite3 left out', () => {
    for (const [fn, handler] of [
      [consumer, CONSUMER_HANDLER],
      [schedule, SCHEDULE_HANDLER],
    ] as const) {
      const props = built(fn);

      expect(props).toMatchObject({
        runtime: 'nodejs24.x',
        architecture: 'arm_64',
        handler,
        nodejs: { esbuild: { external: ['better-sqlite3'] } },
      });
      expect(props.nodejs?.install ?? []).toEqual([]);
      expect(existsSync(path.join(REPO_ROOT, `${handler.replace(/\.handler$/, '')}.ts`)), handler).toBe(true);
    }
  });

  it('gives the consumer 1 GB, the configured timeout and everything it needs to find the store, the queue and the alerts topic', () => {
    const properties = propertiesOf(template, consumer);

    expect(properties).toMatchObject({ MemorySize: 1024, Timeout: 120 });
    expect((properties.Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject({
      TIDEMARK_STORE: { 'Fn::Join': ['', ['s3://', imported('Store', 'Store', 'Ref'), '/store']] },
      TIDEMARK_QUEUE_URL: imported('Capture', 'Queue', 'Ref'),
      TIDEMARK_HOME_REGION: 'us-east-1',
      TIDEMARK_REGIONS: 'us-east-1',
      TIDEMARK_SERVICES: 's3,lambda,cloudfront,route53,iam,acm,apigateway,dynamodb,events,lightsail,ses',
      TIDEMARK_OBJECT_BUCKETS: '*',
      TIDEMARK_SEALING_KEY_SECRET: SECRET_ARN,
      TIDEMARK_ALERTS_TOPIC_ARN: TOPIC_ARN,
      POWERTOOLS_SERVICE_NAME: 'tidemark',
      POWERTOOLS_METRICS_NAMESPACE: 'Tidemark',
    });
  });

  it('subscribes the consumer to the queue, in batches that report their failed items', () => {
    expect(propertiesOfType(template, 'AWS::Lambda::EventSourceMapping')).toEqual([
      expect.objectContaining({
        EventSourceArn: QUEUE_ARN,
        FunctionName: { Ref: Stack.of(consumer).getLogicalId(consumer.node.defaultChild as CfnFunction) },
        BatchSize: 10,
        MaximumBatchingWindowInSeconds: 5,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      }),
    ]);
  });

  it('runs the scheduled baseline weekly, with the store and queue but not the sealing key', () => {
    const variables = (propertiesOf(template, schedule).Environment as { Variables: Record<string, unknown> })
      .Variables;

    expect(propertiesOfType(template, 'AWS::Events::Rule')).toEqual([
      expect.objectContaining({
        ScheduleExpression: 'rate(7 days)',
        Targets: [
          expect.objectContaining({
            Arn: {
              'Fn::GetAtt': [
                Stack.of(schedule).getLogicalId(schedule.node.defaultChild as CfnFunction),
                'Arn',
              ],
            },
          }),
        ],
      }),
    ]);
    expect(variables).toMatchObject({
      TIDEMARK_STORE: expect.anything(),
      TIDEMARK_QUEUE_URL: expect.anything(),
    });
    expect(variables).not.toHaveProperty('TIDEMARK_SEALING_KEY_SECRET');
    expect(variables).not.toHaveProperty('TIDEMARK_ALERTS_TOPIC_ARN');
  });

  describe('least privilege', () => {
    it('allows exact actions only', () => {
      const actions = [consumer, schedule].flatMap((fn) => allowedActions(template, fn));

      expect(actions.length).toBeGreaterThan(10);
      expect(actions.filter((action) => action.includes('*') || action.includes('?'))).toEqual([]);
    });

    it('lets the consumer read its alert rules from the store, s3://<bucket>/store/config/alerts.yaml', () => {
      // In the store bucket (not through the registry's s3:GetObject on every bucket): `<bucket ARN><pattern>`.
      const coveringBuckets = roleStatements(template, consumer)
        .filter((statement) => actionsOf(statement).includes('s3:GetObject'))
        .flatMap(({ Resource }) => {
          const [bucket, pattern] =
            (Resource as { 'Fn::Join'?: [string, [unknown, string]] })['Fn::Join']?.[1] ?? [];
          return pattern && iamPatternMatches(pattern, '/store/config/alerts.yaml') ? [bucket] : [];
        });

      expect(coveringBuckets).toContainEqual(STORE_BUCKET_ARN);
      expect(iamPatternMatches('/store/*', '/blobs/config/alerts.yaml')).toBe(false);
    });

    it('lets the consumer send no email without alerts.sesFrom', () => {
      expect(allowedActions(template, consumer).filter((action) => action.startsWith('ses:Send'))).toEqual(
        [],
      );
    });

    it("lets the consumer read, anywhere, exactly what the registry's definitions declare", () => {
      const anywhere = roleStatements(template, consumer).filter((statement) => statement.Resource === '*');

      expect(anywhere.flatMap(actionsOf).sort()).toEqual(
        [...readActions(registry), 'sts:GetCallerIdentity'].sort(),
      );
    });

    it('lets both functions write only to the store, send only to the queue, and only the consumer read the secret and publish alerts', () => {
      const grants = (fn: LambdaFunction) =>
        roleStatements(template, fn)
          .filter((statement) => statement.Resource !== '*')
          .flatMap((statement) =>
            actionsOf(statement).map((action) => [action, statement.Resource] as const),
          );
      const storeObjects = { 'Fn::Join': ['', [STORE_BUCKET_ARN, '/store/*']] };
      const expected = [
        ['s3:GetObject', storeObjects],
        ['s3:PutObject', storeObjects],
        ['s3:AbortMultipartUpload', storeObjects],
        ['s3:ListBucket', STORE_BUCKET_ARN],
        ['kms:Decrypt', KEY_ARN],
        ['kms:GenerateDataKey', KEY_ARN],
        ['sqs:SendMessage', QUEUE_ARN],
      ];
      const consumed = [
        'sqs:ReceiveMessage',
        'sqs:ChangeMessageVisibility',
        'sqs:GetQueueUrl',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
      ];

      expect(grants(schedule)).toEqual(expected);
      expect(grants(consumer)).toEqual(
        expect.arrayContaining([
          ...expected,
          ['secretsmanager:GetSecretValue', SECRET_ARN],
          ['sns:Publish', TOPIC_ARN],
          ...consumed.map((action) => [action, QUEUE_ARN]),
        ]),
      );
      expect(
        grants(consumer)
          .map(([action]) => action)
          .sort(),
      ).toEqual(
        [
          ...expected.map(([action]) => action),
          'secretsmanager:GetSecretValue',
          'sns:Publish',
          ...consumed,
          'kms:Decrypt',
        ].sort(),
      );
    });
  });
});

describe('Pipeline stack, configured', () => {
  it('follows the configured schedule and consumer timeout', async () => {
    const app = await synthesize([Store, Capture, Alerts, Pipeline], {
      settings: { schedule: 'cron(0 3 ? * SUN *)', consumerTimeoutSeconds: 300 },
    });
    const template = app.template(Pipeline);

    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(0 3 ? * SUN *)' });
    expect(propertiesOf(template, app.exports(Pipeline).consumer).Timeout).toBe(300);
  });
});

describe('Pipeline stack, sending alert email through SES', () => {
  /** The resources the consumer may call `ses:SendEmail` on, with `sesFrom` set. */
  async function sendableFrom(sesFrom: string): Promise<unknown[]> {
    const app = await synthesize([Store, Capture, Alerts, Pipeline], { settings: { alerts: { sesFrom } } });
    return roleStatements(app.template(Pipeline), app.exports(Pipeline).consumer)
      .filter((statement) => actionsOf(statement).includes('ses:SendEmail'))
      .map((statement) => statement.Resource);
  }
  const identityArn = (identity: string) => ({
    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ses:us-east-1:123456789012:identity/${identity}`]],
  });

  it("lets the consumer send from an address, as the address's or its domain's identity, and nothing else", async () => {
    expect(await sendableFrom('alerts@example.com')).toEqual([
      [identityArn('alerts@example.com'), identityArn('example.com')],
    ]);
  });

  it('lets the consumer send from any address of a domain identity', async () => {
    expect(await sendableFrom('example.com')).toEqual([identityArn('example.com')]);
  });
});
