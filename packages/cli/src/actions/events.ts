import { mapEvents } from '@tidemark/core/events';
import type { Action } from '../command.js';
import { ExitCode } from '../exit-code.js';
import { renderMappedEvents } from '../render/events.js';
import { readEvents, reportUnreadable } from './inputs.js';

/**
 * `tidemark events map [FILE…]`: exit 2 when nothing in the input is an event, 1 when some parts are not (each
 * named on standard error), 0 otherwise.
 */
export const mapEventFiles: Action<Record<string, never>, [string[]]> = async ({ options, io }, files) => {
  const { events: read, unreadable } = await readEvents(files);
  const events = mapEvents(read);
  if (options.json) io.out(JSON.stringify({ events }, null, 2));
  else renderMappedEvents(io, events);
  reportUnreadable(io, unreadable);
  return unreadable.length > 0 ? ExitCode.FAILED : ExitCode.OK;
};
