import { createHash, randomUUID } from 'node:crypto';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSMessageAttributes } from 'aws-lambda';

/** The queue an event source mapping reads. */
export interface SourceQueue {
  readonly url: string;
  readonly arn: string;
  readonly region: string;
}

/** A Lambda handler of SQS batches, as middy exports it. */
export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

/** What {@link drainQueue} did. */
export interface DrainReport {
  readonly invocations: number;
  /** Messages the handler reported as failed, over all invocations (a message counts once per receive). */
  readonly failures: number;
}

/**
 * A Lambda context like the one the runtime passes: request id, function ARN, and the time left of `timeoutMs`
 * from now.
 */
export function lambdaContext(options: { timeoutMs?: number; region?: string } = {}): Context {
  const { timeoutMs = 900_000, region = 'us-east-1' } = options;
  const deadline = Date.now() + timeoutMs;
  const unsupported = () => {
    throw new Error('callback-style completion is not used by async handlers');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'tidemark-consumer',
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:123456789012:function:tidemark-consumer`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/tidemark-consumer',
    logStreamName: `2026/11/25/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

/** The event Lambda's SQS event source mapping builds from received messages. */
export function lambdaSqsEvent(messages: readonly Message[], queue: SourceQueue): SQSEvent {
  return {
    Records: messages.map((message) => ({
      messageId: message.MessageId as string,
      receiptHandle: message.ReceiptHandle as string,
      body: message.Body ?? '',
      attributes: {
        ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? '1',
        SentTimestamp: message.Attributes?.SentTimestamp ?? `${Date.now()}`,
        SenderId: message.Attributes?.SenderId ?? 'AIDAEXAMPLE',
        ApproximateFirstReceiveTimestamp:
          message.Attributes?.ApproximateFirstReceiveTimestamp ?? `${Date.now()}`,
      },
      messageAttributes: lambdaMessageAttributes(message),
      md5OfBody: message.MD5OfBody ?? md5(message.Body ?? ''),
      ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
      eventSource: 'aws:sqs',
      eventSourceARN: queue.arn,
      awsRegion: queue.region,
    })),
  };
}

/** An SQS event of messages that were never on a queue, for handler unit tests. */
export function syntheticSqsEvent(bodies: readonly string[], queue: SourceQueue = TEST_QUEUE): SQSEvent {
  const now = `${Date.now()}`;
  return lambdaSqsEvent(
    bodies.map((body) => ({
      MessageId: randomUUID(),
      ReceiptHandle: randomUUID(),
      Body: body,
      MD5OfBody: md5(body),
      Attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: now,
        SenderId: 'AIDAEXAMPLE',
        ApproximateFirstReceiveTimestamp: now,
      },
    })),
    queue,
  );
}

/** A queue name for events that were never on one. */
export const TEST_QUEUE: SourceQueue = {
  url: 'https://sqs.us-east-1.amazonaws.com/123456789012/tidemark-queue',
  arn: 'arn:aws:sqs:us-east-1:123456789012:tidemark-queue',
  region: 'us-east-1',
};

/**
 * Runs `handler` the way Lambda's SQS event source mapping does until the queue is empty: receive up to 10
 * messages, invoke with them, delete those not reported in `batchItemFailures` (none when the handler throws).
 * Failed messages come back after the visibility timeout, until the queue's redrive policy dead-letters them.
 */
export async function drainQueue(
  sqs: SQSClient,
  queue: SourceQueue,
  handler: SqsHandler,
  options: { deadlineMs?: number } = {},
): Promise<DrainReport> {
  const deadline = Date.now() + (options.deadlineMs ?? 30_000);
  let invocations = 0;
  let failures = 0;
  while (Date.now() < deadline) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) {
      if ((await messagesIn(sqs, queue.url)) === 0) return { invocations, failures };
      continue;
    }
    invocations += 1;
    const failed = await invoke(handler, lambdaSqsEvent(Messages, queue));
    failures += failed.size;
    const done = Messages.filter((message) => !failed.has(message.MessageId as string));
    if (done.length > 0)
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queue.url,
          Entries: done.map((message, index) => ({ Id: `m${index}`, ReceiptHandle: message.ReceiptHandle })),
        }),
      );
  }
  throw new Error(`queue ${queue.url} still holds messages after the deadline`);
}

/** Invokes the handler; the ids of the messages that are not done (all of them when it throws). */
async function invoke(handler: SqsHandler, event: SQSEvent): Promise<Set<string>> {
  try {
    const response = await handler(event, lambdaContext({ region: event.Records[0]?.awsRegion }));
    return new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
  } catch {
    return new Set(event.Records.map((record) => record.messageId));
  }
}

/** Messages visible, in flight or delayed. */
async function messagesIn(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return Object.values(Attributes).reduce((sum, count) => sum + Number(count), 0);
}

/** Message attributes in the Lambda event's shape (lower-camel-case, list fields present). */
function lambdaMessageAttributes(message: Message): SQSMessageAttributes {
  return Object.fromEntries(
    Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
      name,
      {
        ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
        ...(value.BinaryValue === undefined
          ? {}
          : { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }),
        stringListValues: [],
        binaryListValues: [],
        dataType: value.DataType ?? 'String',
      },
    ]),
  );
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}
