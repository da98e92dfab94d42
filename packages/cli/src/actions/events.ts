import { mapEvents, parseEventInput } from '@tidemark/core/events';
import type { Action } from '../command.js';
import { ExitCode } from '../exit-code.js';
import { renderMappedEvents } from '../render/events.js';
import { readInputs } from './inputs.js';

/** `tidemark events map [FILE…]`. */
export const mapEventFiles: Action<Record<string, never>, [string[]]> = async ({ options, io }, files) => {
  const inputs = await readInputs(files);
  const events = mapEvents(inputs.flatMap((input) => parseEventInput(input.text, input.origin)));
  if (options.json) io.out(JSON.stringify({ events }, null, 2));
  else renderMappedEvents(io, events);
  return ExitCode.OK;
};
