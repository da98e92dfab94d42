import type { Event, LookupEventsCommandInput, LookupEventsCommandOutput } from '@aws-sdk/client-cloudtrail';

/** One `LookupEvents` request (rate limiting is the caller's). */
export type LookupEvents = (input: LookupEventsCommandInput) => Promise<LookupEventsCommandOutput>;

/** An event of CloudTrail's event history that can be told apart from the others. */
export type HistoryEvent = Event & { readonly EventId: string; readonly EventTime: Date };

/** `LookupEvents` returns at most 50 events a page. */
const PAGE_SIZE = 50;

/**
 * The management events of mutating calls (`ReadOnly` = `false`) with an `eventTime` from `start` to `end`,
 * newest first as CloudTrail returns them, following every `NextToken`. Stops between pages when `signal`
 * aborts (throwing its reason).
 */
export async function lookupMutatingEvents(
  lookup: LookupEvents,
  start: Date,
  end: Date,
  signal?: AbortSignal,
): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let token: string | undefined;
  do {
    signal?.throwIfAborted();
    const page = await lookup({
      LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'false' }],
      StartTime: start,
      EndTime: end,
      MaxResults: PAGE_SIZE,
      ...(token ? { NextToken: token } : {}),
    });
    for (const event of page.Events ?? []) if (isIdentified(event)) events.push(event);
    token = page.NextToken;
  } while (token);
  return events;
}

function isIdentified(event: Event): event is HistoryEvent {
  return typeof event.EventId === 'string' && event.EventId !== '' && event.EventTime instanceof Date;
}
