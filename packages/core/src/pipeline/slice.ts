import { BASELINE_IN_FLIGHT, type ManifestSummary, manifestSummary } from '../capture/baseline.js';
import type { CaptureEngine } from '../capture/engine.js';
import type { CaptureOutcome } from '../capture/outcome.js';
import {
  childListings,
  childrenOf,
  compareIds,
  type SweepBounds,
  type SweepEnd,
  Sweeper,
  topLevelListing,
} from '../capture/sweep.js';
import type { CaptureFailure, TypeTally } from '../capture/tally.js';
import { CauseKind } from '../constants.js';
import { InputError } from '../errors.js';
import type { BaselineManifest, Hashed } from '../store/records.js';
import type { Gap, ListedResource } from '../types/resource.js';
import { finishBaselineRun } from './assemble.js';
import { BaselineRunRecords } from './run-records.js';
import { sliceFor, type WorkItem } from './work-item.js';

/**
 * Time a slice keeps in hand when it stops listing, to finish the captures in flight and write its part: a
 * quarter of the time it started with, at most this.
 */
export const SLICE_TIME_MARGIN_MS = 120_000;

/** Resources one slice lists at most before leaving the rest to a continuation: bounds memory and part size. */
export const SLICE_MAX_RESOURCES = 20_000;

/** How a work item reaches the queue and the clock. */
export interface RunWorkItemOptions {
  /** Puts work items on the queue; when it resolves they must be durably enqueued. */
  readonly enqueue: (items: readonly WorkItem[]) => Promise<void>;
  /** Milliseconds left to run (Lambda's `context.getRemainingTimeInMillis`). @default unlimited */
  readonly remainingMs?: () => number;
}

/** What running one work item did. */
export interface WorkItemReport {
  readonly item: WorkItem;
  /** `duplicate`: an earlier delivery already finished this slice, so nothing was captured again. */
  readonly status: 'done' | 'duplicate';
  readonly byType: Readonly<Record<string, TypeTally>>;
  readonly gaps: readonly Gap[];
  readonly failures: readonly CaptureFailure[];
  /** Work items this slice enqueued: its children's listings and its own continuation. */
  readonly spawned: readonly WorkItem[];
  /** The baseline manifest, when this item was the last of its run and appended it. */
  readonly manifest?: ManifestSummary;
}

/**
 * Runs one slice of a fanned-out baseline: lists its type and region (or its parent's children) after
 * `item.after`, captures what it finds with the same sweep as {@link runBaseline} (silent drift recorded as
 * `reconcile`, what the listing no longer shows confirmed deleted, denied listings as gaps), enqueues a slice
 * for each captured parent's children and, when time or size runs short, a continuation; then records its
 * part. A redelivered slice whose part exists captures nothing. The slice that completes the run appends the
 * baseline manifest, exactly once.
 *
 * @example
 * await runWorkItem(engine, item, {
 *   enqueue: (items) => sendWorkItems(sqs, queueUrl, items),
 *   remainingMs: () => context.getRemainingTimeInMillis(),
 * });
 */
export async function runWorkItem(
  engine: CaptureEngine,
  item: WorkItem,
  options: RunWorkItemOptions,
): Promise<WorkItemReport> {
  const run = new BaselineRunRecords(engine.store.backend, item.label);
  if (await run.hasPart(item.sliceId)) {
    // The part may have been written just before a crash that kept the run from being finished.
    const manifest = await finishBaselineRun(engine, run);
    return {
      item,
      status: 'duplicate',
      byType: {},
      gaps: [],
      failures: [],
      spawned: [],
      ...summary(manifest),
    };
  }
  if (!(await run.hasPlan()))
    throw new InputError(`work item for baseline ${item.label}, which was never planned in this store`);
  const sweeper = new Sweeper(engine, { kind: CauseKind.BASELINE, label: item.label }, BASELINE_IN_FLIGHT);
  const children: WorkItem[] = [];
  const bounds = {
    ...(item.after === undefined ? {} : { after: item.after }),
    shouldStop: stopRule(options.remainingMs),
  };
  const end = await sweepSlice(engine, sweeper, item, bounds, (child) => children.push(child));
  await sweeper.drain();
  if (end.stoppedAfter !== undefined) children.push(continuationOf(item, end.stoppedAfter));
  const spawned = await run.register(item.sliceId, children);
  if (spawned.length > 0) await options.enqueue(spawned);
  await run.createPart({
    schema: 1,
    sliceId: item.sliceId,
    completedAt: new Date().toISOString(),
    spawned: spawned.map((child) => child.sliceId),
    entries: sweeper.entries(),
    gaps: sweeper.tally.gaps,
  });
  const manifest = await finishBaselineRun(engine, run);
  const { byType, gaps, failures } = sweeper.tally;
  return { item, status: 'done', byType, gaps, failures, spawned, ...summary(manifest) };
}

/**
 * Sweeps what a work item covers: a top-level type in a region, whose captured parents spawn slices for their
 * children, or one parent's children.
 */
function sweepSlice(
  engine: CaptureEngine,
  sweeper: Sweeper,
  item: WorkItem,
  bounds: SweepBounds,
  spawn: (child: WorkItem) => void,
): Promise<SweepEnd> {
  if (item.parent === undefined) {
    const definition = engine.definition(item.type);
    if (definition.listedByParent)
      throw new InputError(`invalid work item: ${item.type} is listed with its parent, not on its own`);
    const spawnChildren = async (outcome: CaptureOutcome) => {
      for (const { listing } of childListings(definition, outcome))
        spawn(sliceFor(item.label, { type: listing.type, region: listing.region, parent: listing.parentId }));
    };
    const listed = inIdOrder(definition.list(engine.context, item.region), item.after);
    return sweeper.sweep(topLevelListing(definition, item.region), listed, bounds, spawnChildren);
  }
  const children = childrenOf(engine.registry, item.type);
  if (!children) throw new InputError(`invalid work item: ${item.type} is not listed by a parent type`);
  const listing = {
    type: item.type,
    region: item.region,
    operation: children.listOperation,
    parentId: item.parent,
  };
  return sweeper.sweep(listing, children.list(engine.context, item.parent, item.region, item.after), bounds);
}

/** The slice that continues `item` after the last id it listed. */
function continuationOf(item: WorkItem, after: string): WorkItem {
  return sliceFor(item.label, { type: item.type, region: item.region, parent: item.parent, after });
}

/**
 * Stops a slice when it has listed {@link SLICE_MAX_RESOURCES}, or when its time left falls below its margin
 * (a quarter of the time it started with, at most {@link SLICE_TIME_MARGIN_MS}).
 */
function stopRule(remainingMs: (() => number) | undefined): () => boolean {
  let listed = 0;
  if (!remainingMs) return () => ++listed >= SLICE_MAX_RESOURCES;
  const margin = Math.min(SLICE_TIME_MARGIN_MS, remainingMs() / 4);
  return () => ++listed >= SLICE_MAX_RESOURCES || remainingMs() < margin;
}

/**
 * A top-level listing in id order, only the ids after `after`: its order then does not depend on the API's,
 * so a continuation resumes exactly where a slice stopped. Top-level listings are small enough to sort.
 */
async function* inIdOrder(
  listed: AsyncIterable<ListedResource>,
  after: string | undefined,
): AsyncIterable<ListedResource> {
  const all: ListedResource[] = [];
  for await (const found of listed) all.push(found);
  all.sort((a, b) => compareIds(a.id, b.id));
  for (const found of all) if (after === undefined || compareIds(found.id, after) > 0) yield found;
}

function summary(manifest: Hashed<BaselineManifest> | undefined): { manifest?: ManifestSummary } {
  return manifest ? { manifest: manifestSummary(manifest) } : {};
}
