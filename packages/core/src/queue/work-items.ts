import type { SQSClient } from '@aws-sdk/client-sqs';
import type { WorkItem } from '../pipeline/work-item.js';
import { sendInBatches } from './send-batches.js';

/** A work item that could not be sent, with SQS's reason. */
export interface UnsentWorkItem {
  readonly item: WorkItem;
  readonly code: string;
  readonly message: string;
}

/** What {@link sendWorkItems} did. */
export interface WorkItemSendReport {
  readonly sent: number;
  readonly unsent: readonly UnsentWorkItem[];
}

/**
 * Puts work items on the queue as JSON messages, 10 per SendMessageBatch call, retrying entries SQS failed on
 * its side. Reports what could not be sent instead of throwing.
 *
 * @example
 * const { unsent } = await sendWorkItems(clients.sqs('eu-west-1'), queueUrl, await startScheduledBaseline(store, { regions }));
 */
export async function sendWorkItems(
  sqs: SQSClient,
  queueUrl: string,
  items: readonly WorkItem[],
): Promise<WorkItemSendReport> {
  const result = await sendInBatches(
    sqs,
    queueUrl,
    items.map((item) => ({ body: JSON.stringify(item) })),
  );
  return {
    sent: result.sent.length,
    unsent: result.failed.map(({ index, code, message }) => ({
      item: items[index] as WorkItem,
      code,
      message,
    })),
  };
}
