import { classifyAwsError, errorCode, errorMessage, gapKindOf } from '../aws/classify.js';
import type { ChildSpec, ResourceDefinition } from '../resources/types.js';
import { resourceKey } from '../store/layout.js';
import type { ManifestEntry, VersionCause } from '../store/records.js';
import type { Gap, ListedResource, ResourceRef } from '../types/resource.js';
import type { CaptureEngine } from './engine.js';
import type { CaptureOutcome } from './outcome.js';
import { Tally } from './tally.js';

/** One listing of a baseline: a top-level type in a region, or the children of one parent. */
export interface Listing {
  readonly type: string;
  readonly region: string;
  /** IAM action the listing depends on. */
  readonly operation: string;
  /** The parent whose children are listed. */
  readonly parentId?: string;
}

/** The listing of one parent's children. */
export type ChildListing = Listing & { readonly parentId: string };

/** How much of a listing one sweep covers, so a long listing can be swept in several parts. */
export interface SweepBounds {
  /** Resources up to this id were swept before: the listing yields only later ones, in ascending id order. */
  readonly after?: string;
  /** Asked after each listed resource; true ends the sweep there, leaving the rest to a continuation. */
  readonly shouldStop?: () => boolean;
}

/** Where a sweep ended. */
export interface SweepEnd {
  /** The last id listed when the sweep stopped early; absent when the listing completed or failed. */
  readonly stoppedAfter?: string;
}

/**
 * What a sweep captures with: the capture engine, or what reads the live account without storing it (see
 * `LiveReader`).
 */
export type SweepCapturer = Pick<CaptureEngine, 'account' | 'store' | 'context' | 'definition' | 'capture'>;

/** What to do with each capture's outcome (sweep or enqueue the resource's children). */
export type OutcomeHandler = (outcome: CaptureOutcome) => Promise<void>;

/** The listing of a top-level type in one region. */
export function topLevelListing(definition: ResourceDefinition, region: string): Listing {
  return { type: definition.type, region, operation: definition.listOperation };
}

/**
 * The listings of a captured resource's children, one per child type, when it has any to sweep: it exists, or
 * it was just found deleted (its stored children are then confirmed deleted too).
 */
export function childListings(
  parent: ResourceDefinition,
  outcome: CaptureOutcome,
): Array<{ readonly listing: ChildListing; readonly children: ChildSpec }> {
  if (outcome.status !== 'unchanged' && outcome.status !== 'appended') return [];
  const { id, region } = outcome.resource;
  return (parent.children ?? []).map((children) => ({
    listing: { type: children.type, region, operation: children.listOperation, parentId: id },
    children,
  }));
}

/** How the children of a type are listed, from the definition of their parent type. */
export function childrenOf(definitions: readonly ResourceDefinition[], type: string): ChildSpec | undefined {
  for (const definition of definitions) {
    const listing = definition.children?.find((children) => children.type === type);
    if (listing) return listing;
  }
  return undefined;
}

/** Orders ids as S3 lists keys: by their UTF-8 bytes. */
export function compareIds(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * Captures what listings find, with a bounded number of captures in flight, and then confirms what the store
 * holds but a completed listing no longer shows (normally a deletion). Denied listings become gaps. Shared by
 * a whole baseline in one process and by each slice of a fanned-out one.
 */
export class Sweeper {
  readonly tally = new Tally();
  readonly #engine: SweepCapturer;
  readonly #cause: VersionCause;
  readonly #maxInFlight: number;
  /** Captures in flight: bounded. */
  readonly #inFlight = new Set<Promise<unknown>>();
  /** Outcome handlers in progress: not bounded (they only schedule captures), or they could starve them. */
  readonly #handlers = new Set<Promise<unknown>>();
  readonly #present = new Map<string, ManifestEntry>();

  constructor(engine: SweepCapturer, cause: VersionCause, maxInFlight: number) {
    this.#engine = engine;
    this.#cause = cause;
    this.#maxInFlight = maxInFlight;
  }

  /**
   * Captures everything `listed` yields within `bounds`; then, unless the listing failed, re-captures what
   * the store holds in the swept range but the listing did not show. A listing answering "not found" (its
   * parent is gone) counts as empty. Resolves once every capture is scheduled; {@link drain} waits for them.
   */
  async sweep(
    listing: Listing,
    listed: AsyncIterable<ListedResource>,
    bounds: SweepBounds = {},
    then?: OutcomeHandler,
  ): Promise<SweepEnd> {
    const { type, region } = listing;
    const seen = new Set<string>();
    const account = this.#engine.account;
    let last: string | undefined;
    let stopped = false;
    try {
      for await (const found of listed) {
        const resource = { account, region: found.region ?? region, type, id: found.id };
        seen.add(resourceKey(resource));
        await this.#schedule(resource, found.fingerprint, then);
        last = found.id;
        if (bounds.shouldStop?.()) {
          stopped = true;
          break;
        }
      }
    } catch (error) {
      if (classifyAwsError(error) !== 'not-found') {
        this.tally.addGap(listingGap(listing, error));
        return {};
      }
    }
    const upTo = stopped ? last : undefined;
    const definition = this.#engine.definition(type);
    const idPrefix = listing.parentId === undefined ? '' : `${listing.parentId}/`;
    for (const entry of this.#engine.store.index.latestOfType(type, region, idPrefix)) {
      const { id } = entry.resource;
      if (entry.deleted || seen.has(resourceKey(entry.resource))) continue;
      if (bounds.after !== undefined && compareIds(id, bounds.after) <= 0) continue;
      if (upTo !== undefined && compareIds(id, upTo) > 0) continue;
      if (definition.selected && !definition.selected(this.#engine.context, id)) continue;
      await this.#schedule(entry.resource, undefined, then);
    }
    return upTo === undefined ? {} : { stoppedAfter: upTo };
  }

  async #schedule(
    resource: ResourceRef,
    fingerprint: string | undefined,
    then?: OutcomeHandler,
  ): Promise<void> {
    while (this.#inFlight.size >= this.#maxInFlight) await Promise.race(this.#inFlight);
    const task = this.#engine.capture(resource, this.#cause, { fingerprint }).then((outcome) => {
      this.#record(outcome);
      if (then) track(this.#handlers, then(outcome));
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

  /** Waits for every capture, including those scheduled by outcome handlers while waiting. */
  async drain(): Promise<void> {
    while (this.#inFlight.size + this.#handlers.size > 0)
      await Promise.all([...this.#inFlight, ...this.#handlers]);
  }

  /** The resources found present, as manifest entries in resource order. */
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

/** The gap recorded when a listing fails: the whole type (or the parent's children) was not captured. */
function listingGap({ type, region, operation, parentId }: Listing, error: unknown): Gap {
  return {
    kind: gapKindOf(error),
    type,
    region,
    ...(parentId === undefined ? {} : { id: parentId }),
    operation,
    code: errorCode(error),
    message: errorMessage(error),
  };
}
