import { globMatches, hasWildcard } from '../glob.js';
import type { FieldChange } from '../query/changes.js';
import type { ChangeKind } from '../query/changes-between.js';
import type { VersionCause } from '../store/records.js';
import type { Json, JsonObject } from '../types/json.js';
import type { ResourceRef } from '../types/resource.js';
import { insideWindow } from './change-window.js';
import { containsValue, NAMED_PREDICATES, type PredicateName } from './predicates.js';
import type { ChangeWindow, FieldCondition, RuleCause } from './rules.js';
import type { Severity } from './types.js';

const ACCOUNT_ID = /^\d{12}$/;

/** What a captured change is, as rules see it before any document is read. */
export interface ChangeHead {
  readonly resource: ResourceRef;
  readonly kind: ChangeKind;
  readonly cause: VersionCause;
  /** When the change was made: the event's time, else when it was captured. */
  readonly changedAt: Date;
  readonly principal?: string | undefined;
  readonly actor?: string | undefined;
  /** The principals of earlier events of the same capture (coalesced), when they differ from `principal`. */
  readonly alsoBy?: readonly string[] | undefined;
}

/** A captured change with its documents and field changes, as rules see it when they name fields. */
export interface ChangeFact extends ChangeHead {
  /** The document before the change; absent for a creation. */
  readonly before?: JsonObject | undefined;
  /** The document after the change; absent for a deletion. */
  readonly after?: JsonObject | undefined;
  readonly changes: readonly FieldChange[];
}

/** A rule ready to evaluate: defaults applied, settings resolved. */
export interface AlertRule {
  readonly name: string;
  readonly title: string;
  readonly severity: Severity;
  readonly destinations: readonly string[];
  /** At most one alert per resource within this many milliseconds; absent: one per change. */
  readonly dedupMs?: number | undefined;
  readonly mute?: { readonly until: string; readonly reason: string } | undefined;
  readonly resources?: readonly string[] | undefined;
  readonly kinds?: readonly ChangeKind[] | undefined;
  readonly causes: readonly RuleCause[];
  readonly fields?: readonly FieldCondition[] | undefined;
  readonly principals?: { readonly allow?: readonly string[]; readonly deny?: readonly string[] } | undefined;
  readonly window?: { readonly when: 'outside' | 'inside'; readonly window: ChangeWindow } | undefined;
}

/** Whether a rule is muted at a moment. */
export function isMuted(rule: AlertRule, at: Date): boolean {
  return rule.mute !== undefined && new Date(rule.mute.until).getTime() > at.getTime();
}

/**
 * Whether everything a rule says of a change but its fields holds: resource, kind, cause, principal and window.
 * Cheap: no document is needed, so a change no rule can match costs no read. Pure.
 */
export function headMatches(rule: AlertRule, change: ChangeHead): boolean {
  const { resource } = change;
  if (rule.resources && !rule.resources.some((glob) => globMatches(glob, `${resource.type}:${resource.id}`)))
    return false;
  if (rule.kinds && !rule.kinds.includes(change.kind)) return false;
  if (!rule.causes.includes(change.cause.kind)) return false;
  if (rule.principals && !principalMatches(rule.principals, change)) return false;
  if (rule.window) {
    const inside = insideWindow(change.changedAt, rule.window.window);
    if (inside !== (rule.window.when === 'inside')) return false;
  }
  return true;
}

/**
 * Whether a change's principals pass a rule's lists, any of them sufficing (one change of a batch by someone
 * unexpected is not hidden by a later one by a deploy role): `allow` is judged on a principal's ARN alone (a session
 * name or source identity is chosen by whoever assumes the role), `deny` on the ARN and the human behind it.
 */
function principalMatches(principals: NonNullable<AlertRule['principals']>, change: ChangeHead): boolean {
  const callers = [
    { principal: change.principal, actor: change.actor },
    ...(change.alsoBy ?? []).map((principal) => ({ principal, actor: undefined })),
  ];
  return callers.some(({ principal, actor }) => callerMatches(principals, principal, actor));
}

function callerMatches(
  principals: NonNullable<AlertRule['principals']>,
  principal: string | undefined,
  actor: string | undefined,
): boolean {
  // An account id alone (an S3 notification's requester) names nobody: no principal rule can judge it.
  if (principal === undefined || ACCOUNT_ID.test(principal)) return false;
  const matches = (globs: readonly string[] | undefined, names: readonly string[]) =>
    globs?.some((glob) => names.some((name) => globMatches(glob, name))) ?? false;
  if (matches(principals.allow, [principal])) return false;
  return principals.deny ? matches(principals.deny, actor ? [principal, actor] : [principal]) : true;
}

/**
 * The field changes that make a rule fire on a change whose head it matches: those under any of its field
 * conditions that hold, or every change when it names no field. Undefined when it does not fire. Pure.
 */
export function firingChanges(rule: AlertRule, fact: ChangeFact): readonly FieldChange[] | undefined {
  if (!rule.fields) return fact.changes;
  const fired = new Map<string, FieldChange>();
  for (const condition of rule.fields)
    for (const change of conditionChanges(condition, fact)) fired.set(change.path, change);
  return fired.size > 0 ? [...fired.values()] : undefined;
}

/** The changes under a condition's path, when its value test holds; none otherwise. */
function conditionChanges(condition: FieldCondition, fact: ChangeFact): readonly FieldChange[] {
  let under = fact.changes.filter((change) => pathCovers(condition.path, change.path));
  if (condition.sealed) under = under.filter((change) => change.sealed);
  const { from, to } = condition;
  if (from || to)
    under = under.filter(
      (change) =>
        (!from || (change.before !== undefined && listed(from, change.before))) &&
        (!to || (change.after !== undefined && listed(to, change.after))),
    );
  if (under.length === 0) return [];
  const before = fact.before && valueAt(fact.before, condition.path);
  const after = fact.after && valueAt(fact.after, condition.path);
  if (condition.becomes) {
    const holds = NAMED_PREDICATES[condition.becomes as PredicateName];
    if (!holds(after) || (fact.before !== undefined && holds(before))) return [];
  }
  if (condition.contains !== undefined) {
    const wanted = condition.contains;
    if (!containsValue(after, wanted) || containsValue(before, wanted)) return [];
  }
  return under;
}

function listed(values: readonly Json[], value: Json): boolean {
  return values.some((candidate) => candidate === value);
}

/**
 * Whether a changed field falls under a condition's path glob: the glob matches it or one of its ancestors, or
 * the change is an ancestor of what the glob names (a whole policy added holds the statement a rule names).
 */
export function pathCovers(pattern: string, path: string): boolean {
  if (globMatches(pattern, path) || globMatches(`${pattern}.*`, path)) return true;
  const literal = literalPrefix(pattern);
  return literal.startsWith(`${path}.`) || (hasWildcard(pattern) && literal === path);
}

/** The leading segments of a path glob that hold no wildcard (`Policy` of `Policy.Statement.*`); `` for `*`. */
function literalPrefix(pattern: string): string {
  const segments = pattern.split('.');
  const wild = segments.findIndex(hasWildcard);
  return (wild < 0 ? segments : segments.slice(0, wild)).join('.');
}

/** The value a condition looks at: the document under the path's literal segments (the whole one for `*`). */
function valueAt(document: JsonObject, pattern: string): Json | undefined {
  const literal = literalPrefix(pattern);
  if (literal === '') return document;
  let value: Json | undefined = document;
  for (const segment of literal.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = Array.isArray(value) ? value[Number(segment)] : value[segment];
  }
  return value;
}
