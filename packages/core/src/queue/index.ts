/** `@tidemark/core/queue`: the pipeline's SQS messages: consuming them, dead letters, sending work items. */
export {
  type IngestMessagesResult,
  ingestMessages,
  type MessageResult,
  type ReceivedMessage,
} from './consume.js';
export {
  type DeadLetter,
  listDeadLetters,
  type RedriveFailure,
  type RedriveReport,
  redriveDeadLetters,
} from './dead-letters.js';
export {
  type MessageSummary,
  type QueueMessage,
  readQueueMessage,
  summariseMessage,
} from './messages.js';
export { queueRegion } from './queue-url.js';
export { sendWorkItems, type UnsentWorkItem, type WorkItemSendReport } from './work-items.js';
