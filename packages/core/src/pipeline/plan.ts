import { regionsOf, selectDefinitions } from '../capture/baseline.js';
import { InputError } from '../errors.js';
import { registry as defaultRegistry } from '../resources/registry.js';
import type { ResourceDefinition } from '../resources/types.js';
import type { VersionStore } from '../store/version-store.js';
import { BaselineRunRecords, type RunPlan } from './run-records.js';
import { runLabelSchema, sliceFor, type WorkItem } from './work-item.js';

/** What a scheduled baseline captures. */
export interface ScheduledBaselineOptions {
  /** Letters, digits, `.`, `_` and `-`. @default the next `v1.N` free of baselines and of runs in progress */
  readonly label?: string;
  /** Regions of regional types; global types are captured once. */
  readonly regions: readonly string[];
  /** Top-level types to capture (their children come with them). @default every type */
  readonly types?: readonly string[];
  /** @default the registry of every supported type */
  readonly registry?: readonly ResourceDefinition[];
}

/**
 * Starts a fanned-out baseline: claims its label with a plan record and returns its first work items, one per
 * top-level type and region (global types once, in region `global`), each already registered with the run.
 * Enqueue them all; {@link runWorkItem} does the rest, and the slice that finishes last appends the manifest.
 *
 * @example
 * const items = await startScheduledBaseline(store, { regions: ['eu-west-1', 'us-east-1'] });
 * await sendWorkItems(sqs, queueUrl, items);
 */
export async function startScheduledBaseline(
  store: VersionStore,
  options: ScheduledBaselineOptions,
): Promise<WorkItem[]> {
  const definitions = selectDefinitions(options.registry ?? defaultRegistry, options.types);
  if (definitions.length === 0) throw new InputError('no resource type to capture: the registry is empty');
  if (options.regions.length === 0) throw new InputError('no region to capture: give at least one');
  const plan = { schema: 1 as const, startedAt: new Date().toISOString(), regions: [...options.regions] };
  const types = definitions.map((definition) => definition.type);
  const run = await claimLabel(store, options.label, (label) => ({ ...plan, label, types }));
  const items = definitions.flatMap((definition) =>
    regionsOf(definition, options.regions).map((region) =>
      sliceFor(run.label, { type: definition.type, region }),
    ),
  );
  return run.register(undefined, items);
}

/**
 * Claims a label (see {@link VersionStore.takeLabel}: the given one, which must be free, or the first free `v1.N`)
 * and writes its plan.
 */
async function claimLabel(
  store: VersionStore,
  label: string | undefined,
  planFor: (label: string) => RunPlan,
): Promise<BaselineRunRecords> {
  if (label !== undefined) {
    const valid = runLabelSchema.safeParse(label);
    if (!valid.success) throw new InputError(`invalid label ${label}: ${valid.error.issues[0]?.message}`);
  }
  for (;;) {
    const taken = await store.takeLabel(label);
    const run = new BaselineRunRecords(store.backend, taken);
    if (await run.createPlan(planFor(taken))) return run;
    // A run whose plan was written before labels were taken: its label is not free after all.
    if (label !== undefined) throw new InputError(`a baseline labelled ${label} is under way`);
  }
}
