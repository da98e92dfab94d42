import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { AwsClients } from '../../aws/clients.js';
import type { Alert } from '../types.js';
import type { SesConfig } from './config.js';
import type { AlertDestination } from './destination.js';
import { alertMessage } from './email.js';
import { awsDeliveryError } from './errors.js';

const CHARSET = 'UTF-8';

/** Emails each alert through SES v2 (`SendEmail`, simple content): headline subject, text and HTML bodies. */
export function sesDestination(
  name: string,
  config: SesConfig & { readonly region: string },
  clients: AwsClients,
): AlertDestination {
  const client = clients.client(SESv2Client, config.region);
  return {
    name,
    async send(alert: Alert, signal: AbortSignal): Promise<void> {
      const message = alertMessage(alert);
      const command = new SendEmailCommand({
        FromEmailAddress: config.from,
        Destination: { ToAddresses: [...config.to] },
        Content: {
          Simple: {
            Subject: { Data: message.subject, Charset: CHARSET },
            Body: {
              Text: { Data: message.text, Charset: CHARSET },
              Html: { Data: message.html, Charset: CHARSET },
            },
          },
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
