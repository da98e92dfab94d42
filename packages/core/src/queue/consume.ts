import type { CaptureEngine } from '../capture/engine.js';
import { type IngestedCapture, type IngestReport, ingestEvents } from '../capture/ingest.js';
import { GapKind } from '../constants.js';
import type { MappedEvent } from '../events/types.js';
import { resourceKey } from '../store/layout.js';
import type { Gap, ResourceRef } from '../types/resource.js';
import { unreadableReason } from './messages.js';

/** One message of a batch of change events, as received from the queue. */
export interface ReceivedMessage {
  readonly messageId: string;
  readonly body: string;
}

/** What became of one message. */
export interface MessageResult {
  readonly messageId: string;
  /** Every event the message held, with what it mapped to or why it was skipped. */
  readonly events: readonly MappedEvent[];
  /** The captures of the resources its events named (shared with other messages naming them). */
  readonly captures: readonly IngestedCapture[];
  /**
   * Why the message must be received again (and, after enough receives, dead-lettered): it cannot be read,
   * or a capture it asked for failed after retries. Absent when it is done.
   */
  readonly failure?: string;
}

/** What {@link ingestMessages} did: the ingest as a whole, and each message's part in it. */
export interface IngestMessagesResult {
  readonly report: IngestReport;
  /** One per message, in the order given. */
  readonly results: readonly MessageResult[];
}

/**
 * Captures again what a batch of queue messages touched, once per resource for the whole batch (duplicates
 * and replays in it cost one describe and append nothing when nothing changed), and judges each message on
 * its own: it fails only when it cannot be read or a capture it asked for failed; a denied read is a
 * recorded gap, and an event that maps to nothing is skipped, both done.
 *
 * @example
 * const { results } = await ingestMessages(engine, records.map(({ messageId, body }) => ({ messageId, body })));
 * const retry = results.filter((result) => result.failure);
 */
export async function ingestMessages(
  engine: CaptureEngine,
  messages: readonly ReceivedMessage[],
): Promise<IngestMessagesResult> {
  const report = await ingestEvents(
    engine,
    messages.map((message) => ({ text: message.body, origin: originOf(message.messageId) })),
  );
  const captures = new Map(report.captures.map((capture) => [resourceKey(capture.resource), capture]));
  const unreadParts = new Map(
    report.gaps.filter((gap) => gap.kind === GapKind.ERROR).map((gap) => [gapKey(gap), gap]),
  );
  const results = messages.map((message): MessageResult => {
    const prefix = `${originOf(message.messageId)}#`;
    const events = report.events.filter((event) => event.source.startsWith(prefix));
    const keys = new Set(events.flatMap((event) => event.resources.map(resourceKey)));
    const mine = [...keys].flatMap((key) => captures.get(key) ?? []);
    const failure = unreadableReason(events) ?? captureFailure(mine, unreadParts);
    return { messageId: message.messageId, events, captures: mine, ...(failure ? { failure } : {}) };
  });
  return { report, results };
}

function originOf(messageId: string): string {
  return `sqs:${messageId}`;
}

function gapKey(gap: Pick<Gap, 'type' | 'region' | 'id'>): string {
  return JSON.stringify([gap.type, gap.region, gap.id]);
}

/** The first capture that failed or could not read its resource for a reason other than a denial. */
function captureFailure(
  captures: readonly IngestedCapture[],
  unreadParts: Map<string, Gap>,
): string | undefined {
  for (const { resource, status, error } of captures) {
    const name = describeResource(resource);
    if (status === 'failed') return `capturing ${name} failed: ${error}`;
    const gap = unreadParts.get(gapKey(resource));
    if (gap) return `${name} could not be read (${gap.operation}: ${gap.code})`;
  }
  return undefined;
}

function describeResource(resource: ResourceRef): string {
  return `${resource.type} ${resource.id} (${resource.region})`;
}
