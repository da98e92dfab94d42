import { errorCode, errorMessage } from '../aws/classify.js';
import type { CaptureEngine } from '../capture/engine.js';
import { ingestEvents } from '../capture/ingest.js';
import { coalesce } from '../events/map.js';
import type { EventCause } from '../events/types.js';
import { resourceKey } from '../store/layout.js';
import {
  advanceCheckpoint,
  checkpointName,
  freshCheckpoint,
  markSeen,
  readWatchCheckpoint,
  type SeenEvent,
  type WatchCheckpoint,
  writeWatchCheckpoint,
} from './checkpoint.js';
import { type HistoryEvent, type LookupEvents, lookupMutatingEvents } from './lookup.js';
import type { WatchedRegion } from './regions.js';
import type { WatchProgress, WatchTally } from './report.js';

/** Events captured together: one `ingestEvents` call, then a checkpoint. */
const BATCH_SIZE = 50;

/** Everything a region poller works with. */
export interface RegionPollerOptions {
  readonly engine: CaptureEngine;
  readonly watched: WatchedRegion;
  /** `LookupEvents` in this region, rate limited. */
  readonly lookup: LookupEvents;
  /** Where to start when no checkpoint is saved, or always with `ignoreCheckpoint`. */
  readonly start: Date;
  readonly ignoreCheckpoint: boolean;
  /** How far back each lookup reaches before the previous one's end, for events delivered late. */
  readonly overlapMs: number;
  readonly now: () => Date;
  /** Stops between batches of events: the batch in flight finishes and is checkpointed. */
  readonly signal: AbortSignal;
  readonly tally: WatchTally;
  readonly onProgress: (progress: WatchProgress) => void;
}

/**
 * Reads one region's CloudTrail event history and captures what it names: each poll looks up the mutating
 * events since the checkpoint (minus an overlap, for events CloudTrail delivers late), skips those already
 * processed, captures the rest oldest first in batches through the capture engine, and saves the checkpoint
 * after every batch, so a restart neither misses nor repeats an event.
 */
export class RegionPoller {
  readonly #options: RegionPollerOptions;
  readonly #name: string;
  #checkpoint: WatchCheckpoint | undefined;

  constructor(options: RegionPollerOptions) {
    this.#options = options;
    this.#name = checkpointName(options.engine.account, options.watched.region);
  }

  /** One lookup and the captures it leads to. A failed lookup is reported, not thrown. */
  async poll(): Promise<void> {
    const { region } = this.#options.watched;
    let checkpoint = this.#checkpoint ?? (await this.#initialCheckpoint());
    const from = new Date(checkpoint.from);
    const through = this.#options.now();
    if (from >= through) return;
    const events = await this.#lookup(from, through);
    if (!events) return;
    const fresh = events
      .filter((event) => !Object.hasOwn(checkpoint.seen, event.EventId) && this.#keeps(event))
      .reverse()
      .sort((a, b) => a.EventTime.getTime() - b.EventTime.getTime());
    let processed = 0;
    let holdAt: Date | undefined;
    while (processed < fresh.length && !this.#options.signal.aborted) {
      const batch = fresh.slice(processed, processed + BATCH_SIZE);
      const { done, failedAt } = await this.#capture(batch);
      checkpoint = await this.#save(markSeen(checkpoint, done));
      if (failedAt && (!holdAt || failedAt < holdAt)) holdAt = failedAt;
      processed += batch.length;
    }
    const complete = processed === fresh.length;
    if (complete) await this.#save(advanceCheckpoint(checkpoint, through, this.#options.overlapMs, holdAt));
    this.#options.onProgress({
      kind: 'poll',
      region,
      from: from.toISOString(),
      through: through.toISOString(),
      events: events.length,
      fresh: fresh.length,
      complete,
    });
  }

  async #save(checkpoint: WatchCheckpoint): Promise<WatchCheckpoint> {
    await writeWatchCheckpoint(this.#options.engine.store, this.#name, checkpoint);
    this.#checkpoint = checkpoint;
    return checkpoint;
  }

  /** The saved checkpoint; or, without one (or told to ignore it), a new one at `start`, saved at once. */
  async #initialCheckpoint(): Promise<WatchCheckpoint> {
    const { engine, start, ignoreCheckpoint } = this.#options;
    const saved = ignoreCheckpoint ? undefined : await readWatchCheckpoint(engine.store, this.#name);
    if (saved) {
      this.#checkpoint = saved;
      return saved;
    }
    return this.#save(freshCheckpoint(start));
  }

  /** The events of the window, or `undefined` when the lookup failed (reported) or was stopped. */
  async #lookup(from: Date, through: Date): Promise<HistoryEvent[] | undefined> {
    const { lookup, signal, watched, tally, onProgress } = this.#options;
    try {
      return await lookupMutatingEvents(lookup, from, through, signal);
    } catch (error) {
      if (signal.aborted) return undefined;
      const failure = {
        kind: 'lookup-error',
        region: watched.region,
        error: `${errorCode(error)}: ${errorMessage(error)}`,
      } as const;
      tally.lookupErrors.push(failure);
      onProgress(failure);
      return undefined;
    }
  }

  /** Whether an event is this poller's to process (a region read for global services keeps only theirs). */
  #keeps(event: HistoryEvent): boolean {
    const sources = this.#options.watched.eventSources;
    return !sources || (event.EventSource !== undefined && sources.has(event.EventSource));
  }

  /**
   * Captures a batch and reports each capture. Returns the events whose captures all succeeded, and the time
   * of the earliest event whose capture failed (to be tried again), if any.
   */
  async #capture(batch: readonly HistoryEvent[]): Promise<{ done: SeenEvent[]; failedAt?: Date }> {
    const { engine, watched, tally, onProgress } = this.#options;
    const report = await ingestEvents(
      engine,
      batch.map((event) => ({
        text: event.CloudTrailEvent ?? '',
        origin: `${watched.region}/${event.EventId}`,
      })),
    );
    tally.addBatch(report);
    const causes = new Map<string, EventCause>(
      coalesce(report.events).map((change) => [resourceKey(change.resource), change.cause]),
    );
    const failed = new Set<string>();
    for (const capture of report.captures) {
      const key = resourceKey(capture.resource);
      if (capture.status === 'failed') failed.add(key);
      const cause = causes.get(key);
      if (cause) onProgress({ kind: 'capture', region: watched.region, cause, ...capture });
    }
    const failedIds = new Set(
      report.events
        .filter((event) => event.resources.some((resource) => failed.has(resourceKey(resource))))
        .map((event) => event.cause?.eventId),
    );
    const done = batch
      .filter((event) => !failedIds.has(event.EventId))
      .map((event) => ({ id: event.EventId, time: event.EventTime }));
    const failedAt = batch.find((event) => failedIds.has(event.EventId))?.EventTime;
    return failedAt ? { done, failedAt } : { done };
  }
}
