import { isDeepStrictEqual } from 'node:util';
import { UNKNOWN_MARKER } from '../constants.js';
import { isJsonObject } from '../resources/support.js';
import type { Json, JsonObject } from '../types/json.js';
import { type PlannedChange, type ResourceState, RestoreAction, type RestoreStep } from './types.js';

/** Builds one step of a plan: its operation, exact input and summary. */
export type StepOf = (operation: string, input: JsonObject, summary: string) => RestoreStep;

/** The {@link StepOf} of one service and region. */
export function stepsOf(service: string, region: string): StepOf {
  return (operation, input, summary) => ({ service, operation, region, input, summary });
}

/** The calls that restore one part of a resource, and what the plan says of what they cannot do. */
export interface PartPlan {
  readonly steps: readonly RestoreStep[];
  readonly notes: readonly string[];
}

/**
 * A resource's plan from its parts' plans, in order: `action` when there is a step to send, else nothing to do
 * (with the notes, if any).
 */
export function fromParts(action: RestoreAction, parts: readonly PartPlan[]): PlannedChange {
  const steps = parts.flatMap((part) => part.steps);
  const notes = parts.flatMap((part) => part.notes);
  return {
    action: steps.length > 0 ? action : RestoreAction.NOTHING,
    steps,
    ...(notes.length > 0 ? { notes } : {}),
  };
}

/** What a type can do with a resource created after the moment restored to. */
export interface CreatedSinceOptions {
  /** The steps that delete it, sent with `--prune` (types that can delete what was created since). */
  readonly removal?: () => readonly RestoreStep[];
  readonly prune?: boolean;
  /** How to delete it by hand, for types that never delete: `disable it, then delete it`. @default 'delete it' */
  readonly byHand?: string;
}

/**
 * The plan of a resource that did not exist at the moment restored to: nothing to do when it does not exist now;
 * else removed with `--prune` when the type can delete it, or kept, the reason saying how it can go.
 */
export function createdSince(
  live: ResourceState | undefined,
  options: CreatedSinceOptions = {},
): PlannedChange {
  if (!live) return { action: RestoreAction.NOTHING, steps: [] };
  if (options.removal && options.prune) return { action: RestoreAction.REMOVE, steps: options.removal() };
  const how = options.removal ? '--prune deletes it' : `${options.byHand ?? 'delete it'} by hand`;
  return {
    action: RestoreAction.KEEP,
    reason: `created after the moment restored to: kept (${how})`,
    steps: [],
  };
}

/** Whether a document value is a part that could not be read: an `$unknown` marker. */
export function unread(value: Json | undefined): boolean {
  return isJsonObject(value) && UNKNOWN_MARKER in value;
}

/**
 * Why a part of a document cannot be compared (a note for the plan), or `undefined` when both states hold it: it
 * was not read at the moment restored to, or cannot be read now.
 */
export function unreadPart(
  part: string,
  before: Json | undefined,
  now: Json | undefined,
): string | undefined {
  if (unread(before)) return `${part} were not captured at that moment (see its gaps): not restored`;
  if (unread(now)) return `${part} cannot be read now (see the gaps of the live read): not restored`;
  return undefined;
}

/** How a keyed map (`{ key: value }`) differs from the one it is restored to. */
export interface KeyedDifference {
  /** Keys `now` lacks or holds with another value: put back. */
  readonly put: string[];
  /** Keys `now` has that `before` did not: added since. */
  readonly added: string[];
}

/** The keys to put back into `now` and those added to it since `before`; absent maps are empty. */
export function keyedDifference(before: Json | undefined, now: Json | undefined): KeyedDifference {
  const then = isJsonObject(before) ? before : {};
  const current = isJsonObject(now) ? now : {};
  return {
    put: Object.keys(then).filter((key) => !(key in current) || !isDeepStrictEqual(then[key], current[key])),
    added: Object.keys(current).filter((key) => !(key in then)),
  };
}

/** A `{ key: value }` tag map as the `[{ Key, Value }]` list tagging calls take, only `keys` when given. */
export function tagList(tags: Json | undefined, keys?: readonly string[]): JsonObject[] {
  const map = isJsonObject(tags) ? tags : {};
  return (keys ?? Object.keys(map)).map((Key) => ({ Key, Value: map[Key] ?? '' }));
}

/** Whether a tag map (or any keyed map) has entries. */
export function hasEntries(value: Json | undefined): boolean {
  return isJsonObject(value) && Object.keys(value).length > 0;
}

/** `items` in consecutive slices of at most `size`. */
export function slices<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

/** Every path (`Role.AssumeRolePolicyDocument.Statement.0…`) whose string value contains `text`, depth first. */
export function pathsContaining(value: Json | undefined, text: string, at = ''): string[] {
  if (typeof value === 'string') return value.includes(text) ? [at] : [];
  if (value === null || typeof value !== 'object') return [];
  const entries: Array<[string, Json]> = Array.isArray(value)
    ? value.map((item, index) => [String(index), item])
    : Object.entries(value);
  return entries.flatMap(([key, child]) => pathsContaining(child, text, at === '' ? key : `${at}.${key}`));
}

/** The tagging calls of a resource: its tag and untag operations, and what names the resource in their input. */
export interface Tagging {
  readonly tag: string;
  readonly untag: string;
  /** `{ RoleName }`, `{ ResourceARN }`… */
  readonly resource: JsonObject;
}

/**
 * The steps that make a resource's tags (a `{ key: value }` map) the captured ones: tags that differ put back, tags
 * added since removed (with `TagKeys`).
 */
export function tagSteps(
  tagging: Tagging,
  before: Json | undefined,
  now: Json | undefined,
  step: StepOf,
): PartPlan {
  const note = unreadPart('its tags', before, now);
  if (note) return { steps: [], notes: [note] };
  const { put, added } = keyedDifference(before, now);
  const steps: RestoreStep[] = [];
  if (put.length > 0)
    steps.push(
      step(
        tagging.tag,
        { ...tagging.resource, Tags: tagList(before, put) },
        `put back the tags ${put.join(', ')}`,
      ),
    );
  if (added.length > 0)
    steps.push(
      step(
        tagging.untag,
        { ...tagging.resource, TagKeys: added },
        `remove the tags added since: ${added.join(', ')}`,
      ),
    );
  return { steps, notes: [] };
}
