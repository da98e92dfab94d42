import { history as historyOf, resolveResource } from '@tidemark/core/query';
import type { Action } from '../command.js';
import { ExitCode } from '../exit-code.js';
import { describeCause, describeResource, renderChanges } from '../render/entries.js';

/** `tidemark history RESOURCE`. */
export const history: Action<Record<string, never>, [string]> = async (
  { session, options, io },
  reference,
) => {
  const store = await session.store();
  const resource = resolveResource(store, reference, options.region);
  const versions = await historyOf(store, resource);
  if (options.json) {
    io.out(JSON.stringify({ resource, versions }, null, 2));
    return ExitCode.OK;
  }
  io.out(`${describeResource({ resource })}: ${versions.length} versions`);
  for (const version of versions) {
    const state = version.deleted ? ' DELETED' : '';
    io.out(`  v${version.seq}  ${version.capturedAt}  ${describeCause(version.cause)}${state}`);
    if (version.seq > 1) renderChanges(io, version.changes);
  }
  return ExitCode.OK;
};
