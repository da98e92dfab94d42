import { type CapturedChange, changeFields, changesBetween, resolveTime } from '@tidemark/core/query';
import type { VersionStore } from '@tidemark/core/store';
import type { Action } from '../command.js';
import type { ChangesOptions } from '../commands/changes.js';
import { ExitCode } from '../exit-code.js';
import { table } from '../render/format.js';
import { resourceFilter } from './filter.js';

/** Changes whose changed fields are named (each costs two document reads); `history` names the others'. */
const FIELDS_NAMED_FOR = 50;

/** Changed fields named on a change's line; the rest are counted. */
const FIELDS_PER_LINE = 3;

/** `tidemark changes`. */
export const changes: Action<ChangesOptions> = async ({ session, options, io }) => {
  const store = await session.store();
  const baselines = store.baselines();
  const from = resolveTime(options.since, baselines);
  const to = resolveTime(options.until, baselines);
  const found = await changesBetween(store, from, to, {
    ...resourceFilter(options),
    ...(options.by ? { by: options.by } : {}),
  });
  if (options.json) {
    io.out(JSON.stringify({ from: from.toISOString(), to: to.toISOString(), changes: found }, null, 2));
    return ExitCode.OK;
  }
  io.out(
    `${found.length} change${found.length === 1 ? '' : 's'} from ${from.toISOString()} to ${to.toISOString()}`,
  );
  const rows = await Promise.all(
    found.map(async (change, position) => [
      change.changedAt,
      whoMade(change),
      change.kind,
      `${change.resource.type} ${change.resource.id} (${change.resource.region})`,
      causeName(change),
      position < FIELDS_NAMED_FOR ? await fieldsOf(store, change) : '',
    ]),
  );
  for (const line of table(rows)) io.out(line);
  if (found.length > FIELDS_NAMED_FOR)
    io.out(
      `fields named for the newest ${FIELDS_NAMED_FOR} changes: tidemark history RESOURCE names the others`,
    );
  return ExitCode.OK;
};

/** Who made a change: the person, else the principal, else what found it. */
function whoMade(change: CapturedChange): string {
  const who = change.actor ?? change.principal;
  if (who) return who;
  switch (change.cause.kind) {
    case 'reconcile':
      return 'silent drift';
    case 'drift-check':
      return 'drift check';
    case 'restore':
      return `restore ${change.cause.restoreId}`;
    default:
      return 'unknown';
  }
}

/** The event's name, or the baseline that found the drift. */
function causeName({ cause }: CapturedChange): string {
  if (cause.kind === 'event') return cause.eventName;
  if (cause.kind === 'reconcile') return cause.label ? `baseline ${cause.label}` : '';
  return '';
}

/**
 * The first changed fields' paths of a change (not of a creation or deletion: every field), and how many more:
 * `Configuration.MemorySize, Policy.Statement +2`.
 */
async function fieldsOf(store: VersionStore, change: CapturedChange): Promise<string> {
  if (change.kind !== 'changed') return '';
  const { changes, damaged } = await changeFields(store, change);
  if (damaged) return 'DAMAGED: see tidemark verify';
  const paths = changes.map((field) => field.path);
  const more = paths.length - FIELDS_PER_LINE;
  return `${paths.slice(0, FIELDS_PER_LINE).join(', ')}${more > 0 ? ` +${more}` : ''}`;
}
