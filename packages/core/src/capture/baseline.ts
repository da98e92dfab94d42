import { CauseKind, GLOBAL_REGION } from '../constants.js';
import { InputError } from '../errors.js';
import type { ResourceDefinition } from '../resources/types.js';
import type { BaselineManifest, Hashed } from '../store/records.js';
import type { Gap } from '../types/resource.js';
import type { CaptureContext } from './context.js';
import { type CaptureEngine, requireDefinition } from './engine.js';
import type { CaptureOutcome } from './outcome.js';
import { childListings, Sweeper, topLevelListing } from './sweep.js';
import type { CaptureFailure, TypeTally } from './tally.js';

/** Captures a baseline keeps in flight at once by default. */
export const BASELINE_IN_FLIGHT = 64;

/** What to capture in a baseline. */
export interface BaselineOptions {
  /** @default the next free `v1.N` */
  readonly label?: string;
  /** Regions of regional types; global types are captured once. */
  readonly regions: readonly string[];
  /** Top-level types to capture (their children come with them). @default every type */
  readonly types?: readonly string[];
  /**
   * Captures in flight at once, across services (AWS calls are limited per service below this).
   * @default BASELINE_IN_FLIGHT
   */
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
  readonly manifest?: ManifestSummary;
}

/** A written baseline manifest, in short: its place in the chain, its hash and how many resources it holds. */
export interface ManifestSummary {
  readonly seq: number;
  readonly hash: string;
  readonly entries: number;
}

/**
 * Captures every resource of the selected types and regions, in parallel, and writes a labelled baseline
 * manifest. Denied calls become gaps; resources the listing no longer shows are confirmed deleted; changes
 * found since a resource's latest version are recorded as silent drift (`reconcile`).
 */
export async function runBaseline(engine: CaptureEngine, options: BaselineOptions): Promise<BaselineReport> {
  const label = await engine.store.takeLabel(options.label);
  const sweeper = new Sweeper(
    engine,
    { kind: CauseKind.BASELINE, label },
    options.inFlight ?? BASELINE_IN_FLIGHT,
  );
  const startedAt = new Date();
  const counters = { ...engine.context.counters };
  const definitions = selectDefinitions(engine.registry, options.types);
  await sweepAll(sweeper, engine.context, definitions, options.regions);
  const completedAt = new Date();
  const manifest =
    sweeper.tally.captured > 0
      ? await engine.store.appendBaseline({
          label,
          startedAt: startedAt.toISOString(),
          completedAt: completedAt.toISOString(),
          account: engine.account,
          regions: [...options.regions],
          types: definitions.map((d) => d.type),
          entries: sweeper.entries(),
          gaps: sweeper.tally.gaps,
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
    byType: sweeper.tally.byType,
    bytes: {
      downloaded: now.bytesDownloaded - counters.bytesDownloaded,
      stored: now.bytesStored - counters.bytesStored,
      deduplicated: now.bytesDeduplicated - counters.bytesDeduplicated,
    },
    gaps: sweeper.tally.gaps,
    failures: sweeper.tally.failures,
    ...(manifest ? { manifest: manifestSummary(manifest) } : {}),
  };
}

/**
 * Sweeps every listing of `definitions` in `regions` (global types once), each captured resource's children with
 * it, and waits for every capture: what a baseline captures, and what a live read describes.
 */
export async function sweepAll(
  sweeper: Sweeper,
  context: CaptureContext,
  definitions: readonly ResourceDefinition[],
  regions: readonly string[],
): Promise<void> {
  const sweepChildren = (parent: ResourceDefinition) => async (outcome: CaptureOutcome) => {
    await Promise.all(
      childListings(parent, outcome).map(({ listing, children }) =>
        sweeper.sweep(listing, children.list(context, listing.parentId, listing.region)),
      ),
    );
  };
  await Promise.all(
    definitions.flatMap((definition) =>
      regionsOf(definition, regions).map((region) =>
        sweeper.sweep(
          topLevelListing(definition, region),
          definition.list(context, region),
          {},
          sweepChildren(definition),
        ),
      ),
    ),
  );
  await sweeper.drain();
}

/** The short description of a written manifest that reports carry. */
export function manifestSummary(manifest: Hashed<BaselineManifest>): ManifestSummary {
  return { seq: manifest.record.seq, hash: manifest.hash, entries: manifest.record.entries.length };
}

/** The top-level definitions a baseline of `types` (default all) captures. */
export function selectDefinitions(
  registry: readonly ResourceDefinition[],
  types?: readonly string[],
): ResourceDefinition[] {
  const topLevel = registry.filter((definition) => !definition.listedByParent);
  if (!types || types.length === 0) return topLevel;
  return types.map((type) => {
    const definition = requireDefinition(registry, type);
    if (definition.listedByParent)
      throw new InputError(`${type} is captured with its parent; select the parent type instead`);
    return definition;
  });
}

/** The regions a definition is listed in: the given ones, or `global` once for global types. */
export function regionsOf(definition: ResourceDefinition, regions: readonly string[]): readonly string[] {
  return definition.scope === 'global' ? [GLOBAL_REGION] : regions;
}
