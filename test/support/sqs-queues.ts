import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SourceQueue } from './sqs-event-source.js';

/** How a test queue hands failed messages to its dead-letter queue. */
export interface QueueSettings {
  readonly visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the dead-letter queue. */
  readonly maxReceiveCount: number;
}

/** Queues on an SQS-protocol server, created, filled and inspected through one client. */
export class TestQueues {
  readonly sqs: SQSClient;
  readonly #region: string;

  constructor(sqs: SQSClient, region = 'us-east-1') {
    this.sqs = sqs;
    this.#region = region;
  }

  /** A queue named `name` with its dead-letter queue `<name>-dlq`, redriven as the Pipeline stack does. */
  async create(name: string, settings: QueueSettings): Promise<{ queue: SourceQueue; dlq: SourceQueue }> {
    const dlq = await this.#create(`${name}-dlq`, {});
    const queue = await this.#create(name, {
      VisibilityTimeout: String(settings.visibilityTimeoutSeconds),
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: dlq.arn,
        maxReceiveCount: String(settings.maxReceiveCount),
      }),
    });
    return { queue, dlq };
  }

  /** Puts bodies on the queue in the given order, ten per call, as EventBridge does. */
  async send(queue: SourceQueue, bodies: readonly string[]): Promise<void> {
    for (let start = 0; start < bodies.length; start += 10)
      await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queue.url,
          Entries: bodies
            .slice(start, start + 10)
            .map((body, index) => ({ Id: `e${index}`, MessageBody: body })),
        }),
      );
  }

  /** Messages visible or in flight. */
  async depth(queue: SourceQueue): Promise<number> {
    const { Attributes = {} } = await this.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queue.url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return (
      Number(Attributes.ApproximateNumberOfMessages) +
      Number(Attributes.ApproximateNumberOfMessagesNotVisible)
    );
  }

  async #create(name: string, attributes: Record<string, string>): Promise<SourceQueue> {
    const url = (await this.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes })))
      .QueueUrl as string;
    const { Attributes = {} } = await this.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
    );
    return { url, arn: Attributes.QueueArn as string, region: this.#region };
  }
}
