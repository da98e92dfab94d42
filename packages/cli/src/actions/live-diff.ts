import { diffLive } from '@tidemark/core/capture';
import { LIVE_MOMENT, resolveTime } from '@tidemark/core/query';
import type { Action } from '../command.js';
import type { DiffOptions } from '../commands/diff.js';
import { printable } from '../render/printable.js';
import { diffOutcome, renderDiff } from './diff.js';
import { resourceFilter } from './filter.js';

/**
 * `tidemark diff --from T --to live` (or `--from live --to T`): the stored moment against the account as it is,
 * read through the registry without storing, unless `--capture`. What could not be read is named on standard error.
 */
export const liveDiff: Action<DiffOptions> = async ({ session, options, io }) => {
  const side = options.to === LIVE_MOMENT ? 'to' : 'from';
  const store = await session.store();
  const at = resolveTime(side === 'to' ? options.from : options.to, store.baselines());
  const engine = await session.engine({ readOnly: options.capture !== true });
  const { sealer } = await session.captureKey(store);
  const changes = await diffLive(engine, sealer, {
    at,
    side,
    filter: resourceFilter(options),
    capture: options.capture === true,
    ...(options.regions ? { regions: session.regions() } : {}),
  });
  if (options.json) io.out(JSON.stringify(changes, null, 2));
  else renderDiff(io, options, changes);
  for (const gap of changes.gaps)
    io.err(
      printable(
        `warning: not read, compared as stored: ${gap.type} ${gap.id ?? '(all)'} (${gap.region}): ${gap.operation} ${gap.code}`,
      ),
    );
  for (const failure of changes.failures)
    io.err(
      printable(
        `warning: not read, compared as stored: ${failure.resource.type} ${failure.resource.id}: ${failure.error}`,
      ),
    );
  return diffOutcome(changes);
};
