import { globMatches } from '../glob.js';
import type { FieldChange } from '../query/changes.js';
import {
  type AlertRule,
  type ChangeFact,
  type ChangeHead,
  firingChanges,
  headMatches,
  isMuted,
} from './match.js';

/** One rule firing on one change, with the field changes that made it fire. */
export interface Firing {
  readonly rule: AlertRule;
  readonly changes: readonly FieldChange[];
}

/**
 * The rules that may fire on a change, judged without its documents (not muted, head matching). A change Tidemark
 * made itself fires none: one whose event carries Tidemark's user agent and whose principal is one of
 * `ownPrincipals` (a user agent alone anyone can send). Pure.
 */
export function candidateRules(
  rules: readonly AlertRule[],
  head: ChangeHead,
  now: Date,
  ownPrincipals: readonly string[] = [],
): AlertRule[] {
  if (isOwnWrite(head, ownPrincipals)) return [];
  return rules.filter((rule) => !isMuted(rule, now) && headMatches(rule, head));
}

function isOwnWrite(head: ChangeHead, ownPrincipals: readonly string[]): boolean {
  const { cause, principal } = head;
  return (
    cause.kind === 'event' &&
    cause.ownWrite === true &&
    principal !== undefined &&
    ownPrincipals.some((glob) => globMatches(glob, principal))
  );
}

/**
 * The rules that fire on a change: every rule of `candidates` whose field conditions hold. Pure: what `alerts
 * check` replays and what every capture runs.
 *
 * @example
 * evaluateChange(candidateRules(rules, fact, new Date()), fact); // [{ rule: bucket-made-public, changes: [...] }]
 */
export function evaluateChange(candidates: readonly AlertRule[], fact: ChangeFact): Firing[] {
  const firings: Firing[] = [];
  for (const rule of candidates) {
    const changes = firingChanges(rule, fact);
    if (changes) firings.push({ rule, changes });
  }
  return firings;
}
