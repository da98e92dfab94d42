import { Command } from 'commander';
import { type ExitSink, handle } from '../command.js';
import type { Io } from '../io.js';

/** `tidemark history RESOURCE`: every version of one resource and what changed in each. */
export function historyCommand(io: Io, exit: ExitSink): Command {
  const command = new Command('history')
    .description('every version of one resource: when, why, who, and what changed')
    .argument('<resource>', 'AWS::Type::Name:id, or an id when unique')
    .option('--json', 'print as JSON: { resource, versions: HistoryEntry[] }');
  return handle<Record<string, never>, [string]>(
    command,
    io,
    exit,
    async () => (await import('../actions/history.js')).history,
  );
}
