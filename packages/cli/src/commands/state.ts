import { resolveTime, stateAt } from '@tidemark/core';
import { Command } from 'commander';
import { ExitCode, type ExitSink, handle } from '../command.js';
import type { Io } from '../io.js';
import { describeCause } from '../render/entries.js';
import { table } from '../render/format.js';

interface StateOptions {
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
  return handle<StateOptions>(command, io, exit, async ({ session, options }) => {
    const store = await session.store();
    const at = resolveTime(options.at, store.baselines());
    const entries = stateAt(store, at, {
      ...(options.type ? { type: options.type } : {}),
      ...(options.region ? { region: options.region } : {}),
      ...(options.id ? { idGlob: options.id } : {}),
    });
    if (options.json) {
      io.out(JSON.stringify({ at: at.toISOString(), resources: entries }, null, 2));
      return ExitCode.OK;
    }
    io.out(`${entries.length} resources at ${at.toISOString()}`);
    const rows = entries.map((e) => [
      e.resource.type,
      e.resource.id,
      e.resource.region,
      `v${e.seq}`,
      e.capturedAt,
      describeCause(e.cause),
    ]);
    for (const line of table([['TYPE', 'ID', 'REGION', 'VERSION', 'CAPTURED', 'CAUSE'], ...rows]))
      io.out(line);
    return ExitCode.OK;
  });
}
