import { ALL_BUCKETS, apiCallPatterns, notificationPatterns } from '@tidemark/core/deploy';
import { Duration } from 'aws-cdk-lib';
import type { IRuleTarget } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { type StackContext, use } from 'sst/constructs';
import {
  CONSUMER_BATCHING_WINDOW_SECONDS,
  homeConfig,
  type TidemarkConfig,
  VISIBILITY_TIMEOUT_FACTOR,
} from './config.js';
import { addRules } from './rules.js';
import { Store } from './Store.js';

const EVENTS = new ServicePrincipal('events.amazonaws.com');

/** Six consumer timeouts plus the batching window, as AWS advises for a Lambda-consumed queue. */
function visibilityTimeoutSeconds(config: TidemarkConfig): number {
  return VISIBILITY_TIMEOUT_FACTOR * config.consumerTimeoutSeconds + CONSUMER_BATCHING_WINDOW_SECONDS;
}

/**
 * Turns on EventBridge notifications for each tracked bucket named in the settings, so its object changes reach
 * the rules. The buckets are not the stack's: CDK's handler merges this into their existing notification
 * configuration and takes it out again when the stack is removed. With `*` there is no list to name; each
 * bucket's notifications are then switched on by its owner (README).
 */
function enableObjectEvents(stack: StackContext['stack'], config: TidemarkConfig): void {
  config.objectBuckets
    .filter((name) => name !== ALL_BUCKETS)
    .forEach((name, index) => {
      Bucket.fromBucketName(stack, `TrackedBucket${index}`, name).enableEventBridgeNotification();
    });
}

/**
 * What reaches the consumer: EventBridge rules derived from the registry (CloudTrail calls of the selected
 * services, S3 object notifications of the tracked buckets) sending to one queue encrypted with the store's key,
 * which only these rules may send to, with a dead-letter queue for messages that keep failing.
 */
export function Capture({ app, stack }: StackContext) {
  const config = homeConfig(app);
  const { bucket, key } = use(Store);

  const deadLetterQueue = new Queue(stack, 'DeadLetterQueue', {
    encryption: QueueEncryption.KMS,
    encryptionMasterKey: key,
    retentionPeriod: Duration.days(14),
    enforceSSL: true,
  });
  const queue = new Queue(stack, 'Queue', {
    encryption: QueueEncryption.KMS,
    encryptionMasterKey: key,
    visibilityTimeout: Duration.seconds(visibilityTimeoutSeconds(config)),
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: config.maxReceiveCount },
    enforceSSL: true,
  });

  enableObjectEvents(stack, config);

  // A plain target: CDK's SqsQueue target would let every rule of the account send to an encrypted queue.
  const toQueue: IRuleTarget = { bind: () => ({ arn: queue.queueArn, targetResource: queue }) };
  const rules = addRules(
    stack,
    [
      ...apiCallPatterns(config.definitions),
      ...notificationPatterns(config.definitions, {
        tracked: { 'aws.s3': config.objectBuckets },
        excluded: { 'aws.s3': bucket.bucketName },
      }),
    ],
    toQueue,
  );
  queue.addToResourcePolicy(
    new PolicyStatement({
      sid: 'OnlyTidemarkRules',
      principals: [EVENTS],
      actions: ['sqs:SendMessage'],
      resources: [queue.queueArn],
      conditions: { ArnEquals: { 'aws:SourceArn': rules.map((rule) => rule.ruleArn) } },
    }),
  );
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: 'EventBridgeSendsToTheQueue',
      principals: [EVENTS],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }),
  );

  stack.addOutputs({ QueueUrl: queue.queueUrl, DeadLetterQueueUrl: deadLetterQueue.queueUrl });
  return { queue, deadLetterQueue, rules };
}
