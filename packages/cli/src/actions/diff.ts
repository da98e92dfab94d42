import { InputError } from '@tidemark/core/errors';
import { diffStates, LIVE_MOMENT, resolveTime, type StateDiff } from '@tidemark/core/query';
import type { Action } from '../command.js';
import type { DiffOptions } from '../commands/diff.js';
import { ExitCode } from '../exit-code.js';
import type { Io } from '../io.js';
import { describeResource, renderChanges } from '../render/entries.js';
import { printable } from '../render/printable.js';
import { resourceFilter } from './filter.js';

/** What the options of `diff` must not combine, with why. */
const RULES: ReadonlyArray<{
  readonly broken: (options: DiffOptions) => boolean;
  readonly message: (options: DiffOptions) => string;
}> = [
  {
    broken: ({ from, to }) => from === LIVE_MOMENT && to === LIVE_MOMENT,
    message: () => '--from and --to are both live: compare the live account with a stored moment',
  },
  {
    broken: ({ from, to, capture }) => capture === true && from !== LIVE_MOMENT && to !== LIVE_MOMENT,
    message: ({ from, to }) =>
      `--capture stores what a live read found: it needs --from live or --to live, received --from ${from} --to ${to}`,
  },
];

/** `tidemark diff`; with `live` on either side, the live account (see `live-diff.ts`). */
export const diff: Action<DiffOptions> = async (context) => {
  const { session, options, io } = context;
  const broken = RULES.find((rule) => rule.broken(options));
  if (broken) throw new InputError(broken.message(options));
  if (options.from === LIVE_MOMENT || options.to === LIVE_MOMENT)
    return (await import('./live-diff.js')).liveDiff(context);
  const store = await session.store();
  const baselines = store.baselines();
  const from = resolveTime(options.from, baselines);
  const to = resolveTime(options.to, baselines);
  const changes = await diffStates(store, from, to, resourceFilter(options));
  if (options.json) io.out(JSON.stringify(changes, null, 2));
  else renderDiff(io, options, changes);
  return diffOutcome(changes);
};

/** The exit code of a diff: failed when a document of either side could not be read whole. */
export function diffOutcome(changes: StateDiff): number {
  return changes.changed.some((change) => change.damaged) ? ExitCode.FAILED : ExitCode.OK;
}

/** A diff as people read it: the two moments, the counts, then one line per resource and one per changed field. */
export function renderDiff(io: Io, options: Pick<DiffOptions, 'from' | 'to'>, changes: StateDiff): void {
  io.out(printable(`${options.from} (${changes.from}) → ${options.to} (${changes.to})`));
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
}
