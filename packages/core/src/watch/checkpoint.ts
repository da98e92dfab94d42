import { z } from 'zod';
import { StoreError } from '../errors.js';
import { checkpointKey } from '../store/layout.js';
import type { VersionStore } from '../store/version-store.js';

/**
 * Where `watch` stands in one account and region's CloudTrail event history. Saved in the store as
 * `checkpoints/watch/<account>/<region>.json`.
 */
export interface WatchCheckpoint {
  /** Where the next lookup starts: events older than this are done, or arrived later than the overlap allows. */
  readonly from: string;
  /** Events already processed whose `eventTime` is at or after `from` (event id → event time): skipped if seen again. */
  readonly seen: Readonly<Record<string, string>>;
}

const isoTime = z.iso.datetime({ offset: true });
const checkpointSchema = z.strictObject({
  schema: z.literal(1),
  from: isoTime,
  seen: z.record(z.string().min(1), isoTime),
});

/** The checkpoint name of an account and region (`watch/123456789012/us-east-1`). */
export function checkpointName(account: string, region: string): string {
  return `watch/${account}/${region}`;
}

/** A checkpoint that starts at `from` with nothing seen. */
export function freshCheckpoint(from: Date): WatchCheckpoint {
  return { from: from.toISOString(), seen: {} };
}

/**
 * Reads and validates a saved checkpoint; `undefined` when there is none.
 * @throws StoreError naming the key when the saved value is not a valid checkpoint
 */
export async function readWatchCheckpoint(
  store: VersionStore,
  name: string,
): Promise<WatchCheckpoint | undefined> {
  const value = await store.readCheckpoint(name);
  if (value === undefined) return undefined;
  const parsed = checkpointSchema.safeParse(value);
  if (parsed.success) return { from: parsed.data.from, seen: parsed.data.seen };
  const key = checkpointKey(name);
  const problems = parsed.error.issues.map(
    (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
  );
  throw new StoreError(
    `${key} in ${store.backend.location} is not a valid watch checkpoint (${problems.join('; ')})`,
    { key },
  );
}

/** Saves a checkpoint, replacing the previous one all-or-nothing. */
export async function writeWatchCheckpoint(
  store: VersionStore,
  name: string,
  checkpoint: WatchCheckpoint,
): Promise<void> {
  await store.writeCheckpoint(name, { schema: 1, from: checkpoint.from, seen: { ...checkpoint.seen } });
}

/** One processed event: its id and `eventTime`. */
export interface SeenEvent {
  readonly id: string;
  readonly time: Date;
}

/** The checkpoint with `events` marked as processed. Pure. */
export function markSeen(checkpoint: WatchCheckpoint, events: readonly SeenEvent[]): WatchCheckpoint {
  const seen = { ...checkpoint.seen };
  for (const event of events) seen[event.id] = event.time.toISOString();
  return { from: checkpoint.from, seen };
}

/**
 * The checkpoint after a complete lookup up to `through`: the next lookup starts `overlapMs` before it, so
 * events CloudTrail delivers late are still found, but never after `holdAt` (the earliest event whose capture
 * failed, to try it again) and never before the current start. Seen ids older than the new start are dropped.
 * Pure.
 */
export function advanceCheckpoint(
  checkpoint: WatchCheckpoint,
  through: Date,
  overlapMs: number,
  holdAt?: Date,
): WatchCheckpoint {
  const current = Date.parse(checkpoint.from);
  const wanted = Math.min(through.getTime() - overlapMs, holdAt?.getTime() ?? Number.POSITIVE_INFINITY);
  const from = Math.max(current, wanted);
  const seen = Object.fromEntries(
    Object.entries(checkpoint.seen).filter(([, time]) => Date.parse(time) >= from),
  );
  return { from: new Date(from).toISOString(), seen };
}
