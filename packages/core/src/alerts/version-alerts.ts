import type { Hashed, VersionRecord } from '../store/records.js';
import type { VersionStore } from '../store/version-store.js';
import { dedupKey } from './alert-log.js';
import { changeFact, type VersionChange, versionChange } from './change-fact.js';
import { candidateRules, evaluateChange, type Firing } from './evaluate.js';
import type { RuleSet } from './load-rules.js';
import type { AlertRule } from './match.js';
import type { Alert } from './types.js';

/** Field changes an alert lists at most. */
const LISTED_CHANGES = 20;

/**
 * The alerts the rules fire on a stored version, with the rule of each: mutes judged at `at` (when absent, when the
 * change was made), the version's documents read only when a rule naming fields may fire. What every capture and
 * `alerts check` evaluate.
 */
export async function versionAlerts(
  store: VersionStore,
  rules: RuleSet,
  version: Hashed<VersionRecord>,
  at?: Date,
): Promise<Array<{ readonly rule: AlertRule; readonly alert: Alert }>> {
  const change = await versionChange(store, version);
  const now = at ?? change.head.changedAt;
  const candidates = candidateRules(rules.rules, change.head, now, rules.settings.tidemarkPrincipals);
  if (candidates.length === 0) return [];
  const fact = await changeFact(store, change);
  return evaluateChange(candidates, fact).map((firing) => ({
    rule: firing.rule,
    alert: alertOf(firing, change, fact.changes.length, now),
  }));
}

/** The alert a rule firing on a change makes: secrets stay masked (`FieldChange.sealed`). Pure. */
export function alertOf(firing: Firing, change: VersionChange, changeCount: number, now: Date): Alert {
  const { rule } = firing;
  const { head, version } = change;
  const { resource } = head;
  const listed = firing.changes.slice(0, LISTED_CHANGES);
  return {
    key: dedupKey(rule.name, version.hash),
    rule: rule.name,
    severity: rule.severity,
    title: rule.title,
    resource,
    kind: head.kind,
    seq: version.record.seq,
    version: version.hash,
    capturedAt: version.record.capturedAt,
    cause: head.cause,
    changedAt: head.changedAt.toISOString(),
    ...(head.principal ? { principal: head.principal } : {}),
    ...(head.actor ? { actor: head.actor } : {}),
    changes: listed,
    moreChanges: Math.max(0, changeCount - listed.length),
    show: `tidemark show ${shellQuoted(`${resource.type}:${resource.id}`)} --at ${version.record.capturedAt}`,
    firedAt: now.toISOString(),
    destinations: rule.destinations,
  };
}

/** A word as a POSIX shell reads it back whatever it holds: single-quoted. */
function shellQuoted(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
