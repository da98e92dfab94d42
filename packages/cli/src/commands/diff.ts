import { Command } from 'commander';
import { type ExitSink, handle } from '../command.js';
import type { Io } from '../io.js';

/** Options of `tidemark diff`. */
export interface DiffOptions {
  from: string;
  to: string;
  type?: string;
  id?: string;
  /** With `live`: store what the live read found (cause `drift-check`). */
  capture?: boolean;
}

/** `tidemark diff`: what was added, removed and changed between two moments. */
export function diffCommand(io: Io, exit: ExitSink): Command {
  const command = new Command('diff')
    .description('resources added, removed and changed between two moments, field by field')
    .requiredOption(
      '--from <time>',
      'ISO 8601 time, age (2h, 3d), baseline label, now, or live (the account as it is)',
    )
    .option('--to <time>', 'ISO 8601 time, age, baseline label, now, or live (the account as it is)', 'now')
    .option('--type <type>', 'only this resource type')
    .option('--id <glob>', 'only identifiers matching this glob')
    .option('--capture', 'with live: store what was read as new versions (cause drift-check)')
    .option('--json', 'print as JSON: StateDiff (with live, also gaps and failures)');
  return handle<DiffOptions>(command, io, exit, async () => (await import('../actions/diff.js')).diff);
}
