import { Command } from 'commander';
import { type ExitSink, handle } from '../command.js';
import type { Io } from '../io.js';

/** Options of `tidemark diff`. */
export interface DiffOptions {
  from: string;
  to: string;
  type?: string;
  id?: string;
}

/** `tidemark diff`: what was added, removed and changed between two moments. */
export function diffCommand(io: Io, exit: ExitSink): Command {
  const command = new Command('diff')
    .description('resources added, removed and changed between two moments, field by field')
    .requiredOption('--from <time>', 'ISO 8601 time, age (2h, 3d), baseline label or now')
    .option('--to <time>', 'ISO 8601 time, age, baseline label or now', 'now')
    .option('--type <type>', 'only this resource type')
    .option('--id <glob>', 'only identifiers matching this glob')
    .option('--json', 'print as JSON: StateDiff');
  return handle<DiffOptions>(command, io, exit, async () => (await import('../actions/diff.js')).diff);
}
