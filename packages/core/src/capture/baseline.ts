import { classifyAwsError, errorCode, errorMessage } from '../aws/classify.js';
import { CauseKind, GapKind, GLOBAL_REGION } from '../constants.js';
import { InputError } from '../errors.js';
import type { ResourceDefinition } from '../resources/types.js';
import { resourceKey } from '../store/layout.js';
import type { BaselineManifest, Hashed, ManifestEntry, VersionCause } from '../store/records.js';
import type { Gap, ListedResource, ResourceRef } from '../types/resource.js';
import type { CaptureEngine } from './engine.js';
import type { CaptureOutcome } from './outcome.js';
import { type CaptureFailure, Tally, type TypeTally } from './tally.js';

/** What to capture in a baseline. */
export interface BaselineOptions {
  /** @default the next free `v1.N` */
  readonly label?: string;
  /** Regions of regional types; global types are captured once. */
  readonly regions: readonly string[];
  /** Top-level types to capture (their children come with them). @default every type */
  readonly types?: readonly string[];
  /** Captures in flight at once, across services (AWS calls are limited per service below this). @default 64 */
  readonly inFlight?: number;
}

/** What a baseline did. Stable shape: printed by `tidemark baseline --json`. */
export interface BaselineReport {
  readonly label: string;
  readonly account: string;
  readonly regions: readonly string[];
  readonly startedAt: string;
  readonly completedAt: string;
  readonly durationMs: number;
  readonly byType: Readonly<Record<string, TypeTally>>;
  readonly bytes: { readonly downloaded: number; readonly stored: number; readonly deduplicated: number };
  readonly gaps: readonly Gap[];
  readonly failures: readonly CaptureFailure[];
  /** The manifest written; absent when nothing at all could be captured. */
  readonly manifest?: { readonly seq: number; readonly hash: string; readonly entries: number };
}

/**
 * Captures every resource of the selected types and regions, in parallel, and writes a labelled baseline
 * manifest. Denied calls become gaps; resources the listing no longer shows are confirmed deleted.
 */
export async function runBaseline(engine: CaptureEngine, options: BaselineOptions): Promise<BaselineReport> {
  const label = options.label ?? engine.store.nextBaselineLabel();
  if (engine.store.baselines().some((b) => b.record.label === label))
    throw new InputError(`a baseline labelled ${label} already exists`);
  const run = new BaselineRun(engine, { kind: CauseKind.BASELINE, label }, options.inFlight ?? 64);
  const startedAt = new Date();
  const counters = { ...engine.context.counters };
  const definitions = selectDefinitions(engine, options.types);
  await Promise.all(
    definitions.flatMap((definition) =>
      regionsOf(definition, options.regions).map((region) => run.sweepTopLevel(definition, region)),
    ),
  );
  await run.drain();
  const completedAt = new Date();
  const manifest =
    run.tally.captured > 0
      ? await engine.store.appendBaseline({
          label,
          startedAt: startedAt.toISOString(),
          completedAt: completedAt.toISOString(),
          account: engine.account,
          regions: [...options.regions],
          types: definitions.map((d) => d.type),
          entries: run.entries(),
          gaps: run.tally.gaps,
        })
      : undefined;
  const now = engine.context.counters;
  return {
    label,
    account: engine.account,
    regions: [...options.regions],
    startedAt: startedAt.toISOString(),
    completedAt: completedAt.toISOString(),
    durationMs: completedAt.getTime() - startedAt.getTime(),
    byType: run.tally.byType,
    bytes: {
      downloaded: now.bytesDownloaded - counters.bytesDownloaded,
      stored: now.bytesStored - counters.bytesStored,
      deduplicated: now.bytesDeduplicated - counters.bytesDeduplicated,
    },
    gaps: run.tally.gaps,
    failures: run.tally.failures,
    ...(manifest ? { manifest: summary(manifest) } : {}),
  };
}

function summary(manifest: Hashed<BaselineManifest>) {
  return { seq: manifest.record.seq, hash: manifest.hash, entries: manifest.record.entries.length };
}

function selectDefinitions(engine: CaptureEngine, types?: readonly string[]): ResourceDefinition[] {
  const topLevel = engine.registry.filter((definition) => !definition.listedByParent);
  if (!types || types.length === 0) return topLevel;
  return types.map((type) => {
    const definition = engine.definition(type);
    if (definition.listedByParent)
      throw new InputError(`${type} is captured with its parent; select the parent type instead`);
    return definition;
  });
}

function regionsOf(definition: ResourceDefinition, regions: readonly string[]): readonly string[] {
  return definition.scope === 'global' ? [GLOBAL_REGION] : regions;
}

/** One baseline in progress: bounded in-flight captures, what was seen, what to write in the manifest. */
class BaselineRun {
  readonly tally = new Tally();
  readonly #engine: CaptureEngine;
  readonly #cause: VersionCause;
  readonly #maxInFlight: number;
  /** Captures in flight: bounded. */
  readonly #inFlight = new Set<Promise<unknown>>();
  /** Child listings in progress: not bounded (they only schedule captures), or they could starve them. */
  readonly #sweeps = new Set<Promise<unknown>>();
  readonly #present = new Map<string, ManifestEntry>();

  constructor(engine: CaptureEngine, cause: VersionCause, maxInFlight: number) {
    this.#engine = engine;
    this.#cause = cause;
    this.#maxInFlight = maxInFlight;
  }

  /** Lists one top-level type in one region and captures what it finds, and their children. */
  async sweepTopLevel(definition: ResourceDefinition, region: string): Promise<void> {
    const listing = { type: definition.type, region, operation: definition.listOperation };
    await this.#sweep(listing, definition.list(this.#engine.context, region), (outcome) =>
      this.#sweepChildren(definition, outcome),
    );
  }

  async #sweepChildren(parent: ResourceDefinition, outcome: CaptureOutcome): Promise<void> {
    const children = parent.children;
    if (!children) return;
    const { id, region } = outcome.resource;
    const exists =
      outcome.status === 'unchanged' || (outcome.status === 'appended' && !outcome.version.record.deleted);
    const deleted = outcome.status === 'appended' && outcome.version.record.deleted;
    if (!exists && !deleted) return;
    const listed = exists ? children.list(this.#engine.context, id, region) : emptyListing();
    await this.#sweep(
      { type: children.type, region, operation: children.listOperation, parentId: id },
      listed,
    );
  }

  /**
   * Captures everything a listing yields, then, when the listing completed, re-captures what the store
   * holds but the listing no longer showed (normally confirming a deletion).
   */
  async #sweep(
    listing: Listing,
    listed: AsyncIterable<ListedResource>,
    then?: (outcome: CaptureOutcome) => Promise<void>,
  ): Promise<void> {
    const { type, region } = listing;
    const idPrefix = listing.parentId === undefined ? '' : `${listing.parentId}/`;
    const seen = new Set<string>();
    const account = this.#engine.account;
    try {
      for await (const found of listed) {
        const resource = { account, region: found.region ?? region, type, id: found.id };
        seen.add(resourceKey(resource));
        await this.#schedule(resource, found.fingerprint, then);
      }
    } catch (error) {
      this.tally.addGap(listingGap(listing, error));
      return;
    }
    const definition = this.#engine.definition(type);
    for (const { record } of this.#engine.store.index.latestOfType(type, region, idPrefix)) {
      if (record.deleted || seen.has(resourceKey(record.resource))) continue;
      if (definition.selected && !definition.selected(this.#engine.context, record.resource.id)) continue;
      await this.#schedule(record.resource, undefined, then);
    }
  }

  async #schedule(
    resource: ResourceRef,
    fingerprint: string | undefined,
    then?: (outcome: CaptureOutcome) => Promise<void>,
  ): Promise<void> {
    while (this.#inFlight.size >= this.#maxInFlight) await Promise.race(this.#inFlight);
    const task = this.#engine.capture(resource, this.#cause, fingerprint).then((outcome) => {
      this.#record(outcome);
      if (then) track(this.#sweeps, then(outcome));
    });
    track(this.#inFlight, task);
  }

  #record(outcome: CaptureOutcome): void {
    this.tally.add(outcome);
    const version =
      outcome.status === 'appended' || outcome.status === 'unchanged' ? outcome.version : undefined;
    if (version && !version.record.deleted)
      this.#present.set(resourceKey(outcome.resource), {
        resource: outcome.resource,
        seq: version.record.seq,
        version: version.hash,
      });
  }

  /** Waits for every capture, including children scheduled while waiting. */
  async drain(): Promise<void> {
    while (this.#inFlight.size + this.#sweeps.size > 0)
      await Promise.all([...this.#inFlight, ...this.#sweeps]);
  }

  entries(): ManifestEntry[] {
    return [...this.#present.values()].sort((a, b) =>
      resourceKey(a.resource) < resourceKey(b.resource) ? -1 : 1,
    );
  }
}

/** Adds a task to a set until it settles. */
function track(set: Set<Promise<unknown>>, task: Promise<unknown>): void {
  const tracked = task.finally(() => set.delete(tracked));
  set.add(tracked);
}

async function* emptyListing(): AsyncIterable<ListedResource> {}

/** One listing of a baseline: a top-level type in a region, or the children of one parent. */
interface Listing {
  readonly type: string;
  readonly region: string;
  /** IAM action the listing depends on. */
  readonly operation: string;
  /** The parent whose children are listed. */
  readonly parentId?: string;
}

/** The gap recorded when a listing fails: the whole type (or the parent's children) was not captured. */
function listingGap({ type, region, operation, parentId }: Listing, error: unknown): Gap {
  return {
    kind: classifyAwsError(error) === 'denied' ? GapKind.DENIED : GapKind.ERROR,
    type,
    region,
    ...(parentId === undefined ? {} : { id: parentId }),
    operation,
    code: errorCode(error),
    message: errorMessage(error),
  };
}
