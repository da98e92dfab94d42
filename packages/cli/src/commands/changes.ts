import { Command } from 'commander';
import { type ExitSink, handle } from '../command.js';
import type { Io } from '../io.js';

/** Options of `tidemark changes`. */
export interface ChangesOptions {
  since: string;
  until: string;
  by?: string;
  type?: string;
  id?: string;
}

/** `tidemark changes`: the changes captured in a window of time, who made them and what they changed. */
export function changesCommand(io: Io, exit: ExitSink): Command {
  const command = new Command('changes')
    .description('changes captured in a window of time, newest first: when, who, what')
    .option('--since <time>', 'ISO 8601 time, age (2h, 3d), baseline label or now', '7d')
    .option('--until <time>', 'ISO 8601 time, age, baseline label or now', 'now')
    .option('--by <glob>', 'only changes by a person or principal ARN matching this glob (*, ?, [..])')
    .option('--type <type>', 'only this resource type')
    .option('--id <glob>', 'only identifiers matching this glob (*, ?, [..])')
    .option('--json', 'print as JSON: { from, to, changes: CapturedChange[] }');
  return handle<ChangesOptions>(
    command,
    io,
    exit,
    async () => (await import('../actions/changes.js')).changes,
  );
}
