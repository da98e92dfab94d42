import {
  ChangeMessageVisibilityBatchCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type SqsServer, startSqsServer } from '../../../test/support/sqs-server.js';
import { listDeadLetters, redriveDeadLetters } from '../src/queue/dead-letters.js';

describe('dead letters on an SQS-protocol server', () => {
  let server: SqsServer;
  let sqs: SQSClient;
  let queues = 0;

  beforeAll(async () => {
    server = await startSqsServer();
    sqs = new SQSClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
  });
  afterAll(() => server.stop());

  async function createQueue(): Promise<string> {
    queues += 1;
    return (await sqs.send(new CreateQueueCommand({ QueueName: `q${queues}` }))).QueueUrl as string;
  }

  async function send(queueUrl: string, bodies: readonly string[]): Promise<void> {
    for (const body of bodies)
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: body,
          MessageAttributes: { kind: { DataType: 'String', StringValue: `kind of ${body}` } },
        }),
      );
  }

  async function depth(queueUrl: string): Promise<number> {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return (
      Number(Attributes.ApproximateNumberOfMessages) +
      Number(Attributes.ApproximateNumberOfMessagesNotVisible)
    );
  }

  it('lists dead messages with when they were sent and how often received, and leaves them in place', async () => {
    const dlqUrl = await createQueue();
    const before = Date.now();
    await send(dlqUrl, ['one', 'two', 'three']);

    const first = await listDeadLetters(sqs, dlqUrl);
    const second = await listDeadLetters(sqs, dlqUrl);

    expect(first.map((letter) => letter.body).sort()).toEqual(['one', 'three', 'two']);
    expect(second.map((letter) => letter.messageId).sort()).toEqual(first.map((l) => l.messageId).sort());
    expect(Date.parse(first[0]?.sentAt ?? '')).toBeGreaterThanOrEqual(before - 1000);
    expect(first[0]?.receiveCount).toBe(1);
    expect(second[0]?.receiveCount).toBe(2);
    expect(await depth(dlqUrl)).toBe(3);
  });

  it('lists at most --max messages', async () => {
    const dlqUrl = await createQueue();
    await send(dlqUrl, ['a', 'b', 'c', 'd']);

    expect(await listDeadLetters(sqs, dlqUrl, { max: 2 })).toHaveLength(2);
  });

  it('moves every dead message back to its queue with body and attributes, and empties the dead-letter queue', async () => {
    const dlqUrl = await createQueue();
    const queueUrl = await createQueue();
    const bodies = Array.from({ length: 13 }, (_, index) => `message ${index}`);
    await send(dlqUrl, bodies);

    const report = await redriveDeadLetters(sqs, { dlqUrl, queueUrl });

    expect(report).toEqual({ moved: 13, notDeleted: [], failed: [] });
    expect(await depth(dlqUrl)).toBe(0);
    const moved = await listDeadLetters(sqs, queueUrl, { max: 20 });
    expect(moved.map((letter) => letter.body).sort()).toEqual([...bodies].sort());
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 1,
        MessageAttributeNames: ['All'],
      }),
    );
    expect(Messages[0]?.MessageAttributes?.kind?.StringValue).toBe(`kind of ${Messages[0]?.Body}`);
  });

  it('moves at most --max messages and leaves the rest', async () => {
    const dlqUrl = await createQueue();
    const queueUrl = await createQueue();
    await send(dlqUrl, ['a', 'b', 'c']);

    const report = await redriveDeadLetters(sqs, { dlqUrl, queueUrl, max: 2 });

    expect(report.moved).toBe(2);
    expect(await depth(dlqUrl)).toBe(1);
    expect(await depth(queueUrl)).toBe(2);
  });
});

describe('redriveDeadLetters when a message cannot be sent back', () => {
  const DLQ_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/tidemark-dlq';
  const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/tidemark-queue';
  const sqs = new SQSClient({ region: 'us-east-1' });
  const mock = mockClient(sqs);
  afterEach(() => mock.reset());

  it('deletes only what was sent, and gives the rest back to the dead-letter queue at once', async () => {
    mock
      .on(ReceiveMessageCommand)
      .resolvesOnce({
        Messages: [
          {
            MessageId: 'id-ok',
            ReceiptHandle: 'rh-ok',
            Body: 'fine',
            Attributes: { ApproximateReceiveCount: '3' },
          },
          { MessageId: 'id-bad', ReceiptHandle: 'rh-bad', Body: 'refused' },
        ],
      })
      .resolves({});
    mock.on(SendMessageBatchCommand).resolves({
      Successful: [{ Id: 'm0', MessageId: 'new-id', MD5OfMessageBody: 'x' }],
      Failed: [{ Id: 'm1', SenderFault: true, Code: 'InvalidMessageContents', Message: 'refused' }],
    });
    mock.on(DeleteMessageBatchCommand).resolves({ Successful: [{ Id: 'm0' }], Failed: [] });
    mock.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [{ Id: 'm0' }], Failed: [] });

    const report = await redriveDeadLetters(sqs, {
      dlqUrl: DLQ_URL,
      queueUrl: QUEUE_URL,
    });

    expect(report).toEqual({
      moved: 1,
      notDeleted: [],
      failed: [{ messageId: 'id-bad', code: 'InvalidMessageContents', message: 'refused' }],
    });
    expect(mock.commandCalls(DeleteMessageBatchCommand)[0]?.args[0].input).toEqual({
      QueueUrl: DLQ_URL,
      Entries: [{ Id: 'm0', ReceiptHandle: 'rh-ok' }],
    });
    expect(mock.commandCalls(ChangeMessageVisibilityBatchCommand)[0]?.args[0].input).toEqual({
      QueueUrl: DLQ_URL,
      Entries: [{ Id: 'm0', ReceiptHandle: 'rh-bad', VisibilityTimeout: 0 }],
    });
  });
});
