import pLimit from 'p-limit';
import { coalesce, mapEvents } from '../events/map.js';
import { parseEventInput } from '../events/parse.js';
import { type ChangeEvent, type MappedEvent, SkipReason } from '../events/types.js';
import type { ResourceRef } from '../types/resource.js';
import type { CaptureEngine } from './engine.js';
import type { CaptureOutcome } from './outcome.js';
import { type CaptureFailure, Tally, type TypeTally } from './tally.js';

/** One input document: a file's text, a message body. */
export interface IngestInput {
  readonly text: string;
  /** Where it came from, for messages (`events.ndjson`, `sqs:<message id>`). */
  readonly origin: string;
}

/** What capturing one resource from events did. Stable shape (`tidemark ingest --json`). */
export interface IngestedCapture {
  readonly resource: ResourceRef;
  readonly status: CaptureOutcome['status'];
  readonly seq?: number;
  readonly version?: string;
  readonly deleted?: boolean;
  readonly error?: string;
}

/** What an ingest did. Stable shape (`tidemark ingest --json`). */
export interface IngestReport {
  /** Every input event with what it mapped to, or why it was skipped. */
  readonly events: readonly MappedEvent[];
  /** One entry per distinct resource the events named. */
  readonly captures: readonly IngestedCapture[];
  readonly byType: Readonly<Record<string, TypeTally>>;
  readonly gaps: Tally['gaps'];
  readonly failures: readonly CaptureFailure[];
}

/** Options of {@link ingestEvents} and {@link ingestChanges}. */
export interface IngestOptions {
  /** How many resources are captured at once. @default 16 */
  readonly concurrency?: number;
}

/**
 * Captures again only the resources that events touched: parses every input (bad input is skipped with its
 * reason), then as {@link ingestChanges}. Never throws for bad input; one failed capture does not stop the others.
 *
 * @example
 * const report = await ingestEvents(engine, [{ text: body, origin: `sqs:${messageId}` }]);
 */
export function ingestEvents(
  engine: CaptureEngine,
  inputs: readonly IngestInput[],
  options: IngestOptions = {},
): Promise<IngestReport> {
  const parsed = inputs.flatMap((input) => parseEventInput(input.text, input.origin));
  return ingestChanges(engine, parsed, options);
}

/**
 * Captures again only the resources that parsed events touched (what `parseEventInput` read, for a caller that
 * looks at the input before opening anything): maps them through the registry, coalesces duplicates, and runs
 * each resource through the capture engine. One failed capture does not stop the others.
 *
 * @example
 * const events = parseEventInput(text, 'events.ndjson');
 * const report = await ingestChanges(engine, events);
 */
export async function ingestChanges(
  engine: CaptureEngine,
  parsed: readonly ChangeEvent[],
  options: IngestOptions = {},
): Promise<IngestReport> {
  const events = mapEvents(parsed, engine.registry, { defaultAccount: engine.account }).map((event) =>
    restrictToEngine(engine, event),
  );
  const tally = new Tally();
  const limit = pLimit(options.concurrency ?? 16);
  const captures = await Promise.all(
    coalesce(events).map(({ resource, cause, parts }) =>
      limit(async () => {
        const outcome = await engine.capture(resource, cause, parts ? { parts } : {});
        tally.add(outcome);
        return summarise(outcome);
      }),
    ),
  );
  return { events, captures, byType: tally.byType, gaps: tally.gaps, failures: tally.failures };
}

/** Drops resources of other accounts and resources outside the user's selection, saying why. */
function restrictToEngine(engine: CaptureEngine, event: MappedEvent): MappedEvent {
  if (event.resources.length === 0) return event;
  const otherAccount = event.resources.filter((resource) => resource.account !== engine.account);
  const unselected = event.resources.filter((resource) => {
    const definition = engine.definition(resource.type);
    return definition.selected ? !definition.selected(engine.context, resource.id) : false;
  });
  const resources = event.resources.filter((r) => !otherAccount.includes(r) && !unselected.includes(r));
  if (resources.length > 0) return { ...event, resources };
  const [first] = otherAccount;
  return {
    ...event,
    resources: [],
    skipped: first
      ? {
          reason: SkipReason.OTHER_ACCOUNT,
          detail: `the event is from account ${first.account}; the credentials are for ${engine.account}`,
        }
      : {
          reason: SkipReason.NOT_SELECTED,
          detail: `${unselected.map((r) => r.id).join(', ')} is not selected for capture`,
        },
  };
}

function summarise(outcome: CaptureOutcome): IngestedCapture {
  const version =
    outcome.status === 'appended' || outcome.status === 'unchanged' ? outcome.version : undefined;
  return {
    resource: outcome.resource,
    status: outcome.status,
    ...(version ? { seq: version.record.seq, version: version.hash, deleted: version.record.deleted } : {}),
    ...(outcome.status === 'failed' ? { error: outcome.error } : {}),
    ...(outcome.status === 'gap' ? { error: `${outcome.gap.code}: ${outcome.gap.message}` } : {}),
  };
}
