import { RemovalPolicy } from 'aws-cdk-lib';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { type StackContext, use } from 'sst/constructs';
import { homeConfig, PRODUCTION_STAGE } from './config.js';
import { Store } from './Store.js';

/**
 * The topic the consumer publishes alerts to: encrypted with the store's customer managed key (the consumer
 * already encrypts with it, and SNS decrypts for email delivery itself), TLS-only, with `alerts.email` of the
 * settings subscribed when set (AWS emails it a confirmation link first). Production keeps it when removed.
 */
export function Alerts({ app, stack }: StackContext) {
  const config = homeConfig(app);
  const { key } = use(Store);

  const topic = new Topic(stack, 'Topic', {
    displayName: 'Tidemark alerts',
    masterKey: key,
    enforceSSL: true,
  });
  topic.applyRemovalPolicy(app.stage === PRODUCTION_STAGE ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);
  if (config.alerts.email) topic.addSubscription(new EmailSubscription(config.alerts.email));

  stack.addOutputs({ AlertsTopic: topic.topicArn });
  return { topic };
}
