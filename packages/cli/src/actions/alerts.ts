import {
  type Alert,
  AlertLog,
  alertTextLines,
  changedBy,
  replayAlerts,
  type StoredAlert,
} from '@tidemark/core/alerts';
import { resolveTime } from '@tidemark/core/query';
import type { Action } from '../command.js';
import type { AlertCheckOptions, AlertListOptions } from '../commands/alerts.js';
import { ExitCode } from '../exit-code.js';
import { printable } from '../render/printable.js';

/** `tidemark alerts list`. */
export const listAlerts: Action<AlertListOptions> = async ({ session, options, io }) => {
  const store = await session.store();
  const since = options.since ? resolveTime(options.since, store.baselines()) : undefined;
  const log = new AlertLog(store.backend, store.authenticated ? store.key : undefined);
  const stored: StoredAlert[] = [];
  for await (const entry of log.list(since)) stored.push(entry);
  // The store keeps them by day and key: in a day, in the order the changes were made.
  stored.sort((a, b) => a.alert.changedAt.localeCompare(b.alert.changedAt));
  const count = stored.length;
  for (const { alert, deliveries } of stored) {
    if (options.json) {
      io.out(JSON.stringify({ alert, deliveries: deliveries ?? [] }));
      continue;
    }
    io.out(printable(alertLine(alert)));
    const where = deliveries
      ? deliveries.map(
          (d) =>
            `${d.destination} ${d.status}${d.attempts > 1 ? ` after ${d.attempts} attempts` : ''}${d.error ? ` (${d.error})` : ''}`,
        )
      : ['not delivered: its delivery was interrupted'];
    io.out(printable(`    → ${where.join(', ')}`));
  }
  if (!options.json)
    io.out(`${count} alert${count === 1 ? '' : 's'}${since ? ` since ${since.toISOString()}` : ''}`);
  return ExitCode.OK;
};

/** `tidemark alerts check`. */
export const checkAlerts: Action<AlertCheckOptions> = async ({ session, options, io }) => {
  const store = await session.store();
  const baselines = store.baselines();
  const [from, to] = [resolveTime(options.from, baselines), resolveTime(options.to, baselines)];
  const rules = await session.alertRules(store);
  const alerts = await replayAlerts(store, rules, from, to, {
    ...(options.type ? { type: options.type } : {}),
    ...(options.region ? { region: options.region } : {}),
    ...(options.id ? { idGlob: options.id } : {}),
  });
  if (options.json) {
    for (const alert of alerts) io.out(JSON.stringify(alert));
    return ExitCode.OK;
  }
  io.out(printable(`rules: ${rules.source} (${rules.rules.length} in force)`));
  for (const alert of alerts) for (const line of alertTextLines(alert)) io.out(printable(line));
  io.out(
    `${alerts.length} alert${alerts.length === 1 ? '' : 's'} would have fired from ${from.toISOString()} to ${to.toISOString()}`,
  );
  return ExitCode.OK;
};

/** One alert on one line: when, how serious, which rule, on what, by whom. */
function alertLine(alert: Alert): string {
  return `${alert.changedAt}  ${alert.severity.padEnd(8)} ${alert.rule}  ${alert.resource.type} ${alert.resource.id} ${alert.kind} by ${changedBy(alert)}`;
}
