import type { IngestedCapture, IngestReport } from '../capture/ingest.js';
import type { CaptureOutcome } from '../capture/outcome.js';
import type { CaptureFailure } from '../capture/tally.js';
import type { EventCause } from '../events/types.js';
import type { Gap } from '../types/resource.js';

/** One resource captured again because events named it. Stable shape (a `tidemark watch --json` line). */
export interface WatchedCapture extends IngestedCapture {
  readonly kind: 'capture';
  /** The region whose event history named the resource. */
  readonly region: string;
  /** The latest event that named it; `coalesced` counts the events of the same batch that did. */
  readonly cause: EventCause;
}

/** One lookup of a region's event history. Stable shape (a `tidemark watch --json` line). */
export interface WatchedPoll {
  readonly kind: 'poll';
  readonly region: string;
  /** `StartTime` and `EndTime` of the lookup. */
  readonly from: string;
  readonly through: string;
  /** Mutating events CloudTrail returned. */
  readonly events: number;
  /** Of those, events not processed before. */
  readonly fresh: number;
  /** False when stopped before every fresh event was processed; the checkpoint keeps what was. */
  readonly complete: boolean;
}

/** A lookup that failed; the region is read again at the next poll. Stable shape. */
export interface WatchedLookupError {
  readonly kind: 'lookup-error';
  readonly region: string;
  /** The AWS error code and message. */
  readonly error: string;
}

/** What `watch` reports while it runs. */
export type WatchProgress = WatchedCapture | WatchedPoll | WatchedLookupError;

/** What a `watch` run did, from start to stop. Stable shape (the last `tidemark watch --json` line). */
export interface WatchSummary {
  readonly account: string;
  readonly regions: readonly string[];
  /** Polls of every region. */
  readonly polls: number;
  /** Events processed (each once, however often CloudTrail returned it). */
  readonly events: number;
  /** Of those, events that name nothing to capture (other services, unselected resources…). */
  readonly skipped: number;
  /** Resource captures by outcome. */
  readonly captures: Readonly<Record<CaptureOutcome['status'], number>>;
  readonly gaps: readonly Gap[];
  readonly failures: readonly CaptureFailure[];
  readonly lookupErrors: readonly WatchedLookupError[];
  /** Why it stopped: after one poll (`once`) or when told to (`signal`). */
  readonly stopped: 'once' | 'signal';
}

/** Accumulates what the region pollers of one run did. */
export class WatchTally {
  polls = 0;
  events = 0;
  skipped = 0;
  readonly captures: Record<CaptureOutcome['status'], number> = {
    appended: 0,
    unchanged: 0,
    absent: 0,
    gap: 0,
    failed: 0,
  };
  readonly gaps: Gap[] = [];
  readonly failures: CaptureFailure[] = [];
  readonly lookupErrors: WatchedLookupError[] = [];

  /** Adds what one batch of events did. */
  addBatch(report: IngestReport): void {
    this.events += report.events.length;
    this.skipped += report.events.filter((event) => event.skipped).length;
    for (const capture of report.captures) this.captures[capture.status]++;
    this.gaps.push(...report.gaps);
    this.failures.push(...report.failures);
  }
}
