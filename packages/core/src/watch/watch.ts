import { setTimeout as sleep } from 'node:timers/promises';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { CaptureEngine } from '../capture/engine.js';
import type { LookupEvents } from './lookup.js';
import { RegionPoller } from './poller.js';
import { LOOKUP_EVENTS_RATE, type RequestRate, rateLimited } from './rate-limit.js';
import { watchedRegions } from './regions.js';
import { type WatchProgress, type WatchSummary, WatchTally } from './report.js';

/** Defaults of {@link watchCloudTrail}. */
export const WATCH_DEFAULTS = {
  /** Time between polls. */
  intervalMs: 30_000,
  /** How far back a region without a checkpoint starts. */
  sinceMs: 15 * 60_000,
  /** How far before the previous lookup's end the next one starts: CloudTrail delivers events minutes late. */
  overlapMs: 15 * 60_000,
} as const;

/** What to watch and how. */
export interface WatchOptions {
  /** Regions selected for capture; us-east-1 is read too for global services (see `watchedRegions`). */
  readonly regions: readonly string[];
  /** Where a region without a saved checkpoint starts. @default `WATCH_DEFAULTS.sinceMs` before the first poll */
  readonly start?: Date;
  /** Start every region here, ignoring saved checkpoints (a corrupt one, or to read again). */
  readonly from?: Date;
  /** @default WATCH_DEFAULTS.intervalMs */
  readonly intervalMs?: number;
  /** @default WATCH_DEFAULTS.overlapMs */
  readonly overlapMs?: number;
  /** Poll every region once, then return. */
  readonly once?: boolean;
  /** Stops polling: captures in flight finish and checkpoints are saved before the summary is returned. */
  readonly signal?: AbortSignal;
  /** `LookupEvents` requests per region. @default LOOKUP_EVENTS_RATE */
  readonly rate?: RequestRate;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** Called with every capture, poll and failed lookup as they happen. */
  readonly onProgress?: (progress: WatchProgress) => void;
}

/**
 * Continuous capture without a deployment: polls CloudTrail `LookupEvents` in every watched region within its
 * rate limit, and captures through the engine every resource the mutating management events name. Resumes
 * from the checkpoints in the store. Runs until `signal` aborts (or one poll with `once`), then returns what
 * it did. S3 object-level writes are data events, which CloudTrail's event history does not hold.
 *
 * @example
 * const controller = new AbortController();
 * process.once('SIGINT', () => controller.abort());
 * const summary = await watchCloudTrail(engine, { regions: ['eu-west-1'], signal: controller.signal });
 */
export async function watchCloudTrail(engine: CaptureEngine, options: WatchOptions): Promise<WatchSummary> {
  const signal = options.signal ?? new AbortController().signal;
  const now = options.now ?? (() => new Date());
  const regions = watchedRegions(options.regions, engine.registry);
  const tally = new WatchTally();
  const start = options.from ?? options.start ?? new Date(now().getTime() - WATCH_DEFAULTS.sinceMs);
  const pollers = regions.map(
    (watched) =>
      new RegionPoller({
        engine,
        watched,
        lookup: regionLookup(engine, watched.region, options.rate ?? LOOKUP_EVENTS_RATE, signal),
        start,
        ignoreCheckpoint: options.from !== undefined,
        overlapMs: options.overlapMs ?? WATCH_DEFAULTS.overlapMs,
        now,
        signal,
        tally,
        onProgress: options.onProgress ?? (() => undefined),
      }),
  );
  while (!signal.aborted) {
    await settleAll(pollers.map((poller) => poller.poll()));
    // What each poll captured is named by a log head at once, not when the watch stops (or never, when killed).
    await engine.store.appendLogHead();
    tally.polls++;
    if (options.once) break;
    await sleep(options.intervalMs ?? WATCH_DEFAULTS.intervalMs, undefined, { signal }).catch((error) => {
      if (!signal.aborted) throw error;
    });
  }
  return {
    account: engine.account,
    regions: regions.map((watched) => watched.region),
    polls: tally.polls,
    events: tally.events,
    skipped: tally.skipped,
    captures: { ...tally.captures },
    gaps: tally.gaps,
    failures: tally.failures,
    lookupErrors: tally.lookupErrors,
    stopped: signal.aborted ? 'signal' : 'once',
  };
}

/** `LookupEvents` in one region through the engine's client, rate limited, abandoned when `signal` aborts. */
function regionLookup(
  engine: CaptureEngine,
  region: string,
  rate: RequestRate,
  signal: AbortSignal,
): LookupEvents {
  const client = engine.context.clients.cloudtrail(region);
  return rateLimited(
    (input) => client.send(new LookupEventsCommand(input), { abortSignal: signal }),
    rate,
    signal,
  );
}

/** Waits for every promise, then throws the first rejection: no poller is left running when one fails. */
async function settleAll(promises: readonly Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
}
