import { diffStates, resolveTime } from '@tidemark/core';
import { Command } from 'commander';
import { ExitCode, type ExitSink, handle } from '../command.js';
import type { Io } from '../io.js';
import { describeResource, renderChanges } from '../render/entries.js';

interface DiffOptions {
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
  return handle<DiffOptions>(command, io, exit, async ({ session, options }) => {
    const store = await session.store();
    const baselines = store.baselines();
    const from = resolveTime(options.from, baselines);
    const to = resolveTime(options.to, baselines);
    const diff = await diffStates(store, from, to, {
      ...(options.type ? { type: options.type } : {}),
      ...(options.region ? { region: options.region } : {}),
      ...(options.id ? { idGlob: options.id } : {}),
    });
    if (options.json) {
      io.out(JSON.stringify(diff, null, 2));
      return ExitCode.OK;
    }
    io.out(`${options.from} (${diff.from}) → ${options.to} (${diff.to})`);
    io.out(`${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed`);
    for (const entry of diff.added) io.out(`+ ${describeResource(entry)}`);
    for (const entry of diff.removed) io.out(`- ${describeResource(entry)}`);
    for (const change of diff.changed) {
      io.out(`~ ${describeResource(change)}`);
      renderChanges(io, change.changes);
    }
    return ExitCode.OK;
  });
}
