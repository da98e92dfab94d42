import { Command } from 'commander';
import { type ExitSink, handle } from '../command.js';
import type { Io } from '../io.js';

/** Options of `tidemark alerts list`. */
export interface AlertListOptions {
  since?: string;
}

/** Options of `tidemark alerts check`. */
export interface AlertCheckOptions {
  from: string;
  to: string;
  type?: string;
  id?: string;
}

/** `tidemark alerts list|check`: what fired and where it went, and what rules would fire on stored history. */
export function alertsCommand(io: Io, exit: ExitSink): Command {
  const list = new Command('list')
    .description('alerts fired, oldest first, with where each was delivered')
    .option(
      '--since <time>',
      'only alerts of changes captured since: ISO 8601 time, age (7d), baseline label',
    )
    .option('--json', 'print as JSON lines: { alert: Alert, deliveries: DeliveryOutcome[] }');
  handle<AlertListOptions>(list, io, exit, async () => (await import('../actions/alerts.js')).listAlerts);

  const check = new Command('check')
    .description(
      'replay the alert rules (--rules FILE, or those in force) over the changes stored between two moments: what would have fired; nothing is stored or sent',
    )
    .requiredOption('--from <time>', 'ISO 8601 time, age (2h, 3d), baseline label or now')
    .option('--to <time>', 'ISO 8601 time, age, baseline label or now', 'now')
    .option('--type <type>', 'only this resource type')
    .option('--id <glob>', 'only identifiers matching this glob')
    .option('--json', 'print as JSON lines: Alert');
  handle<AlertCheckOptions>(check, io, exit, async () => (await import('../actions/alerts.js')).checkAlerts);

  return new Command('alerts')
    .description('alert rules evaluated on every capture: what fired, and what a rules file would fire')
    .addCommand(list)
    .addCommand(check);
}
