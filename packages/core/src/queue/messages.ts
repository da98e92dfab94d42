import { InputError } from '../errors.js';
import { mapEvents } from '../events/map.js';
import { parseEventInput } from '../events/parse.js';
import { type MappedEvent, SkipReason } from '../events/types.js';
import { parseWorkItem, type WorkItem } from '../pipeline/work-item.js';

/** What the body of a message on Tidemark's queue holds. */
export type QueueMessage =
  /** A piece of a scheduled baseline. */
  | { readonly kind: 'work-item'; readonly item: WorkItem }
  /** A body that claims to be a work item but is not a valid one. */
  | { readonly kind: 'invalid-work-item'; readonly reason: string }
  /** Anything else: change events in any shape `parseEventInput` reads, or text that is not readable at all. */
  | { readonly kind: 'events'; readonly text: string };

/** What a message holds, for people: its work item, what its events map to, or why it cannot be read. */
export type MessageSummary =
  | { readonly kind: 'work-item'; readonly item: WorkItem }
  | { readonly kind: 'events'; readonly events: readonly MappedEvent[] }
  | { readonly kind: 'unparseable'; readonly reason: string };

/**
 * Tells a work item from change events. Pure; never throws for bad input.
 *
 * @example
 * readQueueMessage('{"tidemark":"baseline-slice",…}').kind; // 'work-item'
 */
export function readQueueMessage(body: string): QueueMessage {
  try {
    const item = parseWorkItem(body);
    return item ? { kind: 'work-item', item } : { kind: 'events', text: body };
  } catch (error) {
    if (error instanceof InputError) return { kind: 'invalid-work-item', reason: error.message };
    throw error;
  }
}

/**
 * Why the events read from one message cannot be processed: it holds none, or a part of it is not readable
 * (not JSON, or JSON in none of the accepted shapes). `undefined` when every event could be read, including
 * those that map to nothing for a reason of their own (a read-only call, another account).
 */
export function unreadableReason(events: readonly MappedEvent[]): string | undefined {
  if (events.length === 0) return 'the message holds no event';
  return events.find((event) => event.skipped?.reason === SkipReason.MALFORMED)?.skipped?.detail;
}

/**
 * What a message holds, for `tidemark dlq list`: its work item, its events mapped to resources, or why it
 * cannot be read. Pure: calls no AWS API.
 */
export function summariseMessage(body: string, origin: string): MessageSummary {
  const message = readQueueMessage(body);
  if (message.kind === 'work-item') return message;
  if (message.kind === 'invalid-work-item') return { kind: 'unparseable', reason: message.reason };
  const events = mapEvents(parseEventInput(message.text, origin));
  const reason = unreadableReason(events);
  return reason === undefined ? { kind: 'events', events } : { kind: 'unparseable', reason };
}
