import { history, resolveResource } from '@tidemark/core';
import { Command } from 'commander';
import { ExitCode, type ExitSink, handle } from '../command.js';
import type { Io } from '../io.js';
import { describeCause, describeResource, renderChanges } from '../render/entries.js';

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
    async ({ session, options }, reference) => {
      const store = await session.store();
      const resource = resolveResource(store, reference, options.region);
      const versions = await history(store, resource);
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
    },
  );
}
