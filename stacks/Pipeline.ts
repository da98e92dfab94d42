import { readActions } from '@tidemark/core/deploy';
import { ArnFormat, Duration, type Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Cron, type FunctionProps, Function as SstFunction, type StackContext, use } from 'sst/constructs';
import { Alerts } from './Alerts.js';
import { Capture } from './Capture.js';
import {
  CONSUMER_BATCH_SIZE,
  CONSUMER_BATCHING_WINDOW_SECONDS,
  CONSUMER_HANDLER,
  homeConfig,
  SCHEDULE_HANDLER,
  STORE_PREFIX,
  storeUrl,
} from './config.js';
import { Store } from './Store.js';

/**
 * What both functions share: Node 24 on Graviton (arm64), one bundle and no native module. The index opens
 * SQLite through Node 24's built-in `node:sqlite`; `better-sqlite3` (the driver of older Nodes, loaded lazily) is
 * external so the bundle never holds it, and there is no `nodejs.install`: SST would run it on the build machine
 * and ship a native module of the build machine's architecture, at whatever version the registry has. The
 * bundle is built from the packages' TypeScript sources (their `source` export condition), not from a `dist`.
 *
 * Moving to the next Node runtime: `stacks/test/assets.test.ts` runs the real `sst build` and fails once today is
 * past the deprecation date of any function's runtime (the table in `stacks/test/support/lambda-runtimes.ts`,
 * from AWS's "Lambda runtimes" page: add each new runtime there when Lambda releases it). To move: change
 * `runtime` below (SST's `Function` must know the identifier: `supportedRuntimes` in `sst/constructs/Function`),
 * update the runtime `stacks/test/Pipeline.test.ts` expects, then run `assets.test.ts`, which runs both handlers as
 * built in a fresh process of the new runtime's Node (fetched from the npm registry's `node` package), and
 * `npm run bench -- consumer` (sizes and cold starts on that Node). The index must still find `node:sqlite`.
 */
const FUNCTION_BASE = {
  runtime: 'nodejs24.x',
  architecture: 'arm_64',
  tracing: 'disabled',
  nodejs: { esbuild: { external: ['better-sqlite3'], conditions: ['source'] } },
} as const satisfies FunctionProps;

/**
 * The SES identities alert email from `sesFrom` is authorized against, as ARNs in the home region: the identity
 * itself, and for an address also its domain (SES lets an address send when either one is verified).
 */
function sesIdentityArns(stack: Stack, sesFrom: string): string[] {
  const domain = sesFrom.includes('@') ? [sesFrom.slice(sesFrom.lastIndexOf('@') + 1)] : [];
  return [sesFrom, ...domain].map((identity) =>
    stack.formatArn({
      service: 'ses',
      resource: 'identity',
      resourceName: identity,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    }),
  );
}

/**
 * The consumer, subscribed to the queue, and the scheduled baseline that fans work items out through it. The
 * consumer may read what the registry's definitions declare, read and write the store (its alert rules,
 * `store/config/alerts.yaml`, included), send work items, publish to the alerts topic and, with `alerts.sesFrom`,
 * send email from that SES identity; the schedule may only read and write the store and send work items. Exact
 * actions only.
 */
export function Pipeline({ app, stack }: StackContext) {
  const config = homeConfig(app);
  const { bucket, key, sealingKey } = use(Store);
  const { queue } = use(Capture);
  const { topic } = use(Alerts);
  const { sesFrom } = config.alerts;

  const environment = {
    TIDEMARK_STORE: storeUrl(bucket.bucketName),
    TIDEMARK_QUEUE_URL: queue.queueUrl,
    TIDEMARK_HOME_REGION: config.homeRegion,
    TIDEMARK_REGIONS: config.regions.join(','),
    TIDEMARK_SERVICES: config.services.join(','),
    TIDEMARK_OBJECT_BUCKETS: config.objectBuckets.join(','),
    POWERTOOLS_SERVICE_NAME: 'tidemark',
    POWERTOOLS_METRICS_NAMESPACE: 'Tidemark',
  };
  const storeAndQueue = [
    new PolicyStatement({
      actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
      resources: [bucket.arnForObjects(`${STORE_PREFIX}/*`)],
    }),
    new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }),
    new PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [key.keyArn] }),
    new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
    new PolicyStatement({ actions: ['sts:GetCallerIdentity'], resources: ['*'] }),
  ];

  const consumer = new SstFunction(stack, 'Consumer', {
    ...FUNCTION_BASE,
    description: 'Tidemark: captures what events and work items name',
    handler: CONSUMER_HANDLER,
    memorySize: 1024,
    timeout: config.consumerTimeoutSeconds,
    environment: {
      ...environment,
      TIDEMARK_SEALING_KEY_SECRET: sealingKey.secretArn,
      TIDEMARK_ALERTS_TOPIC_ARN: topic.topicArn,
    },
    permissions: [
      ...storeAndQueue,
      new PolicyStatement({ actions: readActions(config.definitions), resources: ['*'] }),
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [sealingKey.secretArn] }),
      new PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }),
      ...(sesFrom
        ? [new PolicyStatement({ actions: ['ses:SendEmail'], resources: sesIdentityArns(stack, sesFrom) })]
        : []),
    ],
  });
  consumer.addEventSource(
    new SqsEventSource(queue, {
      batchSize: CONSUMER_BATCH_SIZE,
      maxBatchingWindow: Duration.seconds(CONSUMER_BATCHING_WINDOW_SECONDS),
      reportBatchItemFailures: true,
    }),
  );

  const baseline = new Cron(stack, 'Baseline', {
    schedule: config.schedule,
    job: {
      function: {
        ...FUNCTION_BASE,
        description: 'Tidemark: plans the scheduled baseline and queues its work items',
        handler: SCHEDULE_HANDLER,
        memorySize: 512,
        timeout: 300,
        environment,
        permissions: storeAndQueue,
      },
    },
  });

  return { consumer, schedule: baseline.jobFunction };
}
