import pLimit from 'p-limit';
import { z } from 'zod';
import { canonicalJson } from '../canonical/canonicalise.js';
import { StoreError } from '../errors.js';
import type { StoreBackend } from '../store/backend.js';
import { StoreLayout } from '../store/layout.js';
import { baselineManifestSchema } from '../store/records.js';
import type { Json } from '../types/json.js';
import { type WorkItem, workItemSchema } from './work-item.js';

/** Where fanned-out baseline runs keep their progress in the store, next to `baselines/`. */
export const BASELINE_RUNS = StoreLayout.BASELINE_RUNS;

/** The registration folder of the slices a plan starts with (slice ids are hex, so it cannot clash). */
const PLANNED = 'plan';

/** Store reads and writes in flight at once while registering or reading many records. */
const RECORD_CONCURRENCY = 16;

/** What a run was started with, written once when its label is claimed. */
export const runPlanSchema = z.object({
  schema: z.literal(1),
  label: z.string(),
  startedAt: z.iso.datetime(),
  regions: z.array(z.string()),
  types: z.array(z.string()),
});

/** What one finished slice found: its manifest entries and gaps, and the slices it spawned. */
export const runPartSchema = z.object({
  schema: z.literal(1),
  sliceId: z.string(),
  completedAt: z.iso.datetime(),
  spawned: z.array(z.string()),
  entries: baselineManifestSchema.shape.entries,
  gaps: baselineManifestSchema.shape.gaps,
});

export type RunPlan = z.infer<typeof runPlanSchema>;
export type RunPart = z.infer<typeof runPartSchema>;

/**
 * The records of one fanned-out baseline, all written once and never changed:
 *
 * - `baseline-runs/<label>/plan.json`: the plan; creating it claims the label
 * - `baseline-runs/<label>/slices/<parent slice id | plan>/<slice id>.json`: every slice, registered by whoever
 *   spawned it before it is enqueued
 * - `baseline-runs/<label>/parts/<slice id>.json`: what a slice found, written when it is done
 *
 * Parts are written only after the slices they spawn are registered, so the run is complete exactly when every
 * registered slice has a part, which two listings tell (parts first, then slices).
 */
export class BaselineRunRecords {
  readonly label: string;
  readonly #backend: StoreBackend;
  readonly #prefix: string;

  constructor(backend: StoreBackend, label: string) {
    this.#backend = backend;
    this.label = label;
    this.#prefix = `${BASELINE_RUNS}${label}/`;
  }

  /** Writes the plan unless the label already has one; false when it had. */
  createPlan(plan: RunPlan): Promise<boolean> {
    return this.#create(this.#planKey, plan);
  }

  hasPlan(): Promise<boolean> {
    return this.#backend.exists(this.#planKey);
  }

  async readPlan(): Promise<RunPlan> {
    return this.#read(this.#planKey, runPlanSchema);
  }

  /**
   * Registers slices spawned by `parentSliceId` (or by the plan) and returns every slice registered under that
   * parent, including those an earlier, interrupted attempt registered: all of them must be enqueued.
   */
  async register(parentSliceId: string | undefined, items: readonly WorkItem[]): Promise<WorkItem[]> {
    const folder = `${this.#prefix}slices/${parentSliceId ?? PLANNED}/`;
    const limit = pLimit(RECORD_CONCURRENCY);
    await Promise.all(items.map((item) => limit(() => this.#create(`${folder}${item.sliceId}.json`, item))));
    const fresh = new Set(items.map((item) => item.sliceId));
    const earlier: Promise<WorkItem>[] = [];
    for await (const key of this.#backend.list(folder))
      if (!fresh.has(idOfKey(key))) earlier.push(limit(() => this.#read(key, workItemSchema)));
    return [...items, ...(await Promise.all(earlier))];
  }

  /** Every registered slice id. */
  registeredIds(): Promise<Set<string>> {
    return this.#ids(`${this.#prefix}slices/`);
  }

  hasPart(sliceId: string): Promise<boolean> {
    return this.#backend.exists(this.#partKey(sliceId));
  }

  /** Writes a slice's part unless it has one; false when another delivery of the slice wrote it first. */
  createPart(part: RunPart): Promise<boolean> {
    return this.#create(this.#partKey(part.sliceId), part);
  }

  /** The ids of the slices that have a part. */
  partIds(): Promise<Set<string>> {
    return this.#ids(`${this.#prefix}parts/`);
  }

  /** The parts of these slices. */
  async readParts(sliceIds: Iterable<string>): Promise<RunPart[]> {
    const limit = pLimit(RECORD_CONCURRENCY);
    return Promise.all([...sliceIds].map((id) => limit(() => this.#read(this.#partKey(id), runPartSchema))));
  }

  get #planKey(): string {
    return `${this.#prefix}plan.json`;
  }

  #partKey(sliceId: string): string {
    return `${this.#prefix}parts/${sliceId}.json`;
  }

  async #ids(prefix: string): Promise<Set<string>> {
    const ids = new Set<string>();
    for await (const key of this.#backend.list(prefix)) ids.add(idOfKey(key));
    return ids;
  }

  #create(key: string, record: object): Promise<boolean> {
    return this.#backend.create(key, Buffer.from(canonicalJson(record as Json), 'utf8'));
  }

  async #read<T>(key: string, schema: z.ZodType<T>): Promise<T> {
    const bytes = await this.#backend.read(key);
    if (!bytes) throw new StoreError(`${key} is missing from ${this.#backend.location}`, { key });
    try {
      return schema.parse(JSON.parse(bytes.toString('utf8')));
    } catch (error) {
      throw new StoreError(`${key} in ${this.#backend.location} is not a valid record`, {
        cause: error,
        key,
      });
    }
  }
}

/** `…/<id>.json` → `<id>`. */
function idOfKey(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1).replace(/\.json$/, '');
}
