import { resolveTime, stateAt } from '@tidemark/core/query';
import type { Action } from '../command.js';
import type { StateOptions } from '../commands/state.js';
import { ExitCode } from '../exit-code.js';
import { describeCause } from '../render/entries.js';
import { table } from '../render/format.js';

/** `tidemark state`. */
export const state: Action<StateOptions> = async ({ session, options, io }) => {
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
  for (const line of table([['TYPE', 'ID', 'REGION', 'VERSION', 'CAPTURED', 'CAUSE'], ...rows])) io.out(line);
  return ExitCode.OK;
};
