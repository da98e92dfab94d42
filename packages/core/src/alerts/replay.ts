import pLimit from 'p-limit';
import { type ChangeFilter, changesBetween } from '../query/changes-between.js';
import { resourceKey, versionKey } from '../store/layout.js';
import type { VersionStore } from '../store/version-store.js';
import { withinWindow } from './evaluator.js';
import type { RuleSet } from './load-rules.js';
import type { Alert } from './types.js';
import { versionAlerts } from './version-alerts.js';

/** The alerts (oldest first) without those a rule's dedup window would have held back. */
function withoutDeduplicated(alerts: readonly Alert[], rules: RuleSet): Alert[] {
  const windows = new Map(rules.rules.map((rule) => [rule.name, rule.dedupMs]));
  const last = new Map<string, string>();
  return alerts.filter((alert) => {
    const windowMs = windows.get(alert.rule);
    if (!windowMs) return true;
    const scope = `${alert.rule}\n${resourceKey(alert.resource)}`;
    const previous = last.get(scope);
    if (previous !== undefined && withinWindow(previous, alert.capturedAt, windowMs)) return false;
    last.set(scope, alert.capturedAt);
    return true;
  });
}

/** Changes replayed at once (each reads two records and, when a rule names fields, two documents). */
const REPLAYS_IN_FLIGHT = 8;

/**
 * What the rules would have fired on the changes captured after `from` and up to `to`, oldest first: nothing is
 * stored or delivered, so a rule can be tried on real history before it is deployed. A rule's mute counts as it
 * stood when each change was made, and its dedup window holds as it would have. Baseline captures are not changes,
 * so rules matching only them fire on none.
 *
 * @example
 * const alerts = await replayAlerts(store, parseRules(text, 'new.yaml'), resolveTime('v1.0', b), new Date());
 */
export async function replayAlerts(
  store: VersionStore,
  rules: RuleSet,
  from: Date,
  to: Date,
  filter: ChangeFilter = {},
): Promise<Alert[]> {
  const changes = (await changesBetween(store, from, to, filter)).reverse();
  const limit = pLimit(REPLAYS_IN_FLIGHT);
  const replayed = await Promise.all(
    changes.map((captured) =>
      limit(async () => {
        const version = await store.readVersion(versionKey(captured.resource, captured.seq));
        return (await versionAlerts(store, rules, version)).map(({ alert }) => alert);
      }),
    ),
  );
  return withoutDeduplicated(replayed.flat(), rules);
}
