import type { CaptureEngine } from '../capture/engine.js';
import { InputError } from '../errors.js';
import { resourceKey } from '../store/layout.js';
import type { BaselineManifest, Hashed, ManifestEntry } from '../store/records.js';
import type { BaselineRunRecords, RunPart } from './run-records.js';

/**
 * Appends the run's baseline manifest when every registered slice has a part; undefined when slices are still
 * pending, when nothing at all could be captured, or when another finisher appended it first (labels are
 * unique, so the manifest is appended exactly once).
 */
export async function finishBaselineRun(
  engine: CaptureEngine,
  run: BaselineRunRecords,
): Promise<Hashed<BaselineManifest> | undefined> {
  if (hasManifest(engine, run.label)) return undefined;
  // Parts first: a slice registered after this listing was spawned by one whose part is not in it.
  const done = await run.partIds();
  const registered = await run.registeredIds();
  if (registered.size === 0 || [...registered].some((id) => !done.has(id))) return undefined;
  const plan = await run.readPlan();
  const parts = await run.readParts(registered);
  const entries = mergeEntries(parts);
  if (entries.length === 0) return undefined;
  try {
    return await engine.store.appendBaseline({
      label: run.label,
      startedAt: plan.startedAt,
      completedAt: new Date().toISOString(),
      account: engine.account,
      regions: plan.regions,
      types: plan.types,
      entries,
      gaps: parts.flatMap((part) => part.gaps),
    });
  } catch (error) {
    if (error instanceof InputError && hasManifest(engine, run.label)) return undefined;
    throw error;
  }
}

function hasManifest(engine: CaptureEngine, label: string): boolean {
  return engine.store.baselines().some((baseline) => baseline.record.label === label);
}

/** Every slice's entries, one per resource (the latest version when slices overlapped), in resource order. */
function mergeEntries(parts: readonly RunPart[]): ManifestEntry[] {
  const byResource = new Map<string, ManifestEntry>();
  for (const entry of parts.flatMap((part) => part.entries)) {
    const key = resourceKey(entry.resource);
    if ((byResource.get(key)?.seq ?? 0) < entry.seq) byResource.set(key, entry);
  }
  return [...byResource.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, entry]) => entry);
}
