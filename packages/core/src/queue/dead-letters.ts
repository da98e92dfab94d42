import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { type SendFailure, SQS_BATCH_ENTRIES, sendInBatches } from './send-batches.js';

/** Seconds a peeked message stays hidden if the peek cannot give it back (a crash between the two calls). */
const PEEK_VISIBILITY_SECONDS = 20;
/** Seconds a message being redriven stays hidden: long enough to send it on and delete it. */
const REDRIVE_VISIBILITY_SECONDS = 120;
/** Long-poll wait of each receive, so an empty answer means an empty queue rather than a sampled miss. */
const RECEIVE_WAIT_SECONDS = 1;

/** One message of a dead-letter queue. */
export interface DeadLetter {
  readonly messageId: string;
  readonly body: string;
  /** When the message was first sent (`SentTimestamp`), ISO 8601. */
  readonly sentAt?: string;
  /** `ApproximateReceiveCount`: receives by the consumer before it was dead-lettered, plus peeks. */
  readonly receiveCount?: number;
}

/** A message that could not be redriven; it stays in the dead-letter queue. */
export interface RedriveFailure {
  readonly messageId: string;
  readonly code: string;
  readonly message: string;
}

/** What {@link redriveDeadLetters} did. */
export interface RedriveReport {
  /** Messages sent back to the source queue and deleted from the dead-letter queue. */
  readonly moved: number;
  /** Messages sent back but not deleted: they will be delivered again from both queues (at least once). */
  readonly notDeleted: readonly RedriveFailure[];
  /** Messages that could not be sent back: still in the dead-letter queue. */
  readonly failed: readonly RedriveFailure[];
}

/**
 * Peeks at up to `max` messages of a dead-letter queue without removing them: each is received with a short
 * visibility timeout and made visible again at once (ChangeMessageVisibility to 0).
 *
 * @example
 * for (const letter of await listDeadLetters(clients.sqs('eu-west-1'), dlqUrl, { max: 20 }))
 *   console.log(letter.messageId, letter.receiveCount);
 */
export async function listDeadLetters(
  sqs: SQSClient,
  dlqUrl: string,
  options: { readonly max?: number } = {},
): Promise<DeadLetter[]> {
  const messages = await receiveUpTo(sqs, dlqUrl, options.max ?? 100, PEEK_VISIBILITY_SECONDS);
  await makeVisible(sqs, dlqUrl, messages);
  return messages.map(deadLetter);
}

/**
 * Moves up to `max` (default: all) messages of a dead-letter queue back to its source queue: receive, send to
 * the queue with the same body and attributes, then delete from the dead-letter queue only what was sent. A
 * message is never lost: one that could not be sent is made visible again in the dead-letter queue.
 *
 * @example
 * const { moved, failed } = await redriveDeadLetters(sqs, { dlqUrl, queueUrl });
 */
export async function redriveDeadLetters(
  sqs: SQSClient,
  options: { readonly dlqUrl: string; readonly queueUrl: string; readonly max?: number },
): Promise<RedriveReport> {
  const { dlqUrl, queueUrl, max = Number.POSITIVE_INFINITY } = options;
  let moved = 0;
  const notDeleted: RedriveFailure[] = [];
  const failed: RedriveFailure[] = [];
  while (moved + notDeleted.length < max) {
    const wanted = Math.min(max - moved - notDeleted.length, SQS_BATCH_ENTRIES);
    const messages = await receiveBatch(sqs, dlqUrl, wanted, REDRIVE_VISIBILITY_SECONDS);
    if (messages.length === 0) break;
    const result = await sendInBatches(
      sqs,
      queueUrl,
      messages.map((message) => ({
        body: message.Body ?? '',
        ...(message.MessageAttributes ? { attributes: message.MessageAttributes } : {}),
      })),
    );
    const sent = result.sent.map((index) => messages[index] as Message);
    const undeleted = await deleteMessages(sqs, dlqUrl, sent);
    notDeleted.push(...undeleted);
    moved += sent.length - undeleted.length;
    if (result.failed.length > 0) {
      // Given back to the dead-letter queue; stop rather than receive them again in this run.
      failed.push(...result.failed.map((failure) => redriveFailure(messages[failure.index], failure)));
      await makeVisible(
        sqs,
        dlqUrl,
        result.failed.map((failure) => messages[failure.index] as Message),
      );
      break;
    }
  }
  return { moved, notDeleted, failed };
}

/** Receives until `max` distinct messages or an empty answer, each hidden for `visibilitySeconds`. */
async function receiveUpTo(
  sqs: SQSClient,
  queueUrl: string,
  max: number,
  visibilitySeconds: number,
): Promise<Message[]> {
  const byId = new Map<string, Message>();
  while (byId.size < max) {
    const messages = await receiveBatch(sqs, queueUrl, max - byId.size, visibilitySeconds);
    if (messages.length === 0) break;
    for (const message of messages) if (message.MessageId) byId.set(message.MessageId, message);
  }
  return [...byId.values()];
}

/** One ReceiveMessage call for up to `count` (at most 10) messages, with their attributes. */
async function receiveBatch(
  sqs: SQSClient,
  queueUrl: string,
  count: number,
  visibilitySeconds: number,
): Promise<Message[]> {
  const response = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: Math.min(SQS_BATCH_ENTRIES, count),
      VisibilityTimeout: visibilitySeconds,
      WaitTimeSeconds: RECEIVE_WAIT_SECONDS,
      MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
      MessageAttributeNames: ['All'],
    }),
  );
  return response.Messages ?? [];
}

/** Makes received messages visible again at once. One that cannot be reappears when its timeout ends. */
async function makeVisible(sqs: SQSClient, queueUrl: string, messages: readonly Message[]): Promise<void> {
  for (const batch of inBatches(messages)) {
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((message, index) => ({
          Id: `m${index}`,
          ReceiptHandle: message.ReceiptHandle,
          VisibilityTimeout: 0,
        })),
      }),
    );
  }
}

/** Deletes received messages; returns those SQS did not delete. */
async function deleteMessages(
  sqs: SQSClient,
  queueUrl: string,
  messages: readonly Message[],
): Promise<RedriveFailure[]> {
  const undeleted: RedriveFailure[] = [];
  for (const batch of inBatches(messages)) {
    const response = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((message, index) => ({ Id: `m${index}`, ReceiptHandle: message.ReceiptHandle })),
      }),
    );
    for (const entry of response.Failed ?? []) {
      const message = batch[Number((entry.Id ?? '').slice(1))];
      undeleted.push({
        messageId: message?.MessageId ?? '',
        code: entry.Code ?? 'Unknown',
        message: entry.Message ?? '',
      });
    }
  }
  return undeleted;
}

function inBatches<T>(items: readonly T[]): T[][] {
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += SQS_BATCH_ENTRIES)
    batches.push(items.slice(start, start + SQS_BATCH_ENTRIES));
  return batches;
}

function deadLetter(message: Message): DeadLetter {
  const sent = Number(message.Attributes?.SentTimestamp);
  const receives = Number(message.Attributes?.ApproximateReceiveCount);
  return {
    messageId: message.MessageId ?? '',
    body: message.Body ?? '',
    ...(Number.isFinite(sent) ? { sentAt: new Date(sent).toISOString() } : {}),
    ...(Number.isFinite(receives) ? { receiveCount: receives } : {}),
  };
}

function redriveFailure(message: Message | undefined, failure: SendFailure): RedriveFailure {
  return { messageId: message?.MessageId ?? '', code: failure.code, message: failure.message };
}
