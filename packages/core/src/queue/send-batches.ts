import { setTimeout as sleep } from 'node:timers/promises';
import {
  type MessageAttributeValue,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { errorCode, errorMessage } from '../aws/classify.js';

/** SendMessageBatch takes at most this many entries. */
export const SQS_BATCH_ENTRIES = 10;

/** Bytes of bodies and attributes per SendMessageBatch call: within the batch limit of every SQS region. */
const BATCH_BYTES = 256 * 1024;

/** One message to send. */
export interface OutgoingMessage {
  readonly body: string;
  readonly attributes?: Readonly<Record<string, MessageAttributeValue>>;
}

/** A message that could not be sent, by its position in the input. */
export interface SendFailure {
  readonly index: number;
  /** The SQS error code of the entry (`InternalError`, `InvalidMessageContents`) or of the whole call. */
  readonly code: string;
  readonly message: string;
}

/** What {@link sendInBatches} did, by positions in the input. */
export interface BatchSendResult {
  readonly sent: readonly number[];
  readonly failed: readonly SendFailure[];
}

/** Options of {@link sendInBatches}. */
export interface SendOptions {
  /** Tries per entry that fails on the service's side (`SenderFault: false`). @default 3 */
  readonly attempts?: number;
  /** Pause before retrying failed entries, multiplied by the attempt number. @default 200 */
  readonly retryDelayMs?: number;
}

/**
 * Sends messages with SendMessageBatch, 10 per call (fewer when their bodies are large), retrying the entries
 * SQS failed on its side; entries rejected as the sender's fault are not retried. Never throws for a failed
 * call: every message ends up either sent or in `failed`, so a caller can act on exactly what was sent.
 *
 * @example
 * const { sent, failed } = await sendInBatches(sqs, queueUrl, [{ body: '{"tidemark":"baseline-slice",…}' }]);
 */
export async function sendInBatches(
  sqs: SQSClient,
  queueUrl: string,
  messages: readonly OutgoingMessage[],
  options: SendOptions = {},
): Promise<BatchSendResult> {
  const { attempts = 3, retryDelayMs = 200 } = options;
  const sent: number[] = [];
  const failed: SendFailure[] = [];
  for (const chunk of chunks(messages)) {
    let pending = chunk;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const outcome = await sendOnce(sqs, queueUrl, pending, messages);
      sent.push(...outcome.sent);
      const retryable = outcome.failed.filter((failure) => failure.retryable && attempt < attempts);
      failed.push(...outcome.failed.filter((failure) => !retryable.includes(failure)).map(withoutFlag));
      pending = retryable.map((failure) => failure.index);
      if (pending.length > 0) await sleep(retryDelayMs * attempt);
    }
  }
  return { sent, failed };
}

type AttemptFailure = SendFailure & { readonly retryable: boolean };

async function sendOnce(
  sqs: SQSClient,
  queueUrl: string,
  indexes: readonly number[],
  messages: readonly OutgoingMessage[],
): Promise<{ sent: number[]; failed: AttemptFailure[] }> {
  const entries: SendMessageBatchRequestEntry[] = indexes.map((index) => ({
    Id: `m${index}`,
    MessageBody: messages[index]?.body,
    ...(messages[index]?.attributes ? { MessageAttributes: { ...messages[index].attributes } } : {}),
  }));
  try {
    const response = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
    return {
      sent: (response.Successful ?? []).map((entry) => indexOf(entry.Id)),
      failed: (response.Failed ?? []).map((entry) => ({
        index: indexOf(entry.Id),
        code: entry.Code ?? 'Unknown',
        message: entry.Message ?? '',
        retryable: entry.SenderFault !== true,
      })),
    };
  } catch (error) {
    // The SDK has already retried the call itself; what it could not send is reported, not retried again.
    const code = errorCode(error);
    const message = errorMessage(error);
    return { sent: [], failed: indexes.map((index) => ({ index, code, message, retryable: false })) };
  }
}

function indexOf(entryId: string | undefined): number {
  return Number((entryId ?? '').slice(1));
}

function withoutFlag({ retryable: _retryable, ...failure }: AttemptFailure): SendFailure {
  return failure;
}

/** Groups positions into calls of at most 10 entries and about {@link BATCH_BYTES} bytes. */
function chunks(messages: readonly OutgoingMessage[]): number[][] {
  const groups: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  for (const [index, message] of messages.entries()) {
    const size = messageBytes(message);
    if (current.length === SQS_BATCH_ENTRIES || (current.length > 0 && bytes + size > BATCH_BYTES)) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(index);
    bytes += size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

function messageBytes(message: OutgoingMessage): number {
  let bytes = Buffer.byteLength(message.body);
  for (const [name, value] of Object.entries(message.attributes ?? {})) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value.DataType ?? '');
    bytes += Buffer.byteLength(value.StringValue ?? '') + (value.BinaryValue?.byteLength ?? 0);
  }
  return bytes;
}
