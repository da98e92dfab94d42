import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { parse as parseArn } from '@aws-sdk/util-arn-parser';
import type { AwsClients } from '../../aws/clients.js';
import type { Alert } from '../types.js';
import type { SnsConfig } from './config.js';
import type { AlertDestination } from './destination.js';
import { snsSubject } from './email.js';
import { awsDeliveryError } from './errors.js';
import { alertText } from './text.js';

/**
 * Publishes each alert to an SNS topic, in the topic's region: the text form as the message, the headline as the
 * subject (what email subscriptions show), and `severity` and `rule` as message attributes, so subscriptions can
 * filter on them.
 */
export function snsDestination(name: string, config: SnsConfig, clients: AwsClients): AlertDestination {
  const client = clients.client(SNSClient, parseArn(config.topicArn).region);
  return {
    name,
    async send(alert: Alert, signal: AbortSignal): Promise<void> {
      const command = new PublishCommand({
        TopicArn: config.topicArn,
        Subject: snsSubject(alert),
        Message: alertText(alert),
        MessageAttributes: {
          severity: { DataType: 'String', StringValue: alert.severity },
          rule: { DataType: 'String', StringValue: alert.rule },
        },
      });
      try {
        await client.send(command, { abortSignal: signal });
      } catch (error) {
        throw awsDeliveryError(name, error);
      }
    },
  };
}
