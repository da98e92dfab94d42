import { diffStates, resolveTime } from '@tidemark/core/query';
import type { Action } from '../command.js';
import type { DiffOptions } from '../commands/diff.js';
import { ExitCode } from '../exit-code.js';
import { describeResource, renderChanges } from '../render/entries.js';
import { printable } from '../render/printable.js';

/** `tidemark diff`. */
export const diff: Action<DiffOptions> = async ({ session, options, io }) => {
  const store = await session.store();
  const baselines = store.baselines();
  const from = resolveTime(options.from, baselines);
  const to = resolveTime(options.to, baselines);
  const changes = await diffStates(store, from, to, {
    ...(options.type ? { type: options.type } : {}),
    ...(options.region ? { region: options.region } : {}),
    ...(options.id ? { idGlob: options.id } : {}),
  });
  const outcome = changes.changed.some((change) => change.damaged) ? ExitCode.FAILED : ExitCode.OK;
  if (options.json) {
    io.out(JSON.stringify(changes, null, 2));
    return outcome;
  }
  io.out(`${options.from} (${changes.from}) → ${options.to} (${changes.to})`);
  io.out(
    `${changes.added.length} added, ${changes.removed.length} removed, ${changes.changed.length} changed`,
  );
  for (const entry of changes.added) io.out(`+ ${describeResource(entry)}`);
  for (const entry of changes.removed) io.out(`- ${describeResource(entry)}`);
  for (const change of changes.changed) {
    io.out(`~ ${describeResource(change)}`);
    if (change.damaged) io.out(`    DAMAGED: ${printable(change.damaged)}`);
    else renderChanges(io, change.changes);
  }
  return outcome;
};
