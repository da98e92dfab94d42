import { history as historyOf, resolveResource } from '@tidemark/core/query';
import type { Action } from '../command.js';
import { ExitCode } from '../exit-code.js';
import { describeCause, describeResource, renderChanges } from '../render/entries.js';
import { printable } from '../render/printable.js';

/** `tidemark history RESOURCE`. */
export const history: Action<Record<string, never>, [string]> = async (
  { session, options, io },
  reference,
) => {
  const store = await session.store();
  const resource = resolveResource(store, reference, options.region);
  const versions = await historyOf(store, resource);
  const outcome = versions.some((version) => version.damaged) ? ExitCode.FAILED : ExitCode.OK;
  if (options.json) {
    io.out(JSON.stringify({ resource, versions }, null, 2));
    return outcome;
  }
  io.out(`${describeResource({ resource })}: ${versions.length} versions`);
  for (const version of versions) {
    const state = version.deleted ? ' DELETED' : '';
    io.out(`  v${version.seq}  ${version.capturedAt}  ${describeCause(version.cause)}${state}`);
    if (version.damaged) io.out(`      DAMAGED: ${printable(version.damaged)}`);
    else if (version.seq > 1) renderChanges(io, version.changes);
  }
  return outcome;
};
