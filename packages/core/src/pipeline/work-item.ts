import { z } from 'zod';
import { canonicalJson, sha256Hex } from '../canonical/canonicalise.js';
import { InputError } from '../errors.js';

/** The `tidemark` value of a baseline slice on the queue. */
export const BASELINE_SLICE = 'baseline-slice' as const;

/** Labels of fanned-out baselines: they name store keys, so letters, digits, `.`, `_` and `-` only. */
export const runLabelSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected up to 64 letters, digits, ".", "_" or "-"');

/**
 * A piece of a fanned-out baseline, sent through the queue as JSON: one top-level type in one region, or the
 * children of one parent (a bucket's objects), optionally continuing after the last id an earlier slice listed.
 */
export const workItemSchema = z.object({
  tidemark: z.literal(BASELINE_SLICE),
  /** The baseline this slice belongs to. */
  label: runLabelSchema,
  /** Derived from the other fields: the same slice always has the same id, so a redelivery is recognised. */
  sliceId: z.string().regex(/^[0-9a-f]{32}$/, 'expected 32 lower-case hex digits'),
  type: z.string().min(1),
  /** An AWS region, or `global`. */
  region: z.string().min(1),
  /** The parent whose children this slice lists. */
  parent: z.string().min(1).optional(),
  /** Resources up to this id were listed by an earlier slice: this one continues after it. */
  after: z.string().min(1).optional(),
});

/** A piece of a fanned-out baseline. */
export type WorkItem = z.infer<typeof workItemSchema>;

/** What a slice covers: everything of a work item but its identity. */
export type SliceScope = Pick<WorkItem, 'type' | 'region' | 'parent' | 'after'>;

/**
 * The work item for one slice of baseline `label`, with its id derived from what it covers.
 *
 * @example
 * sliceFor('v1.4', { type: 'AWS::S3::Object', region: 'eu-west-1', parent: 'my-bucket' });
 */
export function sliceFor(label: string, scope: SliceScope): WorkItem {
  const fields = {
    tidemark: BASELINE_SLICE,
    label,
    type: scope.type,
    region: scope.region,
    ...(scope.parent === undefined ? {} : { parent: scope.parent }),
    ...(scope.after === undefined ? {} : { after: scope.after }),
  };
  return { ...fields, sliceId: sha256Hex(canonicalJson(fields)).slice(0, 32) };
}

/**
 * Reads a queue message body (JSON text or parsed) as a work item. `undefined` when it is not one at all (change
 * events); an {@link InputError} when it claims to be one (`"tidemark": …`) but is not valid.
 *
 * @example
 * const item = parseWorkItem(record.body);
 * if (item) await runWorkItem(engine, item, { enqueue });
 */
export function parseWorkItem(body: unknown): WorkItem | undefined {
  const value = typeof body === 'string' ? parseJson(body) : body;
  if (typeof value !== 'object' || value === null || !('tidemark' in value)) return undefined;
  const parsed = workItemSchema.safeParse(value);
  if (!parsed.success)
    throw new InputError(
      `invalid work item: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ')}`,
    );
  const { sliceId, ...scope } = parsed.data;
  if (sliceFor(scope.label, scope).sliceId !== sliceId)
    throw new InputError(`invalid work item: sliceId ${sliceId} does not match the slice it describes`);
  return parsed.data;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
