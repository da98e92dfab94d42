import { Command } from 'commander';
import { type ExitSink, handle } from '../command.js';
import type { Io } from '../io.js';

/** Options of `tidemark state`. */
export interface StateOptions {
  at: string;
  type?: string;
  id?: string;
}

/** `tidemark state`: every resource as it was at a moment. */
export function stateCommand(io: Io, exit: ExitSink): Command {
  const command = new Command('state')
    .description('list every resource as it was at a moment')
    .option('--at <time>', 'ISO 8601 time, age (2h, 3d), baseline label or now', 'now')
    .option('--type <type>', 'only this resource type')
    .option('--id <glob>', 'only identifiers matching this glob (*, ?)')
    .option('--json', 'print as JSON: { at, resources: StateEntry[] }');
  return handle<StateOptions>(command, io, exit, async () => (await import('../actions/state.js')).state);
}
