import {
  CreateQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type SqsServer, startSqsServer } from '../../../test/support/sqs-server.js';
import { sendInBatches } from '../src/queue/send-batches.js';

const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/tidemark-queue';

describe('sendInBatches against an SQS-protocol server', () => {
  let server: SqsServer;
  let sqs: SQSClient;
  let queueUrl: string;

  beforeAll(async () => {
    server = await startSqsServer();
    sqs = new SQSClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'sends' }))).QueueUrl as string;
  });
  afterAll(() => server.stop());

  it('delivers every message, more than one batch of ten, bodies and attributes intact', async () => {
    const messages = Array.from({ length: 23 }, (_, index) => ({
      body: JSON.stringify({ n: index }),
      attributes: { origin: { DataType: 'String', StringValue: `test-${index}` } },
    }));

    const result = await sendInBatches(sqs, queueUrl, messages);

    expect(result.failed).toEqual([]);
    expect([...result.sent].sort((a, b) => a - b)).toEqual(messages.map((_, index) => index));
    const received = await receiveAll(sqs, queueUrl);
    expect(received.map((message) => JSON.parse(message.Body ?? '').n).sort((a, b) => a - b)).toEqual(
      messages.map((_, index) => index),
    );
    expect(received[0]?.MessageAttributes?.origin?.StringValue).toMatch(/^test-\d+$/);
  });
});

describe('sendInBatches when SQS fails entries', () => {
  const sqs = new SQSClient({ region: 'us-east-1' });
  const mock = mockClient(sqs);
  afterEach(() => mock.reset());

  it('retries entries SQS failed on its side and reports those rejected as the sender fault', async () => {
    mock
      .on(SendMessageBatchCommand)
      .resolvesOnce({
        Successful: [{ Id: 'm0', MessageId: 'id-0', MD5OfMessageBody: 'x' }],
        Failed: [
          { Id: 'm1', SenderFault: false, Code: 'InternalError', Message: 'try again' },
          { Id: 'm2', SenderFault: true, Code: 'InvalidMessageContents', Message: 'bad character' },
        ],
      })
      .resolvesOnce({ Successful: [{ Id: 'm1', MessageId: 'id-1', MD5OfMessageBody: 'x' }], Failed: [] });

    const result = await sendInBatches(sqs, QUEUE_URL, [{ body: 'a' }, { body: 'b' }, { body: '\u0000' }], {
      retryDelayMs: 1,
    });

    expect(result.sent).toEqual([0, 1]);
    expect(result.failed).toEqual([{ index: 2, code: 'InvalidMessageContents', message: 'bad character' }]);
    const retried = mock.commandCalls(SendMessageBatchCommand)[1]?.args[0].input.Entries;
    expect(retried?.map((entry: { MessageBody?: string }) => entry.MessageBody)).toEqual(['b']);
  });

  it('gives up on an entry that keeps failing, and on a whole call that fails, without throwing', async () => {
    mock
      .on(SendMessageBatchCommand)
      .resolves({ Successful: [], Failed: [{ Id: 'm0', SenderFault: false, Code: 'ServiceUnavailable' }] });

    const flaky = await sendInBatches(sqs, QUEUE_URL, [{ body: 'a' }], { attempts: 2, retryDelayMs: 1 });

    expect(flaky).toEqual({ sent: [], failed: [{ index: 0, code: 'ServiceUnavailable', message: '' }] });
    expect(mock.commandCalls(SendMessageBatchCommand)).toHaveLength(2);

    mock.reset();
    mock
      .on(SendMessageBatchCommand)
      .rejects(Object.assign(new Error('queue gone'), { name: 'QueueDoesNotExist' }));
    const gone = await sendInBatches(sqs, QUEUE_URL, [{ body: 'a' }, { body: 'b' }]);
    expect(gone.failed.map((failure) => failure.code)).toEqual(['QueueDoesNotExist', 'QueueDoesNotExist']);
  });

  it('splits large bodies over more calls so no call exceeds the batch size limit', async () => {
    mock.on(SendMessageBatchCommand).callsFake((input: { Entries: Array<{ Id: string }> }) => ({
      Successful: input.Entries.map((entry) => ({
        Id: entry.Id,
        MessageId: entry.Id,
        MD5OfMessageBody: 'x',
      })),
    }));
    const large = 'x'.repeat(100 * 1024);

    const result = await sendInBatches(
      sqs,
      QUEUE_URL,
      Array.from({ length: 5 }, () => ({ body: large })),
    );

    expect(result.sent).toHaveLength(5);
    for (const call of mock.commandCalls(SendMessageBatchCommand)) {
      const bytes = (call.args[0].input.Entries ?? []).reduce(
        (sum: number, entry: { MessageBody?: string }) => sum + (entry.MessageBody?.length ?? 0),
        0,
      );
      expect(bytes).toBeLessThanOrEqual(256 * 1024);
    }
    expect(mock.commandCalls(SendMessageBatchCommand).length).toBeGreaterThan(1);
  });
});

async function receiveAll(sqs: SQSClient, queueUrl: string) {
  const messages = [];
  while (true) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return messages;
    messages.push(...Messages);
  }
}
